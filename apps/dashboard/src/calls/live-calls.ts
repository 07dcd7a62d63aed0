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
 * Reads `path` each time the socket is (re)connected and each time `generation` changes (null
 * waits); `onList` gets the answer unless a newer read started. Returns the last read's error.
 */
function useReadOnConnect<T>(path: string, what: string, generation: number | null, onStart: () => void, onList: (list: T[]) => void): string | null {
  const { socket, connected } = useSocket();
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!socket || !connected || generation === null) return;
    let current = true;
    onStart();
    api.get<T[]>(path).then(
      (list) => {
        if (!current) return;
        onList(list);
        setError(null);
      },
      (err: unknown) => current && setError(`Could not read ${what}: ${errorMessage(err)}`),
    );
    return () => {
      current = false;
    };
  }, [socket, connected, generation, path, what, onStart, onList]);
  return error;
}

/**
 * Every connected call the server shows this user (an agent: their own; managers and admins: the
 * org's). A new `generation` reads the list again (a renewed team subscription); null waits.
 */
export function useLiveCalls(generation: number | null = 0): { calls: LiveCallView[]; error: string | null } {
  const [calls, setCalls] = useState<Map<string, LiveCallView>>(new Map());
  const meanwhile = useRef<PushedMeanwhile | null>(null);

  const error = useReadOnConnect<LiveCallView>(
    '/calls/live',
    'the live calls',
    generation,
    useCallback(() => {
      meanwhile.current = { changed: new Map(), ended: new Set() };
    }, []),
    useCallback((list: LiveCallView[]) => {
      const pushed = meanwhile.current;
      meanwhile.current = null;
      const next = new Map(list.map((c) => [c.callId, c]));
      for (const [id, c] of pushed?.changed ?? []) next.set(id, c);
      for (const id of pushed?.ended ?? []) next.delete(id);
      setCalls(next);
    }, []),
  );

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
const nothing = () => undefined;

/** Managers' monitors of the org's live calls (managers and admins only). */
export function useMonitors(generation: number | null): { monitors: MonitorView[]; error: string | null } {
  const [monitors, setMonitors] = useState<MonitorView[]>([]);
  const error = useReadOnConnect<MonitorView>('/calls/monitors', 'who is monitoring calls', generation, nothing, setMonitors);

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
