// The BusyLight plugged into the agent's PC, driven by this dashboard tab over WebHID: the same
// fleet (hot-plug, keep-alive, timer blink) and presence rules (blue 5 s after losing the server)
// as the desk daemon, fed by the presence this tab already receives. Mounted once for the
// signed-in session, so the light follows on every page. One tab per browser drives the lights (a
// Web Lock): another Leadline tab takes over the moment that one closes. Signing out, or closing
// the tab, turns the lights off.
import { AttachedLightInfo, DEFAULT_FLEET_TIMING, LIGHT_DRIVERS, LightFleet, LightLog, LightState, PresenceLights } from '@leadline/busylight';
import { createContext, ReactNode, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import { useAgentLive } from '../pages/agent/agent-live';
import { useSocket } from '../socket';
import { TabPresenceSource } from './tab-presence-source';
import { WebHidSupport, WebHidTransport, webHidSupport } from './webhid.transport';
import { workerTimers } from './worker-timers';

const LOCK_NAME = 'leadline-busylight';

export interface TabLights {
  /** Whether this tab can drive a light: not in Firefox or Safari, nor from a plain http:// page. */
  support: WebHidSupport;
  /** Who drives the lights: this tab, another Leadline tab of this browser, or not known yet. */
  driver: LightsDriver;
  lights: AttachedLightInfo[];
  /** What the lights were last told to show (null before this tab drives them). */
  showing: LightState | null;
  /** The last thing that went wrong with a light, in words. */
  problem: string | null;
  /** Opens the browser's device picker (call from a click). */
  connect(): Promise<void>;
  /** Turns a light off and revokes this site's permission for it. */
  forget(id: string): Promise<void>;
}

export type LightsDriver = 'starting' | 'other-tab' | 'this-tab';

const TabLightsContext = createContext<TabLights | null>(null);

export function TabLightsProvider({ children }: { children: ReactNode }) {
  const { presence } = useAgentLive();
  const { connected } = useSocket();
  const source = useMemo(() => new TabPresenceSource(), []);
  const support = useMemo(() => webHidSupport(), []);
  const supported = support === 'available';
  const [driver, setDriver] = useState<LightsDriver>('starting');
  const [lights, setLights] = useState<AttachedLightInfo[]>([]);
  const [showing, setShowing] = useState<LightState | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const running = useRef<{ transport: WebHidTransport; fleet: LightFleet } | null>(null);

  useEffect(() => {
    if (presence) source.presence(presence);
  }, [presence, source]);
  useEffect(() => {
    if (!connected) source.disconnected('live connection down');
  }, [connected, source]);

  useEffect(() => {
    if (!supported) return;
    const abort = new AbortController();
    let release = () => undefined as void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const log = tabLog(setProblem);

    const drive = async () => {
      const { timers, dispose } = workerTimers();
      const transport = new WebHidTransport();
      const fleet = new LightFleet(transport, LIGHT_DRIVERS, log, DEFAULT_FLEET_TIMING, timers);
      const presenceLights = new PresenceLights(source, fleet, log, { timers, onShow: setShowing });
      const offChanged = fleet.onLightsChanged(() => setLights(fleet.lights()));
      const offPlug = transport.onPlug(() => void fleet.poll());
      // Closing the tab: turn the lights off while the page still can (best effort).
      const onPageHide = () => release();
      window.addEventListener('pagehide', onPageHide);
      running.current = { transport, fleet };
      setDriver('this-tab');
      try {
        await presenceLights.start();
        await released;
      } finally {
        running.current = null;
        window.removeEventListener('pagehide', onPageHide);
        offPlug();
        await presenceLights.stop();
        offChanged();
        dispose();
        setDriver('starting');
        setLights([]);
      }
    };

    // Held until this provider unmounts (sign-out) or the page goes away; a waiting tab gets it then.
    const locks = navigator.locks as LockManager | undefined;
    const held = locks
      ? locks.request(LOCK_NAME, { ifAvailable: true }, (lock) => {
          if (lock) return drive();
          setDriver('other-tab');
          return locks.request(LOCK_NAME, { signal: abort.signal }, drive);
        })
      : drive();
    held.catch((err: unknown) => {
      if (!abort.signal.aborted) setProblem(`The light stopped: ${err instanceof Error ? err.message : String(err)}`);
    });
    return () => {
      abort.abort();
      release();
    };
  }, [source, supported]);

  // The lights stopped when the page was hidden: a page the browser brings back from its
  // back/forward cache starts afresh.
  useEffect(() => {
    const onPageShow = (e: PageTransitionEvent) => {
      if (e.persisted) window.location.reload();
    };
    window.addEventListener('pageshow', onPageShow);
    return () => window.removeEventListener('pageshow', onPageShow);
  }, []);

  const connect = useCallback(async () => {
    const now = running.current;
    if (!now) return;
    try {
      await now.transport.request();
    } catch (err) {
      setProblem(`The browser did not connect a light: ${err instanceof Error ? err.message : String(err)}`);
    }
    await now.fleet.poll();
  }, []);

  const forget = useCallback(async (id: string) => {
    const now = running.current;
    if (!now) return;
    // Off first, then the browser forgets it: it is not found again until picked again.
    await now.fleet.release(id, () => now.transport.forget(id));
  }, []);

  const value = useMemo<TabLights>(() => ({ support, driver, lights, showing, problem, connect, forget }), [support, driver, lights, showing, problem, connect, forget]);
  return <TabLightsContext.Provider value={value}>{children}</TabLightsContext.Provider>;
}

export function useTabLights(): TabLights {
  const ctx = useContext(TabLightsContext);
  if (!ctx) throw new Error('useTabLights outside TabLightsProvider');
  return ctx;
}

/** The fleet's log in a tab: failures (a light that would not open) show on the light card. */
function tabLog(report: (problem: string) => void): LightLog {
  const quiet = () => undefined;
  const failure = (obj: object, msg: string) => {
    const err = (obj as { err?: unknown }).err;
    if (err !== undefined) report(`${msg}: ${err instanceof Error ? err.message : String(err)}`);
  };
  return { debug: quiet, info: quiet, warn: failure, error: failure };
}
