// One socket.io connection per signed-in tab, authenticated with the access token at the
// handshake (docs in libs/contracts/src/socket-events.ts). Pages subscribe with useSocketEvent.
import { createContext, ReactNode, useContext, useEffect, useState } from 'react';
import { io, Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '@leadline/contracts';

export type LeadlineSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

interface SocketState {
  socket: LeadlineSocket | null;
  connected: boolean;
  /** Why the last connection attempt failed, shown in the header; null when connected. */
  error: string | null;
}

const SocketContext = createContext<SocketState>({ socket: null, connected: false, error: null });

export function SocketProvider({ token, children }: { token: string; children: ReactNode }) {
  const [state, setState] = useState<SocketState>({ socket: null, connected: false, error: null });

  useEffect(() => {
    const socket: LeadlineSocket = io({ auth: { token }, transports: ['websocket'] });
    setState({ socket, connected: false, error: null });
    socket.on('connect', () => setState({ socket, connected: true, error: null }));
    socket.on('disconnect', () => setState({ socket, connected: false, error: 'Live updates disconnected; reconnecting…' }));
    socket.on('connect_error', (err) => setState({ socket, connected: false, error: `Live updates unavailable: ${err.message}` }));
    // The server cut this connection because its rights changed: connect again at once and get
    // the new ones (an expired token or a deleted user is refused, and the header says so).
    socket.on('session:ended', ({ reason }) => {
      if (reason === 'rights_changed') socket.once('disconnect', () => socket.connect());
    });
    return () => {
      socket.removeAllListeners();
      socket.disconnect();
    };
  }, [token]);

  return <SocketContext.Provider value={state}>{children}</SocketContext.Provider>;
}

export function useSocket(): SocketState {
  return useContext(SocketContext);
}

/** Subscribes `handler` to a server event for the component's lifetime. */
export function useSocketEvent<E extends keyof ServerToClientEvents>(event: E, handler: ServerToClientEvents[E]): void {
  const { socket } = useSocket();
  useEffect(() => {
    if (!socket) return;
    // socket.io's typed `on` can't relate a generic E to its listener type; the signature above
    // already ties them together, so register through the untyped view.
    const untyped = socket as unknown as { on(e: string, l: unknown): void; off(e: string, l: unknown): void };
    const listener: unknown = handler;
    untyped.on(event, listener);
    return () => {
      untyped.off(event, listener);
    };
  }, [socket, event, handler]);
}
