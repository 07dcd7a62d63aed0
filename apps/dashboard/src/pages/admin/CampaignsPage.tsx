// Campaigns: list, create, edit, delete; each campaign's Action Post URL and key (copy, rotate) and
// a "Send test lead" button that posts a sample lead to the campaign's own Action Post URL.
import { useState } from 'react';
import { DISTRIBUTION_TYPES, DistributionType } from '@leadline/domain';
import { api, errorMessage } from '../../api';
import { AsyncView, useAsync } from '../../ui/async';
import { ConfirmDialog, FormDialog } from '../../ui/modal';
import { useToast } from '../../ui/toast';
import { CopyButton, formatDateTime, humanize, loadAllUsers } from './controls';
import './admin.css';
import type { ActionPostEnvelope, CampaignView, DistributionGroupView, UserView } from '@leadline/contracts';

interface Lookups {
  campaigns: CampaignView[];
  groups: DistributionGroupView[];
  users: UserView[];
}

async function loadLookups(): Promise<Lookups> {
  const [campaigns, groups, users] = await Promise.all([api.get<CampaignView[]>('/campaigns'), api.get<DistributionGroupView[]>('/distribution-groups'), loadAllUsers()]);
  return { campaigns, groups, users };
}

export function CampaignsPage() {
  const state = useAsync(loadLookups, []);
  const toast = useToast();
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [editing, setEditing] = useState<CampaignView | 'new' | null>(null);
  const [deleting, setDeleting] = useState<CampaignView | null>(null);

  const replace = (c: CampaignView) => {
    if (!state.data) return;
    const exists = state.data.campaigns.some((x) => x.id === c.id);
    state.setData({ ...state.data, campaigns: exists ? state.data.campaigns.map((x) => (x.id === c.id ? c : x)) : [...state.data.campaigns, c] });
  };

  const remove = async (c: CampaignView) => {
    setDeleting(null);
    try {
      await api.delete(`/campaigns/${c.id}`);
      if (selectedId === c.id) setSelectedId(null);
      toast('success', `Campaign ${c.name} deleted`);
      state.reload();
    } catch (err) {
      toast('error', errorMessage(err));
    }
  };

  return (
    <>
      <div className="page-head">
        <h1>Campaigns</h1>
        <button type="button" className="primary" onClick={() => setEditing('new')}>
          New campaign
        </button>
      </div>
      <AsyncView state={state}>
        {({ campaigns, groups, users }) => {
          const selected = campaigns.find((c) => c.id === selectedId) ?? null;
          return (
            <>
              {selected && <CampaignDetail key={selected.id} campaign={selected} group={groups.find((g) => g.id === selected.distributionGroupId) ?? null} onChange={replace} onClose={() => setSelectedId(null)} />}
              <div className="table-wrap">
                <table className="sticky-actions" aria-label="Campaigns">
                  <thead>
                    <tr>
                      <th>Name</th>
                      <th>Description</th>
                      <th>Lead provider</th>
                      <th>Distribution</th>
                      <th>Group</th>
                      <th>Created</th>
                      <th>
                        <span className="sr-only">Actions</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {campaigns.map((c) => (
                      <tr key={c.id} aria-selected={c.id === selectedId}>
                        <td>
                          <button type="button" className="link-text" onClick={() => setSelectedId(c.id)}>
                            {c.name}
                          </button>
                        </td>
                        <td>{c.description}</td>
                        <td>{c.leadProvider}</td>
                        <td>{humanize(c.distributionType)}</td>
                        <td>{groups.find((g) => g.id === c.distributionGroupId)?.name ?? <span className="muted">none</span>}</td>
                        <td className="nowrap">{formatDateTime(c.createdAt)}</td>
                        <td className="actions-cell">
                          <button type="button" className="small" onClick={() => setSelectedId(c.id)} aria-label={`Action Post for ${c.name}`}>
                            Action Post
                          </button>
                          <button type="button" className="small" onClick={() => setEditing(c)} aria-label={`Edit ${c.name}`}>
                            Edit
                          </button>
                          <button type="button" className="small danger" onClick={() => setDeleting(c)} aria-label={`Delete ${c.name}`}>
                            Delete
                          </button>
                        </td>
                      </tr>
                    ))}
                    {!campaigns.length && (
                      <tr>
                        <td colSpan={7} className="muted">
                          No campaigns yet. Create one to get an Action Post URL for your lead vendors.
                        </td>
                      </tr>
                    )}
                  </tbody>
                </table>
              </div>
              {editing && (
                <CampaignForm
                  campaign={editing === 'new' ? null : editing}
                  groups={groups}
                  users={users}
                  onClose={() => setEditing(null)}
                  onSaved={(c) => {
                    replace(c);
                    setEditing(null);
                    setSelectedId(c.id);
                    toast('success', `Campaign ${c.name} saved`);
                  }}
                />
              )}
            </>
          );
        }}
      </AsyncView>
      {deleting && (
        <ConfirmDialog
          title="Delete campaign"
          text={`Delete campaign ${deleting.name}? Its Action Post URL stops working at once.`}
          confirmLabel="Delete"
          onCancel={() => setDeleting(null)}
          onConfirm={() => void remove(deleting)}
        />
      )}
    </>
  );
}

