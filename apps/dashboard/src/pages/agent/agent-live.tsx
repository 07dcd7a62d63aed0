// What the server pushes to the signed-in agent, kept for the whole signed-in session (not just
// while the home page is open): own presence, open New Lead offers, leads assigned to them and the
// incoming-call popup, and managers' monitoring notices. Mounted once inside the SocketProvider; pages read it with useAgentLive.
import { createContext, ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { Link, useLocation } from 'react-router-dom';
import type { IncomingCallNotice, LeadAssignedNotice, LeadClaimAck, LeadOfferSummary, MonitoredNotice, Presence } from '@leadline/contracts';
import { errorMessage } from '../../api';
import { useAuth } from '../../auth';
import { useSocket, useSocketEvent } from '../../socket';
import { useToast } from '../../ui/toast';
import { IncomingCallDialog } from './IncomingCallDialog';
import './agent.css';

/** How long to wait for the server's answer to a claim before telling the agent. */
const CLAIM_TIMEOUT_MS = 10_000;
const MAX_NOTICES = 10;

export interface AssignedNotice extends LeadAssignedNotice {
  at: string;
}

interface AgentLive {
  /** Own presence as the server last pushed it; null until the first push after connecting. */
  presence: Presence | null;
  offers: LeadOfferSummary[];
  /** Leads assigned to the agent during this session, newest first. */
  assigned: AssignedNotice[];
  /** Sends `lead:claim` and resolves with the server's answer (`error` when it did not answer in time). */
  claim(prospectId: string): Promise<LeadClaimAck>;
  dismissOffer(prospectId: string): void;
  /** Managers monitoring the agent's calls (only sent when the org tells agents). */
  monitored: MonitoredNotice[];
}

const AgentLiveContext = createContext<AgentLive | null>(null);

export function AgentLiveProvider({ children }: { children: ReactNode }) {
  const { socket } = useSocket();
  const { refresh } = useAuth();
  const toast = useToast();
  const [presence, setPresence] = useState<Presence | null>(null);
  const [offers, setOffers] = useState<LeadOfferSummary[]>([]);
  const [assigned, setAssigned] = useState<AssignedNotice[]>([]);
  const [incoming, setIncoming] = useState<IncomingCallNotice | null>(null);
  const [monitored, setMonitored] = useState<MonitoredNotice[]>([]);

  const dismissOffer = useCallback((prospectId: string) => setOffers((list) => list.filter((o) => o.prospectId !== prospectId)), []);

  // The server sends presence and every open offer again on each (re)connection: start afresh so
  // an offer that closed while the link was down does not linger.
  useEffect(() => {
    if (!socket) return;
    const reset = () => {
      setOffers([]);
      setPresence(null);
    };
    socket.on('connect', reset);
    socket.on('disconnect', reset);
    return () => {
      socket.off('connect', reset);
      socket.off('disconnect', reset);
    };
  }, [socket]);

  useSocketEvent(
    'presence',
    useCallback(
      (p: Presence) => {
        setPresence(p);
        // The toggles may have been changed elsewhere (another tab, a manager): re-read them.
        refresh().catch((err: unknown) => toast('error', `Could not re-read your settings: ${errorMessage(err)}`));
      },
      [refresh, toast],
    ),
  );

  useSocketEvent(
    'lead:offer',
    useCallback((offer: LeadOfferSummary) => setOffers((list) => [...list.filter((o) => o.prospectId !== offer.prospectId), offer]), []),
  );
  useSocketEvent(
    'lead:taken',
    useCallback(({ prospectId }: { prospectId: string }) => dismissOffer(prospectId), [dismissOffer]),
  );
  useSocketEvent(
    'lead:expired',
    useCallback(({ prospectId }: { prospectId: string }) => dismissOffer(prospectId), [dismissOffer]),
  );
  useSocketEvent(
    'lead:assigned',
    useCallback(
      (notice: LeadAssignedNotice) => {
        // Taken in another tab of the same agent, or assigned while offered: the offer is done.
        dismissOffer(notice.prospectId);
        setAssigned((list) => [{ ...notice, at: new Date().toISOString() }, ...list.filter((n) => n.applicationId !== notice.applicationId)].slice(0, MAX_NOTICES));
      },
      [dismissOffer],
    ),
  );

  useSocketEvent(
    'call:incoming',
    useCallback((notice: IncomingCallNotice) => setIncoming(notice), []),
  );
  useSocketEvent(
    'call:ended',
    useCallback(({ callId }: { callId: string; answeredByYou: boolean }) => setIncoming((current) => (current?.callId === callId ? null : current)), []),
  );

  useSocketEvent(
    'call:monitored',
    useCallback((notice: MonitoredNotice) => {
      // One notice per manager on the call: one leaving does not hide another still listening.
      setMonitored((known) => [...known.filter((n) => n.callId !== notice.callId || n.managerName !== notice.managerName), ...(notice.mode ? [notice] : [])]);
    }, []),
  );
  useSocketEvent(
    'call:live-ended',
    useCallback(({ callId }: { callId: string }) => setMonitored((known) => (known.some((n) => n.callId === callId) ? known.filter((n) => n.callId !== callId) : known)), []),
  );

  const claim = useCallback(
    async (prospectId: string): Promise<LeadClaimAck> => {
      if (!socket?.connected) return { ok: false, reason: 'error' };
      try {
        return await socket.timeout(CLAIM_TIMEOUT_MS).emitWithAck('lead:claim', { prospectId });
      } catch {
        return { ok: false, reason: 'error' };
      }
    },
    [socket],
  );

  const value = useMemo<AgentLive>(() => ({ presence, offers, assigned, claim, dismissOffer, monitored }), [presence, offers, assigned, claim, dismissOffer, monitored]);
  return (
    <AgentLiveContext.Provider value={value}>
      {children}
      <OfferBanner count={offers.length} />
      {incoming && <IncomingCallDialog notice={incoming} onClose={() => setIncoming(null)} />}
    </AgentLiveContext.Provider>
  );
}

/** On pages other than home, a reminder that leads are waiting there. */
function OfferBanner({ count }: { count: number }) {
  const { pathname } = useLocation();
  if (!count || pathname === '/') return null;
  return (
    <div className="offer-banner" role="status">
      <strong>{count === 1 ? '1 new lead' : `${count} new leads`}</strong> offered to you. <Link to="/">Go to Home to take it</Link>
    </div>
  );
}

export function useAgentLive(): AgentLive {
  const ctx = useContext(AgentLiveContext);
  if (!ctx) throw new Error('useAgentLive outside AgentLiveProvider');
  return ctx;
}
