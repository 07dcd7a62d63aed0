// The Assign popup: pick any user of the org (searchable) and assign the lead exception to them.
import { FormEvent, useState } from 'react';
import { api } from '../../api';
import { AsyncView, ErrorBanner } from '../../ui/async';
import { Modal } from '../../ui/modal';
import { useAllUsers } from './controls';
import type { LeadRowView } from '@leadline/contracts';

export function AssignDialog({ lead, onClose, onAssigned }: { lead: LeadRowView; onClose: () => void; onAssigned: (userName: string, applicationId: string) => void }) {
  const users = useAllUsers();
  const [search, setSearch] = useState('');
  const [userId, setUserId] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!userId) {
      setError(new Error('Choose the user who takes this lead'));
      return;
    }
    setSaving(true);
    try {
      const { applicationId } = await api.post<{ applicationId: string }>(`/lead-exceptions/${lead.prospectId}/assign`, { userId });
      onAssigned(users.data?.find((u) => u.id === userId)?.name ?? 'the user', applicationId);
    } catch (err) {
      setError(err);
      setSaving(false);
    }
  };

  return (
    <Modal title={`Assign ${lead.name || 'lead'}`} onClose={onClose}>
      <form onSubmit={(e) => void submit(e)}>
        <p className="muted">
          {lead.campaign.name}
          {lead.failureReason ? ` · ${lead.failureReason}` : ''}
        </p>
        <ErrorBanner error={error} />
        <input type="search" aria-label="Search users" placeholder="Search by name, email or role" value={search} onChange={(e) => setSearch(e.target.value)} autoFocus style={{ width: '100%' }} />
        <AsyncView state={users}>
          {(all) => {
            const q = search.trim().toLowerCase();
            const shown = all.filter((u) => !q || u.name.toLowerCase().includes(q) || u.email.toLowerCase().includes(q) || u.role.includes(q));
            return (
              <div className="user-pick" role="radiogroup" aria-label="Users">
                {shown.map((u) => (
                  <label key={u.id} className="inline">
                    <input type="radio" name="assign-user" value={u.id} checked={userId === u.id} onChange={() => setUserId(u.id)} aria-label={u.name} />
                    <span>
                      {u.name} <span className="muted">· {u.email} · {u.role}</span>
                    </span>
                  </label>
                ))}
                {!shown.length && <p className="muted">No user matches “{search}”.</p>}
              </div>
            );
          }}
        </AsyncView>
        <div className="actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={saving || !userId}>
            {saving ? 'Assigning…' : 'Assign'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
