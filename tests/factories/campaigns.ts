// Campaigns through the REST API.
import type { ApiClient } from '../harness/server';

export interface CampaignView {
  id: string;
  name: string;
  description: string | null;
  leadProvider: string | null;
  distributionType: 'ring_all' | 'distribute_all' | 'none';
  distributionGroupId: string | null;
  ringTimeoutSeconds: number;
  offerTimeoutSeconds: number;
  apiKey: string;
  actionPostUrl: string;
  createdAt: string;
}

let campaignCounter = 0;

/** A campaign body; `none` distribution by default, so leads stay unassigned and nothing rings. */
export function aCampaign(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const n = ++campaignCounter;
  return { name: `Campaign ${n} ${Date.now().toString(36)}`, description: 'integration test', leadProvider: `Vendor ${n}`, distributionType: 'none', ...overrides };
}

/** Creates a campaign (as an admin or manager) and returns its view (id, apiKey, actionPostUrl …). */
export async function createCampaign(server: ApiClient, token: string, overrides: Record<string, unknown> = {}): Promise<CampaignView> {
  const res = await server.request('POST', '/api/campaigns', { token, body: aCampaign(overrides) });
  if (res.status !== 201) throw new Error(`POST /api/campaigns: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as CampaignView;
}
