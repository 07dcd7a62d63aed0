// A campaign's lead statuses (name, add to dial mode automatically, the call mode it feeds, initial)
// and its calling window (borrower's local time).
import { FormEvent, useState } from 'react';
import { api, errorMessage } from '../../api';
import { AsyncView, ErrorBanner, useAsync } from '../../ui/async';
import { ConfirmDialog, Modal } from '../../ui/modal';
import { useToast } from '../../ui/toast';
import { CALL_MODES, CallMode, modeWords } from './dial-types';
import type { CallingWindowView, LeadStatusView } from '@leadline/contracts';

interface Props {
  campaignId: string;
  campaignName: string;
  onClose: () => void;
  onChanged: () => void;
}

export function CampaignDialog({ campaignId, campaignName, onClose, onChanged }: Props) {
  const base = `/dial-mode/campaigns/${campaignId}`;
  const statuses = useAsync(() => api.get<LeadStatusView[]>(`${base}/statuses`), [base]);
  const callingWindow = useAsync(() => api.get<CallingWindowView>(`${base}/calling-window`), [base]);
  const changed = () => {
    statuses.reload();
    onChanged();
  };
  return (
    <Modal title={`${campaignName || 'Campaign'} · statuses and calling window`} onClose={onClose}>
      <div className="dial-wide">
        <section>
          <h3>Lead statuses</h3>
          <AsyncView state={statuses}>
            {(list) => (
              <div className="table-wrap">
                <table aria-label="Lead statuses">
                  <thead>
                    <tr>
                      <th scope="col">Name</th>
                      <th scope="col">Add to dial mode automatically</th>
                      <th scope="col">Call mode</th>
                      <th scope="col">Initial</th>
                      <th scope="col">
                        <span className="visually-hidden">Actions</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {list.map((s) => (
                      <StatusRow key={`${s.id}-${s.name}-${String(s.addToDialMode)}-${s.callMode}-${String(s.isInitial)}`} base={base} status={s} onChanged={changed} />
                    ))}
                    <StatusRow key={`new-${list.length}`} base={base} status={null} onChanged={changed} />
                  </tbody>
                </table>
              </div>
            )}
          </AsyncView>
        </section>
        <section>
          <h3>Calling window</h3>
          <AsyncView state={callingWindow}>{(w) => <WindowForm key={`${w.start}-${w.end}`} base={base} current={w} onSaved={callingWindow.setData} />}</AsyncView>
        </section>
      </div>
    </Modal>
  );
}

/** One status (or, with `status` null, the row that adds one). Enter saves. */
function StatusRow({ base, status, onChanged }: { base: string; status: LeadStatusView | null; onChanged: () => void }) {
  const toast = useToast();
  const [name, setName] = useState(status?.name ?? '');
  const [addToDialMode, setAdd] = useState(status?.addToDialMode ?? false);
  const [callMode, setCallMode] = useState<CallMode | ''>(status?.callMode ?? '');
  const [isInitial, setInitial] = useState(status?.isInitial ?? false);
  const [busy, setBusy] = useState(false);
  const [confirm, setConfirm] = useState(false);
  const formId = `status-${status?.id ?? 'new'}`;
  const who = status ? status.name : 'new status';

  async function save(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    const body = { name, addToDialMode, callMode: callMode || null, isInitial };
    try {
      if (status) await api.patch(`/dial-mode/statuses/${status.id}`, body);
      else await api.post(`${base}/statuses`, body);
      toast('success', status ? `Status ${name} saved` : `Status ${name} added`);
      onChanged();
    } catch (err) {
      toast('error', `Could not save ${who}: ${errorMessage(err)}`);
    } finally {
      setBusy(false);
    }
  }

  async function remove() {
    setConfirm(false);
    if (!status) return;
    try {
      await api.delete(`/dial-mode/statuses/${status.id}`);
      toast('success', `Status ${status.name} deleted`);
      onChanged();
    } catch (err) {
      toast('error', `Could not delete ${status.name}: ${errorMessage(err)}`);
    }
  }

  return (
    <tr>
      <td>
        <form id={formId} onSubmit={(e) => void save(e)} />
        <input form={formId} aria-label={status ? `Name of ${who}` : 'New status name'} required maxLength={80} value={name} placeholder={status ? undefined : 'New status…'} onChange={(e) => setName(e.target.value)} />
      </td>
      <td>
        <input form={formId} type="checkbox" aria-label={`Add to dial mode automatically (${who})`} checked={addToDialMode} onChange={(e) => setAdd(e.target.checked)} />
      </td>
      <td>
        <select form={formId} aria-label={`Call mode of ${who}`} value={callMode} required={addToDialMode} onChange={(e) => setCallMode(e.target.value as CallMode | '')}>
          <option value="">—</option>
          {CALL_MODES.map((m) => (
            <option key={m} value={m}>
              {modeWords(m)}
            </option>
          ))}
        </select>
      </td>
      <td>
        <input form={formId} type="checkbox" aria-label={`Initial status (${who})`} checked={isInitial} onChange={(e) => setInitial(e.target.checked)} />
      </td>
      <td className="nowrap">
        <button form={formId} type="submit" disabled={busy} aria-label={status ? `Save ${who}` : 'Add status'}>
          {status ? 'Save' : 'Add'}
        </button>
        {status && (
          <button type="button" className="danger" aria-label={`Delete ${who}`} onClick={() => setConfirm(true)}>
            Delete
          </button>
        )}
        {confirm && status && <ConfirmDialog title="Delete status" text={`Delete the status ${status.name}? Only a status no lead is in can be deleted.`} confirmLabel="Delete" onConfirm={() => void remove()} onCancel={() => setConfirm(false)} />}
      </td>
    </tr>
  );
}

function WindowForm({ base, current, onSaved }: { base: string; current: CallingWindowView; onSaved: (w: CallingWindowView) => void }) {
  const toast = useToast();
  const [start, setStart] = useState(current.start);
  const [end, setEnd] = useState(current.end);
  const [error, setError] = useState<unknown>(null);

  async function save(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      const saved = await api.put<CallingWindowView>(`${base}/calling-window`, { start, end });
      toast('success', `Calling window ${saved.start}–${saved.end} saved`);
      onSaved(saved);
    } catch (err) {
      setError(err);
    }
  }

  return (
    <form className="row" onSubmit={(e) => void save(e)} aria-label="Calling window">
      <label>
        From (borrower's local time)
        <input type="time" required value={start} onChange={(e) => setStart(e.target.value)} />
      </label>
      <label>
        Until
        <input type="text" required pattern="([01]\d|2[0-3]):[0-5]\d|24:00" title="HH:MM, 24:00 for midnight" inputMode="numeric" value={end} onChange={(e) => setEnd(e.target.value)} />
      </label>
      <button type="submit">Save window</button>
      <span className="muted small">{current.isDefault ? 'Default window (08:00–21:00)' : 'Own window'} · leads are dialled only inside it, in every time zone of their state.</span>
      <ErrorBanner error={error} />
    </form>
  );
}
