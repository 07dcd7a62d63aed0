// A dial-mode lead held by an operator who walks away goes back to its queue after
// DIAL_MODE_HOLD_EXPIRY_MINUTES without activity: two server instances on one database and one
// Redis, both sweeping every second, on a clock the test moves. The lead goes back once and the
// operator's socket (on the other instance) is told once.
import { randomBytes } from 'node:crypto';
import type { ClientToServerEvents, DialHoldExpiredNotice, ServerToClientEvents } from '@leadline/contracts';
import { io, Socket } from 'socket.io-client';
import { DialModeRepository } from '../../apps/server/src/dial-mode/dial-mode.repository';
import { CallLegRepository } from '../../apps/server/src/telephony/call-legs.repository';
import { aLead, createCampaign, createLeadStatus, createUser, dialQueue, grantDialAccess, loginAs, postLead, setLeadStatus } from '../factories';
import { sharedDatabaseEnv } from '../harness/cluster';
import { ManualClock } from '../harness/manual-clock';
import { RedisHandle, startRedis } from '../harness/redis';
import { eventually, startServer, TestServer } from '../harness/server';

const T0 = '2026-11-23T17:00:00.000Z';
const at = (minutes: number, seconds = 0) => new Date(new Date(T0).getTime() + (minutes * 60 + seconds) * 1000);

describe('dial mode: held leads expire (two instances, injected clock)', () => {
  const clock = new ManualClock(T0);
  let redis: RedisHandle;
  let a: TestServer;
  let b: TestServer;
  let admin: string;
  let socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  const expired: DialHoldExpiredNotice[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    const shared = { ...(await sharedDatabaseEnv('hold-expiry')), REDIS_URL: redis.url, JWT_SECRET: randomBytes(32).toString('base64url'), DIAL_MODE_HOLD_EXPIRY_MINUTES: '5', DIAL_MODE_HOLD_SWEEP_SECONDS: '1' };
    a = await startServer(shared, { clock });
    b = await startServer(shared, { clock });
    admin = await a.login();
  });

  afterAll(async () => {
    socket?.close();
    await Promise.all([a?.close(), b?.close()]);
    await redis?.stop();
  });

  /** A queued lead of a fresh campaign, and an operator (whose socket is on instance B) holding it. */
  async function heldLead(): Promise<{ entryId: string; prospectId: string; operatorId: string; operatorToken: string }> {
    const campaign = await createCampaign(a, admin);
    const status = await createLeadStatus(a, admin, campaign.id, 'Processing', 'new');
    const posted = await postLead(a, campaign, aLead());
    const prospectId = posted.body.Data.ProspectId as string;
    await setLeadStatus(a, admin, prospectId, status.id);
    const [entry] = await dialQueue(a, admin, { campaignId: campaign.id });
    const operator = await createUser(a, admin, { role: 'agent' });
    await grantDialAccess(a, admin, campaign.id, 'new', [operator.id]);
    const operatorToken = await loginAs(b, operator);
    // What "next" does when it hands the lead out: the one guarded update.
    expect(await a.app.get(DialModeRepository).lock(entry.entryId, operator.id, clock.now())).toBe(true);
    return { entryId: entry.entryId, prospectId, operatorId: operator.id, operatorToken };
  }

  async function connect(token: string): Promise<void> {
    socket?.close();
    expired.length = 0;
    socket = io(b.url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
    socket.on('dial:expired', (n) => expired.push(n));
    await new Promise((resolve, reject) => {
      socket.once('connect', () => resolve(undefined));
      socket.once('connect_error', reject);
    });
  }

  const holder = async (entryId: string) => (await dialQueue(a, admin)).find((e) => e.entryId === entryId)?.lockedBy?.id ?? null;
  const sweeps = () => new Promise((r) => setTimeout(r, 2500)); // both instances sweep every second

  it('keeps the lead while there is activity, gives it back once after 5 idle minutes and tells the operator', async () => {
    clock.set(T0);
    const lead = await heldLead();
    await connect(lead.operatorToken);
    const me = () => b.request('GET', '/api/dial-mode/me', { token: lead.operatorToken });

    clock.set(at(4, 59).toISOString());
    await sweeps();
    expect(await holder(lead.entryId)).toBe(lead.operatorId);
    expect((await me()).body.current).toMatchObject({ entryId: lead.entryId });

    // Activity (the lead was dialled at 4:00) moves the deadline.
    await a.app.get(DialModeRepository).touchHold(lead.entryId, lead.operatorId, at(4));
    clock.set(at(8, 59).toISOString());
    await sweeps();
    expect(await holder(lead.entryId)).toBe(lead.operatorId);

    clock.set(at(9).toISOString());
    await eventually(async () => (await holder(lead.entryId)) === null, 10_000, 100);
    await eventually(() => expired.length > 0, 5_000, 50);
    await sweeps();
    expect(expired).toEqual([{ entryId: lead.entryId, prospectId: lead.prospectId, idleMinutes: 5 }]);
    expect((await me()).body.current).toBeNull();
    // Back in its queue unchanged: due, unprocessed, no attempt counted.
    expect((await dialQueue(a, admin)).find((e) => e.entryId === lead.entryId)).toMatchObject({ subState: 'unprocessed', attempts: 0, lockedBy: null });
  });

  it('never takes the lead from an operator who is on a call', async () => {
    clock.set(T0);
    const lead = await heldLead();
    await connect(lead.operatorToken);
    const distribution = a.app.get(CallLegRepository);
    expect(await distribution.reserveAgents([lead.operatorId], new Date())).toEqual([lead.operatorId]);
    clock.set(at(30).toISOString());
    await sweeps();
    expect(await holder(lead.entryId)).toBe(lead.operatorId);
    await distribution.releaseAgent(lead.operatorId, new Date());
    await eventually(async () => (await holder(lead.entryId)) === null, 10_000, 100);
    // the notice follows the update through Redis, a moment later (as in the test above)
    await eventually(() => expired.length > 0, 5_000, 50);
    await sweeps();
    expect(expired.map((n) => n.entryId)).toEqual([lead.entryId]);
  });
});
