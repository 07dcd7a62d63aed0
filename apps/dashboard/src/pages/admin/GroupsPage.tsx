// Distribution groups: a named set of agents plus filters (states, loan purposes, amount range).
// Managers see them; admins create, edit and delete them.
import { useState } from 'react';
import { US_STATES } from '@leadline/domain';
import { api, errorMessage } from '../../api';
import { useMe } from '../../auth';
import { AsyncView, useAsync } from '../../ui/async';
import { ConfirmDialog, FormDialog } from '../../ui/modal';
import { useToast } from '../../ui/toast';
import { formatAmount, humanize, loadAllUsers, LoanFilterFields, MultiSelect, numberOrUndefined, options } from './controls';
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

  const submit = async () => {
    const body = {
      name: name.trim(),
      memberIds: members,
      filterStates: states,
      filterLoanPurposes: purposes,
      filterLoanAmountMin: numberOrUndefined(amountMin) ?? null,
      filterLoanAmountMax: numberOrUndefined(amountMax) ?? null,
    };
    onSaved(group ? await api.patch<DistributionGroupView>(`/distribution-groups/${group.id}`, body) : await api.post<DistributionGroupView>('/distribution-groups', body));
  };

  return (
    <FormDialog title={group ? `Edit group ${group.name}` : 'New group'} submitLabel={group ? 'Save' : 'Create group'} onSubmit={submit} onClose={onClose}>
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
        <LoanFilterFields purposes={purposes} setPurposes={setPurposes} amountMin={amountMin} setAmountMin={setAmountMin} amountMax={amountMax} setAmountMax={setAmountMax} />
      </div>
    </FormDialog>
  );
}