function CampaignDetail({ campaign, group, onChange, onClose }: { campaign: CampaignView; group: DistributionGroupView | null; onChange: (c: CampaignView) => void; onClose: () => void }) {
  const toast = useToast();
  const [confirmRotate, setConfirmRotate] = useState(false);
  const [sending, setSending] = useState(false);
  const [result, setResult] = useState<{ status: number; envelope: ActionPostEnvelope | null; error?: string } | null>(null);

  const rotate = async () => {
    setConfirmRotate(false);
    try {
      onChange(await api.post<CampaignView>(`/campaigns/${campaign.id}/rotate-key`));
      toast('success', 'New key issued; the old key no longer works');
    } catch (err) {
      toast('error', errorMessage(err));
    }
  };

  const sendTestLead = async () => {
    setSending(true);
    setResult(null);
    try {
      setResult(await postTestLead(campaign));
    } finally {
      setSending(false);
    }
  };

  return (
    <section className="panel" aria-label={`Campaign ${campaign.name}`}>
      <div className="page-head">
        <h2>{campaign.name}</h2>
        <button type="button" className="link" aria-label="Close campaign details" onClick={onClose}>
          ×
        </button>
      </div>
      <dl className="kv">
        <dt>Distribution</dt>
        <dd>
          {humanize(campaign.distributionType)}
          {campaign.distributionType === 'ring_all' && ` · ring ${campaign.ringTimeoutSeconds}s`}
          {campaign.distributionType === 'distribute_all' && ` · offer ${campaign.offerTimeoutSeconds}s`}
          {group ? ` · group ${group.name}` : campaign.distributionType !== 'none' ? ' · no group' : ''}
        </dd>
        <dt>Lead provider</dt>
        <dd>{campaign.leadProvider ?? <span className="muted">none</span>}</dd>
      </dl>
      <label htmlFor={`url-${campaign.id}`}>Action Post URL</label>
      <div className="keybox">
        <code id={`url-${campaign.id}`} data-testid="action-post-url">
          {campaign.actionPostUrl}
        </code>
        <CopyButton text={campaign.actionPostUrl} label="Copy Action Post URL" />
      </div>
      <label htmlFor={`key-${campaign.id}`}>Key (also accepted as the X-Api-Key header)</label>
      <div className="keybox">
        <code id={`key-${campaign.id}`} data-testid="action-post-key">
          {campaign.apiKey}
        </code>
        <CopyButton text={campaign.apiKey} label="Copy key" />
        <button type="button" className="small danger" onClick={() => setConfirmRotate(true)}>
          Rotate key
        </button>
      </div>
      <div className="row" style={{ marginTop: '0.75rem', alignItems: 'center' }}>
        <button type="button" onClick={() => void sendTestLead()} disabled={sending}>
          {sending ? 'Sending…' : 'Send test lead'}
        </button>
        <span className="muted">Posts a sample lead (“Test Lead”, a 555 number) to this URL; it is distributed like any other lead.</span>
      </div>
      {result && <TestLeadResult {...result} />}
      {confirmRotate && (
        <ConfirmDialog
          title="Rotate key"
          text="Issue a new key? The current key stops working at once: every lead vendor must be given the new URL."
          confirmLabel="Rotate key"
          onCancel={() => setConfirmRotate(false)}
          onConfirm={() => void rotate()}
        />
      )}
    </section>
  );
}

function TestLeadResult({ status, envelope, error }: { status: number; envelope: ActionPostEnvelope | null; error?: string }) {
  const ok = envelope?.StatusCode === 1 || envelope?.StatusCode === 2;
  return (
    <div className={`result ${ok ? 'ok' : 'bad'}`} role="status" aria-label="Test lead result">
      {error && <p>{error}</p>}
      {envelope && (
        <dl className="kv">
          <dt>HTTP status</dt>
          <dd>{status}</dd>
          <dt>StatusCode</dt>
          <dd data-testid="test-lead-status">{envelope.StatusCode}</dd>
          <dt>Message</dt>
          <dd>{envelope.Message}</dd>
          <dt>ProspectId</dt>
          <dd data-testid="test-lead-prospect">{envelope.Data?.ProspectId ?? '—'}</dd>
          <dt>ApplicationId</dt>
          <dd>{envelope.Data?.ApplicationId ?? '—'}</dd>
          {envelope.Data?.Errors?.length ? (
            <>
              <dt>Errors</dt>
              <dd>{envelope.Data.Errors.map((e) => `${e.field}: ${e.message}`).join('; ')}</dd>
            </>
          ) : null}
        </dl>
      )}
    </div>
  );
}

