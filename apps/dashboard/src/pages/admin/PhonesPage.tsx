// Desk phones by MAC (admins; /api/phones): add one, assign it to a sip_desk user, reassign, renew
// its provisioning URL, remove it; the MACs waiting to be assigned; bulk import from a CSV with the
// refused rows listed. A provisioning URL holds the phone's secret: it is shown once, here.
import { ChangeEvent, FormEvent, useState } from 'react';
import type { DeskPhoneView, PhonesImportView, WaitingPhoneView } from '@leadline/contracts';
import { api, errorMessage } from '../../api';
import { AsyncView, ErrorBanner, useAsync } from '../../ui/async';
import { ConfirmDialog } from '../../ui/modal';
import { CsvImportForm, CsvImportOutcome } from '../../ui/csv-import';
import { useToast } from '../../ui/toast';
import { CopyButton, formatDateTime, useAllUsers } from './controls';
import './admin.css';

const VENDORS = [
  { value: 'yealink', label: 'Yealink T4x/T5x' },
  { value: 'poly', label: 'Poly VVX' },
  { value: 'grandstream', label: 'Grandstream GXP/GRP' },
] as const;
type Vendor = (typeof VENDORS)[number]['value'];

/** The URLs shown once, with the MAC they belong to. */
type NewUrls = { mac: string; url: string }[];

