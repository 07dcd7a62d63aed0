// An agent's dashboard socket as the Distribute All suites see it: a real socket.io client that
// records every offer, taken, expired and assigned notice it receives.
import type { ClientToServerEvents, LeadOfferSummary, ServerToClientEvents } from '@leadline/contracts';
import { io, Socket } from 'socket.io-client';

export type AgentSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface OfferAgent {
  id: string;
  token: string;
  socket?: AgentSocket;
  offers: LeadOfferSummary[];
  taken: string[];
  expired: string[];
  assigned: string[];
}

/** Connects `agent` to the server at `url` (agent.socket is set at once); resolves once connected. */
export function connectOfferAgent(url: string, agent: OfferAgent): Promise<AgentSocket> {
  const socket: AgentSocket = io(url, { auth: { token: agent.token }, transports: ['websocket'], reconnection: false, forceNew: true });
  socket.on('lead:offer', (o) => agent.offers.push(o));
  socket.on('lead:taken', (n) => agent.taken.push(n.prospectId));
  socket.on('lead:expired', (n) => agent.expired.push(n.prospectId));
  socket.on('lead:assigned', (n) => agent.assigned.push(n.prospectId));
  agent.socket = socket;
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}
