// Connected calls and managers' monitors, live: read from the REST API each time the socket is
// (re)connected — and, for the team board, each time the team subscription is renewed, since the
// team's `call:*` events only reach a socket in the team room — then kept current by `call:live`,
// `call:live-ended` and `call:monitor`.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { LiveCallView, MonitorView } from '@leadline/contracts';
import { api, errorMessage } from '../api';
import { useSocket, useSocketEvent } from '../socket';

/** What the socket said while the list was being read: newer than the list. */
interface PushedMeanwhile {
  changed: Map<string, LiveCallView>;
  ended: Set<string>;
}

/**
 * Every connected call the server shows this user (an agent: their own; managers and admins: the
 * org's). A new `generation` reads the list again (a renewed team subscription); null waits.
 */
export function useLiveCalls(generation: number | null = 0): { calls: LiveCallView[]; error: string | null } {
  const { socket, connected } = useSocket();
  const [calls, setCalls] = useState<Map<string, LiveCallView>>(new Map());
  const [error, setError] = useState<string | null>(null);
  const meanwhile = useRef<PushedMeanwhile | null>(null);

  useEffect(() => {
    if (!socket || !connected || generation === null) return;
    let current = true;
    const pushed: PushedMeanwhile = { changed: new Map(), ended: new Set() };
    meanwhile.current = pushed;
    api.get<LiveCallView[]>('/calls/live').then(
      (list) => {
        if (!current) return;
        meanwhile.current = null;
        const next = new Map(list.map((c) => [c.callId, c]));
        for (const [id, c] of pushed.changed) next.set(id, c);
        for (const id of pushed.ended) next.delete(id);
        setCalls(next);
        setError(null);
      },
      (err: unknown) => current && setError(`Could not read the live calls: ${errorMessage(err)}`),
    );
    return () => {
      current = false;
    };
  }, [socket, connected, generation]);

  useSocketEvent(
    'call:live',
    useCallback((call: LiveCallView) => {
      meanwhile.current?.changed.set(call.callId, call);
      setCalls((known) => new Map(known).set(call.callId, call));
    }, []),
  );
  useSocketEvent(
    'call:live-ended',
    useCallback(({ callId }: { callId: string }) => {
      meanwhile.current?.changed.delete(callId);
      meanwhile.current?.ended.add(callId);
      setCalls((known) => {
        const next = new Map(known);
        next.delete(callId);
        return next;
      });
    }, []),
  );

  return { calls: Array.from(calls.values()), error };
}

const monitorKey = (m: MonitorView) => `${m.callId}/${m.managerId}`;

/** Managers' monitors of the org's live calls (managers and admins only). */
export function useMonitors(generation: number | null): { monitors: MonitorView[]; error: string | null } {
  const { socket, connected } = useSocket();
  const [monitors, setMonitors] = useState<MonitorView[]>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!socket || !connected || generation === null) return;
    let current = true;
    api.get<MonitorView[]>('/calls/monitors').then(
      (list) => {
        if (!current) return;
        setMonitors(list);
        setError(null);
      },
      (err: unknown) => current && setError(`Could not read who is monitoring calls: ${errorMessage(err)}`),
    );
    return () => {
      current = false;
    };
  }, [socket, connected, generation]);

  useSocketEvent(
    'call:monitor',
    useCallback((m: MonitorView) => {
      setMonitors((list) => {
        const rest = list.filter((x) => monitorKey(x) !== monitorKey(m));
        return m.state === 'ended' ? rest : [...rest, m];
      });
    }, []),
  );
  return { monitors, error };
}
