// The agent's home: own presence as the BusyLight shows it, the desk light this tab drives (or the
// desk app), the three session toggles, live New Lead offers (first click wins) and the leads
// assigned during this session. Every role sees it: managers and admins who take leads use it too.
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import type { LeadOfferSummary, Presence } from '@leadline/contracts';
import { api, errorMessage } from '../../api';
import { useAuth, useMe } from '../../auth';
import { AsyncView, ErrorBanner, useAsync } from '../../ui/async';
import { useToast } from '../../ui/toast';
import { DeskLightPanel } from '../../lights/DeskLightPanel';
import { MyCallsPanel } from '../../calls/MyCallsPanel';
import { useSecondsUntil } from '../../ui/use-seconds-until';
import { AssignedNotice, useAgentLive } from './agent-live';
import { formatAmount, formatCountdown, formatDateTime, formatPurpose, formatVia, fullName, presenceWords } from './format';
import type { ApplicationView, UserView } from '@leadline/contracts';

export function AgentHome() {
  const { presence, offers, assigned, monitored } = useAgentLive();
  const [won, setWon] = useState<{ offer: LeadOfferSummary; applicationId: string }[]>([]);
  const wonIds = new Set(won.map((w) => w.applicationId));
  const others = assigned.filter((n) => !wonIds.has(n.applicationId));

  return (
    <div className="agent-home">
      <h1>Home</h1>
      <div className="agent-top">
        <div>
          <PresencePanel presence={presence} />
          <DeskLightPanel />
        </div>
        <SessionToggles presence={presence} />
      </div>

      <MyCallsPanel monitored={monitored} />

      <section className="panel" aria-labelledby="offers-heading">
        <h2 id="offers-heading">New leads</h2>
        {won.map((w) => (
          <WonLead key={w.applicationId} offer={w.offer} applicationId={w.applicationId} onDismiss={() => setWon((list) => list.filter((x) => x !== w))} />
        ))}
        {offers.length ? (
          <ul className="offers" aria-label="Lead offers">
            {offers.map((o) => (
              <OfferCard key={o.prospectId} offer={o} onWon={(applicationId) => setWon((list) => [{ offer: o, applicationId }, ...list])} />
            ))}
          </ul>
        ) : (
          <p className="muted">
            No lead offers right now. Distribute All leads appear here the moment they arrive{presence?.state === 'available' ? '' : ', while you are available'}.
          </p>
        )}
      </section>

      {others.length > 0 && (
        <section className="panel" aria-labelledby="assigned-heading">
          <h2 id="assigned-heading">Assigned to you</h2>
          <ul className="notices">
            {others.map((n) => (
              <AssignedItem key={n.applicationId} notice={n} />
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

function PresencePanel({ presence }: { presence: Presence | null }) {
  if (!presence) {
    return (
      <section className="panel presence" aria-label="My presence">
        <span className="light unknown" role="img" aria-label="Presence light: unknown" data-color="unknown" data-blink="false" />
        <div>
          <div className="presence-title">Waiting for the server…</div>
          <div className="muted">Your presence shows here once the live connection is up.</div>
        </div>
      </section>
    );
  }
  const words = presenceWords(presence.reason);
  const colour = presence.blink ? `blinking ${presence.color}` : presence.color;
  return (
    <section className="panel presence" aria-label="My presence">
      <span
        className={`light big ${presence.color}${presence.blink ? ' blink' : ''}`}
        role="img"
        aria-label={`Presence light: ${colour}`}
        data-color={presence.color}
        data-blink={String(presence.blink)}
        data-state={presence.state}
      />
      <div>
        <div className="presence-title">{words.title}</div>
        <div className="muted" data-testid="presence-reason">
          {words.detail}
        </div>
        <div className="muted small">Since {new Date(presence.since).toLocaleTimeString()}</div>
      </div>
    </section>
  );
}

type Toggle = 'loggedIn' | 'callsOn' | 'showIncomingCallDetails';

const TOGGLES: { key: Toggle; label: string; hint: string }[] = [
  { key: 'loggedIn', label: 'Log in to calls', hint: 'Take calls and leads at all' },
  { key: 'callsOn', label: 'Calls on', hint: 'Turn off for a break without logging out' },
  { key: 'showIncomingCallDetails', label: 'Show incoming call details', hint: 'Lead details in the incoming-call popup' },
];

/** The switches show the server's answer, never a local guess; the light follows the server's push. */
function SessionToggles({ presence }: { presence: Presence | null }) {
  const me = useMe();
  const { setUser, refresh } = useAuth();
  const toast = useToast();
  const [pending, setPending] = useState<Toggle | null>(null);

  // A star code on the desk phone (*11 / *10, *21 / *20) moves the light first: re-read the switches.
  const reason = presence?.reason;
  useEffect(() => {
    if (reason) refresh().catch(() => undefined);
  }, [reason, refresh]);

  // "Show incoming call details" changed in another tab moves no light: re-read on coming back.
  useEffect(() => {
    const onFocus = () => refresh().catch((err: unknown) => toast('error', `Could not re-read your settings: ${errorMessage(err)}`));
    window.addEventListener('focus', onFocus);
    return () => window.removeEventListener('focus', onFocus);
  }, [refresh, toast]);

  async function change(key: Toggle, value: boolean) {
    setPending(key);
    try {
      setUser(await api.patch<UserView>('/me/session', { [key]: value }));
    } catch (err) {
      toast('error', `Could not change “${TOGGLES.find((t) => t.key === key)?.label}”: ${errorMessage(err)}`);
    } finally {
      setPending(null);
    }
  }

  return (
    <section className="panel toggles" aria-label="Call settings">
      {me.extension && (
        <p className="muted small" data-testid="my-extension">
          Your extension <strong className="mono">{me.extension}</strong> · on your desk phone *11 / *10 log in / out, *21 / *20 calls on / off
        </p>
      )}
      {TOGGLES.map((t) => (
        <label key={t.key} className="toggle">
          <input
            type="checkbox"
            role="switch"
            checked={me[t.key]}
            disabled={pending !== null}
            aria-labelledby={`label-${t.key}`}
            aria-describedby={`hint-${t.key}`}
            onChange={(e) => void change(t.key, e.target.checked)}
          />
          <span>
            <span id={`label-${t.key}`} className="toggle-label">
              {t.label}
            </span>
            <span id={`hint-${t.key}`} className="muted small">
              {pending === t.key ? 'Saving…' : t.hint}
            </span>
          </span>
        </label>
      ))}
    </section>
  );
}

function OfferCard({ offer, onWon }: { offer: LeadOfferSummary; onWon: (applicationId: string) => void }) {
  const { claim, dismissOffer } = useAgentLive();
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const left = useSecondsUntil(offer.expiresAt);
  const name = offer.name || '(no name)';

  async function take() {
    setBusy(true);
    const answer = await claim(offer.prospectId);
    if (answer.ok) {
      toast('success', `You took the lead ${name}.`);
      onWon(answer.applicationId);
      dismissOffer(offer.prospectId);
      return;
    }
    setBusy(false);
    switch (answer.reason) {
      case 'taken':
        toast('warning', `Another agent took this lead (${name}).`);
        dismissOffer(offer.prospectId);
        break;
      case 'not_offered':
        toast('error', `This lead (${name}) is no longer offered to you.`);
        dismissOffer(offer.prospectId);
        break;
      case 'invalid':
      case 'error':
        toast('error', `The server did not confirm taking ${name}; try again.`);
        break;
    }
  }

  return (
    <li className="offer" aria-label={`New lead: ${name}`}>
      <div className="offer-head">
        <strong>{name}</strong>
        <span className={`countdown${left <= 10 ? ' urgent' : ''}`} role="timer" aria-label="Time left">
          {left > 0 ? `${formatCountdown(left)} left` : 'Expiring…'}
        </span>
      </div>
      <dl className="facts compact">
        <dt>Campaign</dt>
        <dd>{offer.campaign.name}</dd>
        <dt>State</dt>
        <dd>{offer.state ?? '—'}</dd>
        <dt>Loan purpose</dt>
        <dd>{formatPurpose(offer.loanPurpose)}</dd>
        <dt>Loan amount</dt>
        <dd>{formatAmount(offer.loanAmount)}</dd>
        {offer.leadProvider && (
          <>
            <dt>Lead provider</dt>
            <dd>{offer.leadProvider}</dd>
          </>
        )}
      </dl>
      <button type="button" className="primary" disabled={busy} onClick={() => void take()}>
        {busy ? 'Taking…' : 'Take lead'}
      </button>
    </li>
  );
}

function WonLead({ offer, applicationId, onDismiss }: { offer: LeadOfferSummary; applicationId: string; onDismiss: () => void }) {
  const state = useAsync(() => api.get<ApplicationView>(`/applications/${applicationId}`), [applicationId]);
  return (
    <div className="won" role="region" aria-label={`You took ${offer.name || 'the lead'}`}>
      <div className="offer-head">
        <strong>You took this lead: it is now your application.</strong>
        <button type="button" className="link" aria-label="Dismiss" onClick={onDismiss}>
          ×
        </button>
      </div>
      <AsyncView state={state}>
        {(app) => (
          <dl className="facts compact">
            <dt>Name</dt>
            <dd>{fullName(app.prospect.firstName, app.prospect.lastName)}</dd>
            <dt>Mobile</dt>
            <dd>{app.prospect.mobilePhone ?? '—'}</dd>
            <dt>Email</dt>
            <dd>{app.prospect.email ?? '—'}</dd>
            <dt>Campaign</dt>
            <dd>{app.prospect.campaignName}</dd>
            <dt>State</dt>
            <dd>{app.prospect.propertyState ?? '—'}</dd>
            <dt>Loan</dt>
            <dd>
              {formatPurpose(app.prospect.loanPurpose)}, {formatAmount(app.prospect.loanAmount)}
            </dd>
          </dl>
        )}
      </AsyncView>
      <Link to="/my/applications">All my applications</Link>
    </div>
  );
}

function AssignedItem({ notice }: { notice: AssignedNotice }) {
  const state = useAsync(() => api.get<ApplicationView>(`/applications/${notice.applicationId}`), [notice.applicationId]);
  const app = state.data;
  return (
    <li>
      {app ? <strong>{fullName(app.prospect.firstName, app.prospect.lastName)}</strong> : 'A lead'} was assigned to you ({formatVia(notice.via)}) at {formatDateTime(notice.at)}.{' '}
      <Link to="/my/applications">My applications</Link>
      <ErrorBanner error={state.error} onRetry={state.reload} />
    </li>
  );
}
