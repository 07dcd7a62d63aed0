// The operator's dial mode: choose a queue you were granted, take the next due lead (the server
// rings your work phone first, then the lead), follow the call as the server reports it over the
// socket, record the result with the mode's buttons (number keys 1–7 too), then the next lead.
import { FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { ApiError, api } from '../../api';
import { useMe } from '../../auth';
import { useSocketEvent } from '../../socket';
import { AsyncView, ErrorBanner, useAsync } from '../../ui/async';
import { useToast } from '../../ui/toast';
import { buttonWords, DialButton, formatWhen, localTimeIn, modeWords, subStateWords } from './dial-types';
import './dial-mode.css';
import type { DialCallNotice, DialHoldExpiredNotice, DialLeadView, DialModeMeView, DialNextView, DialResultView, LeadStatusView } from '@leadline/contracts';

/** `in_progress`: a call was already going when the page opened (its state comes with the next push). */
// not_dialled: the org's dialling policy refuses the lead's number (the reason in `detail`).
type CallState = DialCallNotice['status'] | 'ringing_operator' | 'in_progress' | 'not_dialled';
type CallView = { status: CallState; leadResult?: string | null; detail?: string };

interface Empty {
  nextCallableAt: string | null;
}

export function DialModePage() {
  const me = useAsync(() => api.get<DialModeMeView>('/dial-mode/me'), []);
  return (
    <div>
      <h1>Dial mode</h1>
      {me.error instanceof ApiError && me.error.status === 403 ? <NoAccess /> : <AsyncView state={me}>{(data) => (data.scopes.length ? <Dialer me={data} reloadMe={me.reload} /> : <NoAccess />)}</AsyncView>}
    </div>
  );
}

function Dialer({ me, reloadMe }: { me: DialModeMeView; reloadMe: () => void }) {
  const user = useMe();
  const toast = useToast();
  const [scope, setScope] = useState('');
  const [current, setCurrent] = useState<DialLeadView | null>(me.current);
  const [callId, setCallId] = useState<string | null>(me.callId);
  const [callState, setCallState] = useState<CallView | null>(me.callId ? { status: 'in_progress' } : null);
  const [outcome, setOutcome] = useState<DialResultView | null>(null);
  const [empty, setEmpty] = useState<Empty | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  // The lead handed to this page and its call: pushes for anything else are ignored.
  const entryRef = useRef<string | null>(me.current?.entryId ?? null);
  // Names of the leads handed out on this page, for the result line.
  const names = useRef(new Map<string, string>());
  if (current) names.current.set(current.entryId, current.lead.name ?? current.lead.phone);
  const callIdRef = useRef(callId);
  callIdRef.current = callId;
  // Pushes that arrive while "next" is still on its way are kept and applied once it answers.
  const early = useRef<{ notices: DialCallNotice[]; results: DialResultView[] } | null>(null);

  useEffect(() => {
    setCurrent(me.current);
    setCallId(me.callId);
    setCallState(me.callId ? { status: 'in_progress' } : null);
    if (me.current) entryRef.current = me.current.entryId;
  }, [me]);

  const applyResult = useCallback((r: DialResultView) => {
    if (r.entryId !== entryRef.current) return;
    entryRef.current = null;
    setOutcome(r);
    setCurrent(null);
    setEmpty(null);
  }, []);
  const applyNotice = useCallback((n: DialCallNotice) => {
    if (n.callId !== callIdRef.current) return;
    setCallState({ status: n.status, leadResult: n.leadResult });
    // The lead was never dialled (the operator's phone did not answer): the server gave it back unchanged.
    if (n.status === 'ended' && !n.leadResult && entryRef.current === n.entryId) {
      entryRef.current = null;
      setCurrent(null);
      setNote('The lead was not dialled (your phone did not answer), so it went back to its queue unchanged.');
    }
  }, []);

  useSocketEvent(
    'dial:call',
    useCallback(
      (n: DialCallNotice) => {
        if (early.current) early.current.notices.push(n);
        else applyNotice(n);
      },
      [applyNotice],
    ),
  );
  useSocketEvent(
    'dial:result',
    useCallback(
      (r: DialResultView) => {
        if (early.current) early.current.results.push(r);
        else applyResult(r);
      },
      [applyResult],
    ),
  );

  useSocketEvent(
    'dial:expired',
    useCallback((n: DialHoldExpiredNotice) => {
      if (n.entryId !== entryRef.current) return;
      entryRef.current = null;
      setCurrent(null);
      setCallId(null);
      setCallState(null);
      setNote(`This lead went back to its queue: no result was recorded for ${n.idleMinutes} minute${n.idleMinutes === 1 ? '' : 's'}.`);
    }, []),
  );

  const [campaignId, mode] = scope ? scope.split('|') : [undefined, undefined];

  const next = useCallback(async () => {
    setBusy(true);
    setError(null);
    setOutcome(null);
    setEmpty(null);
    setCallState(null);
    setNote(null);
    early.current = { notices: [], results: [] };
    try {
      const answer = await api.post<DialNextView>('/dial-mode/next', { campaignId, mode });
      const pushed = early.current;
      early.current = null;
      if (!answer.lead) {
        setEmpty({ nextCallableAt: answer.nextCallableAt });
        return;
      }
      entryRef.current = answer.lead.entryId;
      callIdRef.current = answer.call?.callId ?? null;
      setCurrent(answer.lead);
      setCallId(callIdRef.current);
      setCallState(answer.call ? { status: answer.call.status } : answer.dialRefused ? { status: 'not_dialled', detail: answer.dialRefused } : null);
      pushed.notices.forEach(applyNotice);
      pushed.results.forEach(applyResult);
    } catch (err) {
      early.current = null;
      if (err instanceof ApiError && err.code === 'DIAL_RESULT_PENDING') reloadMe();
      setError(err);
    } finally {
      setBusy(false);
    }
  }, [campaignId, mode, applyNotice, applyResult, reloadMe]);


  const record = useCallback(
    async (button: DialButton, extra: { statusId?: string; callbackAt?: string } = {}) => {
      setBusy(true);
      setError(null);
      try {
        applyResult(await api.post<DialResultView>('/dial-mode/current/result', { button, ...extra }));
      } catch (err) {
        if (err instanceof ApiError && err.code === 'NO_CURRENT_DIAL_LEAD') reloadMe();
        setError(err);
      } finally {
        setBusy(false);
      }
    },
    [applyResult, reloadMe],
  );

  // N takes the next lead (not while typing, and not while a lead waits for its result).
  const canNext = !current && !busy && user.workPhoneType !== null;
  useEffect(() => {
    if (!canNext) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || (e.key !== 'n' && e.key !== 'N')) return;
      const t = e.target as HTMLElement | null;
      if (t && (t.tagName === 'INPUT' || t.tagName === 'SELECT' || t.tagName === 'TEXTAREA')) return;
      e.preventDefault();
      void next();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [canNext, next]);

  async function release() {
    setBusy(true);
    try {
      await api.post('/dial-mode/current/release');
      toast('success', 'The lead is back in its queue, unchanged');
      entryRef.current = null;
      setCurrent(null);
      setCallState(null);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const noPhone = user.workPhoneType === null;
  const notReady = !user.loggedIn || !user.callsOn;
  const campaigns = [...new Map(me.scopes.map((s) => [s.campaign.id, s.campaign.name])).entries()];

  return (
    <>
      {noPhone && (
        <div className="error-banner" role="alert">
          You have no work phone Leadline can ring, so dial mode can't call for you. Ask an admin to set your work phone.
        </div>
      )}
      {!noPhone && notReady && (
        <div className="dial-warning" role="status">
          {!user.loggedIn ? 'You are logged out of calls' : 'Your calls are off'}: turn them on on <Link to="/">Home</Link> before taking a lead.
        </div>
      )}
      {!current && (
        <form
          className="panel row"
          aria-label="Enter dial mode"
          onSubmit={(e) => {
            e.preventDefault();
            void next();
          }}
        >
          <label>
            Queue
            <select value={scope} onChange={(e) => setScope(e.target.value)} disabled={busy}>
              <option value="">All my queues</option>
              {campaigns.map(([id, name]) => (
                <optgroup key={id} label={name}>
                  {me.scopes
                    .filter((s) => s.campaign.id === id)
                    .map((s) => (
                      <option key={`${id}|${s.mode}`} value={`${id}|${s.mode}`}>
                        {name} · {modeWords(s.mode)}
                      </option>
                    ))}
                </optgroup>
              ))}
            </select>
          </label>
          <button type="submit" className="primary" disabled={busy || noPhone} autoFocus aria-keyshortcuts="N">
            {busy ? 'Getting a lead…' : outcome || empty || note ? 'Next lead' : 'Start dialing'}
          </button>
          <span className="muted small">Your phone rings first; answer it and Leadline dials the lead. Keys: N next lead, 1–7 the result buttons.</span>
        </form>
      )}
      <ErrorBanner error={error} />
      {note && (
        <div className="dial-warning" role="status">
          {note}
        </div>
      )}
      {outcome && <OutcomeView outcome={outcome} name={names.current.get(outcome.entryId) ?? null} />}
      {empty && (
        <div className="panel dial-empty" role="status" aria-label="Queue status">
          {empty.nextCallableAt ? (
            <>
              <strong>Nothing to dial right now.</strong> The next lead becomes callable at {formatWhen(empty.nextCallableAt)}.
            </>
          ) : (
            <>
              <strong>The queue is empty.</strong> No lead of your queues is waiting.
            </>
          )}
        </div>
      )}
      {current && <LeadPanel lead={current} callState={callState} busy={busy} onResult={record} onRelease={() => void release()} />}
    </>
  );
}

function NoAccess() {
  return (
    <div className="panel" role="status">
      <strong>You have no access to dial mode.</strong> An admin or manager grants operators access per campaign and call mode (Dial-up settings).
    </div>
  );
}

function callWords(state: CallView | null, name: string): string {
  if (!state) return 'No call in progress.';
  switch (state.status) {
    case 'in_progress':
      return `A call to ${name} is in progress.`;
    case 'ringing_operator':
      return `Your phone is ringing: answer it to call ${name}.`;
    case 'connected':
      return `Connected: you are talking to ${name}.`;
    case 'borrower_no_answer':
      return `${name} did not answer.`;
    case 'agent_no_answer':
      return 'You did not answer your phone; the lead was not dialled.';
    case 'agent_hung_up':
      return 'You hung up.';
    case 'failed':
      return 'The call failed.';
    case 'ended':
      return state.leadResult ? `Call ended (${state.leadResult.replace(/_/g, ' ')}).` : 'Call ended.';
    case 'not_dialled':
      return `Not dialled: ${state.detail ?? 'the number is not allowed'}. Record a result for this lead.`;
  }
}

function LeadPanel({ lead, callState, busy, onResult, onRelease }: { lead: DialLeadView; callState: CallView | null; busy: boolean; onResult: (b: DialButton, extra?: { statusId?: string; callbackAt?: string }) => Promise<void>; onRelease: () => void }) {
  const [picker, setPicker] = useState<'success' | 'callback' | null>(null);
  const name = lead.lead.name ?? lead.lead.phone;

  const press = useCallback(
    (b: DialButton) => {
      if (b === 'success' || b === 'callback') setPicker(b);
      else void onResult(b);
    },
    [onResult],
  );

  // Number keys press the buttons (not while typing in a field or a picker is open).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (picker || busy || e.ctrlKey || e.metaKey || e.altKey) return;
      const t = e.target as HTMLElement | null;
      if (t && (t.tagName === 'INPUT' || t.tagName === 'SELECT' || t.tagName === 'TEXTAREA')) return;
      const i = Number(e.key) - 1;
      if (Number.isInteger(i) && i >= 0 && i < lead.buttons.length) {
        e.preventDefault();
        press(lead.buttons[i]);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [lead.buttons, picker, busy, press]);

  return (
    <section className="panel dial-lead" aria-label={`Current lead: ${name}`}>
      <div className="dial-lead-head">
        <div>
          <div className="dial-lead-name">{name}</div>
          <a className="mono dial-phone" href={`tel:${lead.lead.phone}`}>
            {lead.lead.phone}
          </a>
        </div>
        <div className={`dial-call dial-call-${callState?.status ?? 'none'}`} role="status" aria-label="Call state">
          {callWords(callState, name)}
        </div>
      </div>
      <dl className="facts">
        <dt>Campaign</dt>
        <dd>{lead.campaign.name}</dd>
        <dt>Call mode</dt>
        <dd>
          {modeWords(lead.mode)} · {subStateWords(lead.subState)}
        </dd>
        <dt>Attempts</dt>
        <dd>
          {lead.attempts} of {lead.maxAttempts}
        </dd>
        <dt>Due</dt>
        <dd>{formatWhen(lead.dueAt)}</dd>
        <dt>Property state</dt>
        <dd>{lead.lead.propertyState ?? '—'}</dd>
        <dt>Lead's local time</dt>
        <dd>{lead.timeZones.length ? lead.timeZones.map((z) => localTimeIn(z)).join(' / ') : '—'}</dd>
        {lead.lastResult && (
          <>
            <dt>Last result</dt>
            <dd>
              {buttonWords(lead.lastResult)}
              {lead.lastDialedAt ? ` (${formatWhen(lead.lastDialedAt)})` : ''}
            </dd>
          </>
        )}
      </dl>
      <div className="dial-buttons" role="group" aria-label="Result">
        {lead.buttons.map((b, i) => (
          <button key={b} type="button" className={`dial-button dial-button-${b}`} disabled={busy} aria-keyshortcuts={String(i + 1)} onClick={() => press(b)}>
            <kbd aria-hidden="true">{i + 1}</kbd> {buttonWords(b)}
          </button>
        ))}
        <button type="button" className="link-button" disabled={busy} onClick={onRelease}>
          Give back unchanged
        </button>
      </div>
      {picker === 'success' && <SuccessPicker lead={lead} onCancel={() => setPicker(null)} onPick={(statusId) => void onResult('success', { statusId })} />}
      {picker === 'callback' && <CallbackPicker onCancel={() => setPicker(null)} onPick={(callbackAt) => void onResult('callback', { callbackAt })} />}
    </section>
  );
}

function SuccessPicker({ lead, onPick, onCancel }: { lead: DialLeadView; onPick: (statusId: string) => void; onCancel: () => void }) {
  const statuses = useAsync(() => api.get<LeadStatusView[]>(`/dial-mode/campaigns/${lead.campaign.id}/statuses`), [lead.campaign.id]);
  const [statusId, setStatusId] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (statusId) onPick(statusId);
  };
  return (
    <form className="dial-picker" aria-label="Success" onSubmit={submit} onKeyDown={(e) => e.key === 'Escape' && onCancel()}>
      <AsyncView state={statuses}>
        {(list) => (
          <label>
            Next status
            <select autoFocus required value={statusId} onChange={(e) => setStatusId(e.target.value)}>
              <option value="">Choose…</option>
              {list
                .filter((s) => s.id !== lead.lead.leadStatusId)
                .map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                    {s.addToDialMode && s.callMode ? ` (→ ${modeWords(s.callMode)})` : ''}
                  </option>
                ))}
            </select>
          </label>
        )}
      </AsyncView>
      <button type="submit" className="primary" disabled={!statusId}>
        Record success
      </button>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
    </form>
  );
}