/**
 * Posts a sample lead to the campaign's Action Post URL, exactly as a vendor would (no sign-in,
 * the key in the URL). The request goes to the URL's path on this server: the public base URL a
 * vendor uses may not be reachable from the admin's browser (e.g. behind NAT), and the dashboard is
 * served by the same server anyway.
 */
async function postTestLead(campaign: CampaignView): Promise<{ status: number; envelope: ActionPostEnvelope | null; error?: string }> {
  const url = new URL(campaign.actionPostUrl, window.location.origin);
  const line = String(Math.floor(Math.random() * 10000)).padStart(4, '0');
  const lead = {
    FirstName: 'Test',
    LastName: 'Lead',
    MobilePhone: `(512) 555-${line}`,
    Email: `test.lead.${line}@example.com`,
    PropertyState: 'TX',
    LoanPurpose: 'Purchase',
    LoanAmount: 250000,
  };
  let res: Response;
  try {
    res = await fetch(`${url.pathname}${url.search}`, { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify(lead) });
  } catch {
    return { status: 0, envelope: null, error: 'The server cannot be reached; check the connection and try again' };
  }
  try {
    const body = (await res.json()) as ActionPostEnvelope & { message?: string };
    if (typeof body.StatusCode === 'number') return { status: res.status, envelope: body };
    return { status: res.status, envelope: null, error: body.message ?? `The server answered ${res.status}` };
  } catch {
    return { status: res.status, envelope: null, error: `The server answered ${res.status} ${res.statusText}` };
  }
}

function CampaignForm({ campaign, groups, users, onClose, onSaved }: { campaign: CampaignView | null; groups: DistributionGroupView[]; users: UserView[]; onClose: () => void; onSaved: (c: CampaignView) => void }) {
  const [name, setName] = useState(campaign?.name ?? '');
  const [description, setDescription] = useState(campaign?.description ?? '');
  const [leadProvider, setLeadProvider] = useState(campaign?.leadProvider ?? '');
  const [distributionType, setDistributionType] = useState<DistributionType>(campaign?.distributionType ?? 'ring_all');
  const [groupId, setGroupId] = useState(campaign?.distributionGroupId ?? '');
  const [defaultAgentId, setDefaultAgentId] = useState(campaign?.defaultAgentId ?? '');
  const [ringTimeout, setRingTimeout] = useState(String(campaign?.ringTimeoutSeconds ?? 30));
  const [offerTimeout, setOfferTimeout] = useState(String(campaign?.offerTimeoutSeconds ?? 60));

  const submit = async () => {
    const body = {
      name: name.trim(),
      description: description.trim() || null,
      leadProvider: leadProvider.trim() || null,
      distributionType,
      distributionGroupId: groupId || null,
      defaultAgentId: defaultAgentId || null,
      ringTimeoutSeconds: Number(ringTimeout),
      offerTimeoutSeconds: Number(offerTimeout),
    };
    onSaved(campaign ? await api.patch<CampaignView>(`/campaigns/${campaign.id}`, body) : await api.post<CampaignView>('/campaigns', body));
  };

  return (
    <FormDialog title={campaign ? `Edit campaign ${campaign.name}` : 'New campaign'} submitLabel={campaign ? 'Save' : 'Create campaign'} onSubmit={submit} onClose={onClose}>
      <div className="grid-form">
        <label>
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} autoFocus />
        </label>
        <label>
          Lead provider
          <input value={leadProvider} onChange={(e) => setLeadProvider(e.target.value)} maxLength={100} placeholder="e.g. Zillow" />
        </label>
      </div>
      <label style={{ marginTop: '0.75rem' }}>
        Description
        <input value={description} onChange={(e) => setDescription(e.target.value)} maxLength={500} />
      </label>
      <div className="grid-form" style={{ marginTop: '0.75rem' }}>
        <label>
          Distribution
          <select aria-label="Distribution" value={distributionType} onChange={(e) => setDistributionType(e.target.value as DistributionType)}>
            {DISTRIBUTION_TYPES.map((t) => (
              <option key={t} value={t}>
                {t === 'none' ? 'None (stays unassigned)' : humanize(t)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Distribution group
          <select aria-label="Distribution group" value={groupId} onChange={(e) => setGroupId(e.target.value)}>
            <option value="">No group</option>
            {groups.map((g) => (
              <option key={g.id} value={g.id}>
                {g.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Ring timeout (seconds)
          <input type="number" min={5} max={300} value={ringTimeout} onChange={(e) => setRingTimeout(e.target.value)} required />
        </label>
        <label>
          Offer timeout (seconds)
          <input type="number" min={5} max={3600} value={offerTimeout} onChange={(e) => setOfferTimeout(e.target.value)} required />
        </label>
        <label>
          Default agent (when distribution fails)
          <select aria-label="Default agent" value={defaultAgentId} onChange={(e) => setDefaultAgentId(e.target.value)}>
            <option value="">None: failed leads become lead exceptions</option>
            {users.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name} ({u.role})
              </option>
            ))}
          </select>
        </label>
      </div>
    </FormDialog>
  );
}
