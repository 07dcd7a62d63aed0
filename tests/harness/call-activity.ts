import { ApiClient, eventually } from './server';

/** The call-activity rows of one call id, once there are `count` of them and every one has ended. */
export async function endedRowsOfCall(api: ApiClient, token: string, callId: string, count: number): Promise<any[]> {
  return eventually(async () => {
    const res = await api.request('GET', '/api/call-activity?pageSize=200', { token });
    const found = res.body.items.filter((r: any) => r.callId === callId);
    return found.length >= count && found.every((r: any) => r.endedAt) ? found : undefined;
  }, 30_000, 250);
}