/** `datetime-local` value for a Date in the browser's zone. */
function localInputValue(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function CallbackPicker({ onPick, onCancel }: { onPick: (callbackAt: string) => void; onCancel: () => void }) {
  const [value, setValue] = useState(() => localInputValue(new Date(Date.now() + 60 * 60_000)));
  const [error, setError] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const at = new Date(value);
    if (Number.isNaN(at.getTime())) {
      setError('Choose a date and time');
      return;
    }
    onPick(at.toISOString());
  };
  return (
    <form className="dial-picker" aria-label="Callback" onSubmit={submit} onKeyDown={(e) => e.key === 'Escape' && onCancel()}>
      <label>
        Call back at (your time)
        <input type="datetime-local" autoFocus required value={value} onChange={(e) => setValue(e.target.value)} />
      </label>
      <button type="submit" className="primary">
        Plan callback
      </button>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
      {error && <span role="alert">{error}</span>}
    </form>
  );
}

const REASONS: Record<string, string> = { success: 'success', max_attempts: 'the attempts ran out', wrong_number: 'wrong number', do_not_call: 'added to the do-not-call list' };

function OutcomeView({ outcome, name }: { outcome: DialResultView; name: string | null }) {
  const by = outcome.by === 'asterisk' ? 'The server recorded' : 'Recorded';
  let what: string;
  if (outcome.effect === 'requeued') {
    what = `${subStateWords(outcome.subState ?? '')}: due again ${formatWhen(outcome.dueAt)}`;
    if (outcome.callableAt && outcome.callableAt !== outcome.dueAt) what += ` (callable from ${formatWhen(outcome.callableAt)})`;
    what += `, attempt ${outcome.attempts}.`;
  } else {
    what = `The lead left the queue (${REASONS[outcome.reason ?? ''] ?? outcome.reason ?? 'done'})${outcome.movedTo ? ` and joined ${modeWords(outcome.movedTo.mode)}` : ''}.`;
  }
  return (
    <div className="panel dial-outcome" role="status" aria-label="Last result">
      {name && <span className="dial-outcome-name">{name}: </span>}
      <strong>
        {by} {buttonWords(outcome.button)}.
      </strong>{' '}
      {what}
    </div>
  );
}
