// Dial mode through the REST API: lead statuses, settings, access, a lead's status, the order list.
import type { TestServer } from '../harness/server';

export interface LeadStatusView {
  id: string;
  campaignId: string;
  name: string;
  addToDialMode: boolean;
  callMode: string | null;
  isInitial: boolean;
}

async function ok(res: Promise<{ status: number; body: any }>, what: string): Promise<any> {
  const r = await res;
  if (r.status >= 300) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** A lead status of a campaign; `callMode` given = flagged "add to dial mode automatically" for it. */
export function createLeadStatus(server: TestServer, token: string, campaignId: string, name: string, callMode?: string, extra: Record<string, unknown> = {}): Promise<LeadStatusView> {
  const body = { name, ...(callMode ? { addToDialMode: true, callMode } : {}), ...extra };
  return ok(server.request('POST', `/api/dial-mode/campaigns/${campaignId}/statuses`, { token, body }), `create status ${name}`);
}

export function setDialSettings(server: TestServer, token: string, campaignId: string, mode: string, body: Record<string, unknown>): Promise<any> {
  return ok(server.request('PUT', `/api/dial-mode/campaigns/${campaignId}/modes/${mode}/settings`, { token, body }), `settings ${mode}`);
}

export function grantDialAccess(server: TestServer, token: string, campaignId: string, mode: string, userIds: string[]): Promise<any> {
  return ok(server.request('PUT', `/api/dial-mode/campaigns/${campaignId}/modes/${mode}/access`, { token, body: { userIds } }), `access ${mode}`);
}

/** Sets a lead's status; answers the change (queued: its place in dial mode). */
export function setLeadStatus(server: TestServer, token: string, prospectId: string, statusId: string | null): Promise<any> {
  return ok(server.request('PUT', `/api/dial-mode/leads/${prospectId}/status`, { token, body: { statusId } }), `status of ${prospectId}`);
}

/** The order list (as an admin), optionally filtered. */
export async function dialQueue(server: TestServer, token: string, query: Record<string, string> = {}): Promise<any[]> {
  const qs = new URLSearchParams({ pageSize: '200', ...query }).toString();
  return (await ok(server.request('GET', `/api/dial-mode/queue?${qs}`, { token }), 'queue')).items;
}
