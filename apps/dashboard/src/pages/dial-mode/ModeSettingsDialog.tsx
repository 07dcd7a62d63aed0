// One campaign × call mode: its settings (seed 004: high priority for new leads, time standard,
// retry delay, attempts, the status to move to, extra buttons) and the operators who may work it.
import { FormEvent, useEffect, useState } from 'react';
import { api } from '../../api';
import { AsyncView, ErrorBanner, useAsync } from '../../ui/async';
import { Modal } from '../../ui/modal';
import { Pager } from '../../ui/pager';
import { useToast } from '../../ui/toast';
import { buttonWords, CallMode, EXTRA_BUTTONS, ExtraDialButton, modeWords } from './dial-types';
import type { DialModeAccessView, DialModeSettingsView, LeadStatusView, Page, UserView } from '@leadline/contracts';

const USERS_PAGE_SIZE = 50;

interface Props {
  campaignId: string;
  campaignName: string;
  mode: CallMode;
  onClose: () => void;
  onSaved: () => void;
}

export function ModeSettingsDialog({ campaignId, campaignName, mode, onClose, onSaved }: Props) {
  const base = `/dial-mode/campaigns/${campaignId}`;
  const state = useAsync(
    async () => {
      const [settings, access, statuses] = await Promise.all([
        api.get<DialModeSettingsView>(`${base}/modes/${mode}/settings`),
        api.get<DialModeAccessView>(`${base}/modes/${mode}/access`),
        api.get<LeadStatusView[]>(`${base}/statuses`),
      ]);
      return { settings, access, statuses };
    },
    [base, mode],
  );
  const title = `${campaignName || 'Campaign'} · ${modeWords(mode)}`;
  return (
    <Modal title={title} onClose={onClose}>
      <div className="dial-wide">
        <AsyncView state={state}>{(d) => <SettingsForm base={`${base}/modes/${mode}`} {...d} onSaved={onSaved} onCancel={onClose} />}</AsyncView>
      </div>
    </Modal>
  );
}

function SettingsForm({ base, settings, access, statuses, onSaved, onCancel }: { base: string; settings: DialModeSettingsView; access: DialModeAccessView; statuses: LeadStatusView[]; onSaved: () => void; onCancel: () => void }) {
  const toast = useToast();
  const [highPriority, setHighPriority] = useState(settings.highPriority);
  const [timeStandard, setTimeStandard] = useState(String(settings.timeStandardMinutes));
  const [retryDelay, setRetryDelay] = useState(String(settings.retryDelayMinutes));
  const [maxAttempts, setMaxAttempts] = useState(String(settings.maxAttempts));
  const [exhaustedStatusId, setExhaustedStatusId] = useState(settings.exhaustedStatusId ?? '');
  const [extras, setExtras] = useState<ExtraDialButton[]>(settings.extraButtons);
  const [operators, setOperators] = useState<Set<string>>(new Set(access.userIds));
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);

  async function save(e: FormEvent) {
    e.preventDefault();
    setSaving(true);
    setError(null);
    try {
      await api.put(`${base}/settings`, {
        highPriority,
        timeStandardMinutes: Number(timeStandard),
        retryDelayMinutes: Number(retryDelay),
        maxAttempts: Number(maxAttempts),
        exhaustedStatusId: exhaustedStatusId || null,
        extraButtons: extras,
      });
      await api.put(`${base}/access`, { userIds: [...operators] });
      toast('success', 'Dial mode settings saved');
      onSaved();
    } catch (err) {
      setError(err);
    } finally {
      setSaving(false);
    }
  }

  const toggleExtra = (b: ExtraDialButton, on: boolean) => setExtras((list) => (on ? [...list.filter((x) => x !== b), b] : list.filter((x) => x !== b)));

  return (
    <form onSubmit={(e) => void save(e)} aria-label="Mode settings">
      <fieldset className="dial-fieldset">
        <legend>Settings</legend>
        <label className="inline">
          <input type="checkbox" checked={highPriority} onChange={(e) => setHighPriority(e.target.checked)} />
          High priority for new leads (they come before other campaigns' leads)
        </label>
        <div className="grid-form">
          <label>
            Time standard for dialing (minutes)
            <input type="number" min={0} max={10080} required value={timeStandard} onChange={(e) => setTimeStandard(e.target.value)} />
          </label>
          <label>
            Retry delay after no answer / busy / dropped (minutes)
            <input type="number" min={1} max={43200} required value={retryDelay} onChange={(e) => setRetryDelay(e.target.value)} />
          </label>
          <label>
            Maximum call attempts
            <input type="number" min={1} max={100} required value={maxAttempts} onChange={(e) => setMaxAttempts(e.target.value)} />
          </label>
          <label>
            Status to move to when attempts run out
            <select value={exhaustedStatusId} onChange={(e) => setExhaustedStatusId(e.target.value)}>
              <option value="">Keep its status</option>
              {statuses.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </label>
        </div>
        <div className="row dial-extras" role="group" aria-label="Extra buttons">
          <span className="muted">Buttons: Success, Callback, No answer, Busy, Dropped, and</span>
          {EXTRA_BUTTONS.map((b) => (
            <label key={b} className="inline">
              <input type="checkbox" checked={extras.includes(b)} onChange={(e) => toggleExtra(b, e.target.checked)} />
              {buttonWords(b)}
            </label>
          ))}
        </div>
      </fieldset>
      <OperatorPicker selected={operators} onChange={setOperators} />
      <ErrorBanner error={error} />
      <div className="actions">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="primary" disabled={saving}>
          {saving ? 'Saving…' : 'Save'}
        </button>
      </div>
    </form>
  );
}

/** Ticks for the operators who may work the mode; admins and managers may always. Paginated by the server. */
function OperatorPicker({ selected, onChange }: { selected: Set<string>; onChange: (s: Set<string>) => void }) {
  const [page, setPage] = useState(1);
  const users = useAsync(() => api.get<Page<UserView>>('/users', { page, pageSize: USERS_PAGE_SIZE }), [page]);
  const [total, setTotal] = useState(0);
  useEffect(() => {
    if (users.data) setTotal(users.data.total);
  }, [users.data]);
  const toggle = (id: string, on: boolean) => {
    const next = new Set(selected);
    if (on) next.add(id);
    else next.delete(id);
    onChange(next);
  };
  return (
    <fieldset className="dial-fieldset">
      <legend>Operator access ({selected.size} ticked)</legend>
      <AsyncView state={users}>
        {(data) => (
          <>
            <ul className="dial-operators" aria-label="Operators">
              {data.items.map((u) =>
                u.role === 'agent' ? (
                  <li key={u.id}>
                    <label className="inline">
                      <input type="checkbox" checked={selected.has(u.id)} onChange={(e) => toggle(u.id, e.target.checked)} />
                      {u.name}
                      <span className="muted small">{u.email}</span>
                    </label>
                  </li>
                ) : (
                  <li key={u.id} className="muted">
                    {u.name} <span className="small">({u.role}: may always work every queue)</span>
                  </li>
                ),
              )}
            </ul>
            {total > USERS_PAGE_SIZE && <Pager page={data.page} pageSize={data.pageSize} total={data.total} onPage={setPage} />}
          </>
        )}
      </AsyncView>
    </fieldset>
  );
}
