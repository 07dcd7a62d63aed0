// Distribution groups: a named set of agents plus filters (states, loan purposes, amount range).
// Managers see them; admins create, edit and delete them.
import { FormEvent, useState } from 'react';
import { LOAN_PURPOSES, US_STATES } from '@leadline/domain';
import { api, errorMessage } from '../../api';
import { useMe } from '../../auth';
import { AsyncView, ErrorBanner, useAsync } from '../../ui/async';
import { ConfirmDialog, Modal } from '../../ui/modal';
import { useToast } from '../../ui/toast';
import { formatAmount, humanize, loadAllUsers, MultiSelect, numberOrUndefined, options } from './controls';
import './admin.css';
import type { DistributionGroupView, UserView } from '@leadline/contracts';

async function load(): Promise<{ groups: DistributionGroupView[]; users: UserView[] }> {
  const [groups, users] = await Promise.all([api.get<DistributionGroupView[]>('/distribution-groups'), loadAllUsers()]);
  return { groups, users };
}

function amountRange(min: number | null, max: number | null): string {
  if (min === null && max === null) return '';
  return `${min !== null ? formatAmount(min) : 'any'} – ${max !== null ? formatAmount(max) : 'any'}`;
}

export function GroupsPage() {
  const isAdmin = useMe().role === 'admin';
  const toast = useToast();
  const state = useAsync(load, []);
  const [editing, setEditing] = useState<DistributionGroupView | 'new' | null>(null);
  const [deleting, setDeleting] = useState<DistributionGroupView | null>(null);

  const remove = async (g: DistributionGroupView) => {
    setDeleting(null);
    try {
      await api.delete(`/distribution-groups/${g.id}`);
      toast('success', `Group ${g.name} deleted`);
      state.reload();
    } catch (err) {
      toast('error', errorMessage(err));
    }
  };

  return (
    <>
      <div className="page-head">
        <h1>Distribution groups</h1>
        {isAdmin && (
          <button type="button" className="primary" onClick={() => setEditing('new')}>
            New group
          </button>
        )}
      </div>
      <AsyncView state={state}>
        {({ groups, users }) => {
          const nameOf = (id: string) => users.find((u) => u.id === id)?.name ?? 'Unknown user';
          return (
            <>
              <div className="table-wrap">
                <table className={isAdmin ? 'sticky-actions' : undefined} aria-label="Distribution groups">
                  <thead>
                    <tr>
                      <th>Name</th>
                      <th>Members</th>
                      <th>States</th>
                      <th>Loan purposes</th>
                      <th>Loan amount</th>
                      {isAdmin && <th>Actions</th>}
                    </tr>
                  </thead>
                  <tbody>
                    {groups.map((g) => (
                      <tr key={g.id}>
                        <td>{g.name}</td>
                        <td>{g.memberIds.length ? g.memberIds.map(nameOf).join(', ') : <span className="muted">no members</span>}</td>
                        <td>{g.filterStates.join(', ') || <span className="muted">any</span>}</td>
                        <td>{g.filterLoanPurposes.map(humanize).join(', ') || <span className="muted">any</span>}</td>
                        <td className="nowrap">{amountRange(g.filterLoanAmountMin, g.filterLoanAmountMax) || <span className="muted">any</span>}</td>
                        {isAdmin && (
                          <td className="actions-cell">
                            <button type="button" className="small" onClick={() => setEditing(g)} aria-label={`Edit ${g.name}`}>
                              Edit
                            </button>
                            <button type="button" className="small danger" onClick={() => setDeleting(g)} aria-label={`Delete ${g.name}`}>
                              Delete
                            </button>
                          </td>
                        )}
                      </tr>
                    ))}
                    {!groups.length && (
                      <tr>
                        <td colSpan={6} className="muted">
                          No groups yet. A campaign distributes its leads to the members of its group.
                        </td>
                      </tr>
                    )}
                  </tbody>
                </table>
              </div>
              {editing && (
                <GroupForm
                  group={editing === 'new' ? null : editing}
                  users={users}
                  onClose={() => setEditing(null)}
                  onSaved={(g) => {
                    setEditing(null);
                    toast('success', `Group ${g.name} saved`);
                    state.reload();
                  }}
                />
              )}
            </>
          );
        }}
      </AsyncView>
      {deleting && (
        <ConfirmDialog
          title="Delete group"
          text={`Delete group ${deleting.name}? Campaigns that use it have no group until you choose another.`}
          confirmLabel="Delete"
          onCancel={() => setDeleting(null)}
          onConfirm={() => void remove(deleting)}
        />
      )}
    </>
  );
}

function GroupForm({ group, users, onClose, onSaved }: { group: DistributionGroupView | null; users: UserView[]; onClose: () => void; onSaved: (g: DistributionGroupView) => void }) {
  const [name, setName] = useState(group?.name ?? '');
  const [members, setMembers] = useState<string[]>(group?.memberIds ?? []);
  const [states, setStates] = useState<string[]>(group?.filterStates ?? []);
  const [purposes, setPurposes] = useState<string[]>(group?.filterLoanPurposes ?? []);
  const [amountMin, setAmountMin] = useState(group?.filterLoanAmountMin?.toString() ?? '');
  const [amountMax, setAmountMax] = useState(group?.filterLoanAmountMax?.toString() ?? '');
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaving(true);
    const body = {
      name: name.trim(),
      memberIds: members,
      filterStates: states,
      filterLoanPurposes: purposes,
      filterLoanAmountMin: numberOrUndefined(amountMin) ?? null,
      filterLoanAmountMax: numberOrUndefined(amountMax) ?? null,
    };
    try {
      onSaved(group ? await api.patch<DistributionGroupView>(`/distribution-groups/${group.id}`, body) : await api.post<DistributionGroupView>('/distribution-groups', body));
    } catch (err) {
      setError(err);
      setSaving(false);
    }
  };

  return (
    <Modal title={group ? `Edit group ${group.name}` : 'New group'} onClose={onClose}>
      <form onSubmit={(e) => void submit(e)}>
        <ErrorBanner error={error} />
        <div className="grid-form">
          <label>
            Name
            <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} autoFocus />
          </label>
          <div className="field">
            <span>Members</span>
            <MultiSelect label="Members" options={users.map((u) => ({ value: u.id, label: `${u.name} (${u.role})` }))} value={members} onChange={setMembers} placeholder="Nobody" />
          </div>
          <div className="field">
            <span>States</span>
            <MultiSelect label="States" options={options(US_STATES)} value={states} onChange={setStates} placeholder="Any" />
          </div>
          <div className="field">
            <span>Loan purposes</span>
            <MultiSelect label="Loan purposes" options={options(LOAN_PURPOSES, humanize)} value={purposes} onChange={setPurposes} placeholder="Any" />
          </div>
          <label>
            Loan amount at least
            <input type="number" min={0} value={amountMin} onChange={(e) => setAmountMin(e.target.value)} placeholder="Any" />
          </label>
          <label>
            Loan amount at most
            <input type="number" min={0} value={amountMax} onChange={(e) => setAmountMax(e.target.value)} placeholder="Any" />
          </label>
        </div>
        <div className="actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={saving}>
            {saving ? 'Saving…' : group ? 'Save' : 'Create group'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