export function PhonesPage() {
  const phones = useAsync(() => api.get<DeskPhoneView[]>('/phones'), []);
  const waiting = useAsync(() => api.get<WaitingPhoneView[]>('/phones/waiting'), []);
  const users = useAllUsers();
  const deskUsers = (users.data ?? []).filter((u) => u.workPhoneType === 'sip_desk');
  const [urls, setUrls] = useState<NewUrls>([]);
  const [draft, setDraft] = useState<{ mac: string; vendor: Vendor }>({ mac: '', vendor: 'yealink' });
  const [removing, setRemoving] = useState<DeskPhoneView | null>(null);
  const toast = useToast();

  const reload = () => {
    phones.reload();
    waiting.reload();
  };

  const act = async (what: () => Promise<unknown>, done: string) => {
    try {
      await what();
      toast('success', done);
    } catch (err) {
      toast('error', errorMessage(err));
    }
    reload();
  };

  const assign = (phone: DeskPhoneView, userId: string) =>
    act(() => api.patch(`/phones/${phone.id}`, { userId: userId || null }), userId ? `${phone.mac} now gets ${deskUsers.find((u) => u.id === userId)?.name ?? 'the user'}'s account` : `${phone.mac} has no user now`);

  const renew = (phone: DeskPhoneView) =>
    act(async () => {
      const renewed = await api.post<DeskPhoneView>(`/phones/${phone.id}/secret`);
      setUrls([{ mac: renewed.mac, url: renewed.provisioningUrl ?? '' }]);
    }, `${phone.mac} has a new provisioning URL; the old one no longer works`);

  return (
    <>
      <div className="page-head">
        <h1>Desk phones</h1>
        <button type="button" onClick={reload}>
          Refresh
        </button>
      </div>
      <p className="muted">
        Phones fetch their configuration at boot, by MAC: the user&apos;s SIP account, the time, the dial plan and BLF keys for the team. Give each phone its provisioning URL (or the whole office through DHCP option 66 with PROVISIONING_SUBNETS).
      </p>
      {urls.length > 0 && (
        <section className="panel" role="region" aria-label="Provisioning URLs">
          <h2>Provisioning URLs — shown once</h2>
          <p className="muted small">Type the URL into the phone (or the vendor&apos;s redirection service) now: it holds the phone&apos;s secret and is not shown again.</p>
          <ul>
            {urls.map((u) => (
              <li key={u.mac}>
                <span className="mono">{u.mac}</span> <span className="mono">{u.url}</span> <CopyButton text={u.url} label={`Copy the provisioning URL of ${u.mac}`} />
              </li>
            ))}
          </ul>
          <button type="button" className="small" onClick={() => setUrls([])}>
            Done
          </button>
        </section>
      )}
      <AddPhoneForm draft={draft} setDraft={setDraft} deskUsers={deskUsers.map((u) => ({ id: u.id, name: u.name }))} onAdded={(p) => { setUrls([{ mac: p.mac, url: p.provisioningUrl ?? '' }]); reload(); }} />
      <AsyncView state={phones}>
        {(list) =>
          list.length === 0 ? (
            <p className="muted">No desk phone yet.</p>
          ) : (
            <div className="table-wrap">
              <table className="sticky-actions" aria-label="Desk phones">
                <thead>
                  <tr>
                    <th>MAC</th>
                    <th>Vendor</th>
                    <th>Label</th>
                    <th>User</th>
                    <th>Last fetch</th>
                    <th>Actions</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((p) => (
                    <tr key={p.id}>
                      <td className="mono">{p.mac}</td>
                      <td>{VENDORS.find((v) => v.value === p.vendor)?.label ?? p.vendor}</td>
                      <td>{p.label ?? ''}</td>
                      <td>
                        <select aria-label={`User of ${p.mac}`} value={p.user?.id ?? ''} onChange={(e: ChangeEvent<HTMLSelectElement>) => void assign(p, e.target.value)}>
                          <option value="">Not assigned</option>
                          {deskUsers.map((u) => (
                            <option key={u.id} value={u.id}>
                              {u.name} ({u.extension})
                            </option>
                          ))}
                        </select>
                      </td>
                      <td>{p.lastFetchAt ? `${formatDateTime(p.lastFetchAt)} from ${p.lastFetchAddress ?? '?'}` : 'never'}</td>
                      <td className="actions-cell">
                        <button type="button" className="small" onClick={() => void renew(p)} aria-label={`New provisioning URL for ${p.mac}`}>
                          New URL
                        </button>
                        <button type="button" className="small danger" onClick={() => setRemoving(p)} aria-label={`Remove ${p.mac}`}>
                          Remove
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </AsyncView>
      <h2>Phones waiting to be assigned</h2>
      <AsyncView state={waiting}>
        {(list) =>
          list.length === 0 ? (
            <p className="muted">No unknown phone has asked for its configuration.</p>
          ) : (
            <table aria-label="Phones waiting to be assigned">
              <thead>
                <tr>
                  <th>MAC</th>
                  <th>Vendor</th>
                  <th>Last seen</th>
                  <th>From</th>
                  <th>Requests</th>
                  <th>Actions</th>
                </tr>
              </thead>
              <tbody>
                {list.map((w) => (
                  <tr key={w.mac}>
                    <td className="mono">{w.mac}</td>
                    <td>{w.vendor ?? 'unknown'}</td>
                    <td>{formatDateTime(w.lastSeenAt)}</td>
                    <td className="mono">{w.lastAddress}</td>
                    <td>{w.fetches}</td>
                    <td>
                      <button type="button" className="small" onClick={() => setDraft({ mac: w.mac, vendor: w.vendor ?? 'yealink' })} aria-label={`Add ${w.mac}`}>
                        Add
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </AsyncView>
      <ImportForm onImported={(answer) => { setUrls(answer.added.map((p) => ({ mac: p.mac, url: p.provisioningUrl ?? '' }))); reload(); }} />
      {removing && (
        <ConfirmDialog
          title="Remove desk phone"
          text={`Remove ${removing.mac}? Its provisioning URL stops working; the phone keeps its last configuration until it is reset.`}
          confirmLabel="Remove"
          onCancel={() => setRemoving(null)}
          onConfirm={() => {
            const phone = removing;
            setRemoving(null);
            void act(() => api.delete(`/phones/${phone.id}`), `${phone.mac} removed`);
          }}
        />
      )}
    </>
  );
}

function AddPhoneForm({ draft, setDraft, deskUsers, onAdded }: { draft: { mac: string; vendor: Vendor }; setDraft: (d: { mac: string; vendor: Vendor }) => void; deskUsers: { id: string; name: string }[]; onAdded: (p: DeskPhoneView) => void }) {
  const [label, setLabel] = useState('');
  const [userId, setUserId] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const phone = await api.post<DeskPhoneView>('/phones', { mac: draft.mac, vendor: draft.vendor, label: label || null, userId: userId || null });
      setDraft({ mac: '', vendor: draft.vendor });
      setLabel('');
      setUserId('');
      onAdded(phone);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="panel" aria-label="Add a phone" onSubmit={(e) => void submit(e)}>
      <h2>Add a phone</h2>
      <div className="row">
        <label>
          MAC
          <input value={draft.mac} required placeholder="00:15:65:ab:cd:ef" onChange={(e) => setDraft({ ...draft, mac: e.target.value })} />
        </label>
        <label>
          Vendor
          <select value={draft.vendor} onChange={(e) => setDraft({ ...draft, vendor: e.target.value as Vendor })}>
            {VENDORS.map((v) => (
              <option key={v.value} value={v.value}>
                {v.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Label
          <input value={label} onChange={(e) => setLabel(e.target.value)} />
        </label>
        <label>
          User
          <select value={userId} onChange={(e) => setUserId(e.target.value)}>
            <option value="">Not assigned</option>
            {deskUsers.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Adding…' : 'Add phone'}
        </button>
      </div>
      <ErrorBanner error={error} />
    </form>
  );
}

function ImportForm({ onImported }: { onImported: (answer: PhonesImportView) => void }) {
  const upload = async (text: string, fileName: string): Promise<CsvImportOutcome> => {
    const answer = await api.post<PhonesImportView>('/phones/import', text);
    onImported(answer);
    return {
      summary: (
        <>
          <strong>{answer.added.length}</strong> added · <strong>{answer.rejected.length}</strong> rejected
        </>
      ),
      toast: `Imported ${fileName}: ${answer.added.length} added, ${answer.rejected.length} rejected`,
      rejected: answer.rejected,
    };
  };
  return <CsvImportForm title="Import phones from a CSV" hint="A header row naming mac and vendor (yealink, poly, grandstream), optionally label and user (email or extension)." valueLabel="MAC" upload={upload} />;
}
