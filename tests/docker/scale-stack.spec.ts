// docker/compose.yaml + compose.scale.yaml for real: PostgreSQL and Redis images built from Debian's
// archive, two server instances on them; a Distribute All offer made through one instance is
// claimed through the other, exactly once; pg_dump / pg_restore inside the containers as documented.
import type { LeadClaimAck } from '@leadline/contracts';
import { AgentSocket, connectOfferAgent, OfferAgent } from '../harness/offer-agent';
import { eventually } from '../harness/server';
import { image, Stack, STACK_PORTS } from './harness';

jest.setTimeout(20 * 60_000);

describe('docker/compose.scale.yaml: PostgreSQL + Redis, two server instances', () => {
  const stack = new Stack({ name: 'scale', files: ['compose.yaml', 'compose.scale.yaml'] });
  const A = stack.api(STACK_PORTS.http);
  const B = stack.api(STACK_PORTS.http2);
  const sockets: AgentSocket[] = [];
  let admin: string;

  beforeAll(async () => {
    await Promise.all([image('server'), image('asterisk'), image('postgres'), image('redis')]);
    await stack.destroy();
    await stack.up();
    await stack.healthy(STACK_PORTS.http);
    await stack.healthy(STACK_PORTS.http2);
    admin = await stack.login();
  });

  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await stack.destroy();
  });

  it('both instances are healthy on PostgreSQL and Redis; the passwords are required and not on any command line', async () => {
    for (const api of [A, B]) {
      const health = await api.request('GET', '/api/health');
      expect(health.status).toBe(200);
      expect(health.body.redis).toMatchObject({ connected: true });
    }
    // PostgreSQL refuses a wrong password over TCP
    const wrong = await stack.compose(['exec', '-T', '-e', 'PGPASSWORD=wrong-password', 'postgres', 'psql', '-h', '127.0.0.1', '-p', String(STACK_PORTS.postgres), '-U', 'leadline', '-c', 'select 1']);
    expect(wrong.status).not.toBe(0);
    expect(wrong.out).toContain('password authentication failed');
    for (const service of ['postgres', 'redis']) {
      const ps = await stack.mustCompose(['exec', '-T', service, 'sh', '-c', 'cat /proc/[0-9]*/cmdline | tr "\\0" " "']);
      expect(ps).not.toContain(stack.secrets.POSTGRES_PASSWORD);
      expect(ps).not.toContain(stack.secrets.REDIS_PASSWORD);
    }
    // the data lives in PostgreSQL: no SQLite file in either server's volume
    for (const service of ['server', 'server-2']) {
      expect((await stack.mustCompose(['exec', '-T', service, 'ls', '/var/lib/leadline'])).split(/\s+/)).not.toContain('leadline.db');
    }
  });

  it('an offer made through instance A is claimed through instance B, exactly once', async () => {
    const n = Date.now().toString(36);
    const team: OfferAgent[] = [];
    for (let i = 0; i < 4; i++) {
      const email = `scale${i}-${n}@docker.test`;
      const user = await A.request('POST', '/api/users', { token: admin, body: { name: `Scale ${i}`, email, password: 'agent-password-123', role: 'agent', stateLicences: ['TX'] } });
      expect(user.status).toBe(201);
      const token = await B.login(email, 'agent-password-123');
      await B.request('PATCH', '/api/me/session', { token, body: { loggedIn: true, callsOn: true } });
      const agent: OfferAgent = { id: user.body.id, token, offers: [], taken: [], expired: [], assigned: [] };
      await connectOfferAgent((i % 2 ? B : A).url, agent);
      sockets.push(agent.socket!);
      team.push(agent);
    }
    const group = await A.request('POST', '/api/distribution-groups', { token: admin, body: { name: `scale group ${n}`, memberIds: team.map((a) => a.id) } });
    const campaign = await A.request('POST', '/api/campaigns', { token: admin, body: { name: `scale ${n}`, distributionType: 'distribute_all', distributionGroupId: group.body.id, offerTimeoutSeconds: 60 } });
    expect(campaign.status).toBe(201);
    const posted = await A.request('POST', `/api/action-post/${campaign.body.id}`, {
      body: { FirstName: 'Ada', LastName: `Scale${n}`, MobilePhone: '+17375550142', PropertyState: 'TX', LoanPurpose: 'Purchase', LoanAmount: 300000 },
      headers: { 'x-api-key': campaign.body.apiKey },
    });
    expect(posted.body.StatusCode).toBe(1);
    const id = posted.body.Data.ProspectId as string;
    await eventually(() => team.every((a) => a.offers.some((o) => o.prospectId === id)), 15_000);

    // every agent claims at once, half of them through B
    const claim = (a: OfferAgent) => new Promise<LeadClaimAck>((resolve) => a.socket!.emit('lead:claim', { prospectId: id }, resolve));
    const answers = await Promise.all(team.map(claim));
    expect(answers.filter((a) => a.ok)).toHaveLength(1);
    expect(answers.filter((a) => !a.ok && a.reason === 'taken')).toHaveLength(team.length - 1);
    const winner = team[answers.findIndex((a) => a.ok)];
    const apps = (await B.request('GET', '/api/applications?pageSize=200', { token: admin })).body.items.filter((a: any) => a.prospect.id === id);
    expect(apps).toHaveLength(1);
    expect(apps[0].primaryAgent.id).toBe(winner.id);
    await eventually(() => team.filter((a) => a !== winner).every((a) => a.taken.includes(id)), 10_000);
    for (const a of team) expect(a.taken.filter((p) => p === id).length).toBeLessThanOrEqual(1);
  });

  it('pg_dump and pg_restore inside the postgres container, as documented', async () => {
    const before = await A.request('POST', '/api/campaigns', { token: admin, body: { name: `kept ${Date.now()}`, distributionType: 'none' } });
    const dump = await stack.mustCompose(['exec', '-T', 'postgres', 'sh', '-c', 'pg_dump -U leadline --format=custom --file=/tmp/leadline.pgdump leadline && ls -l /tmp/leadline.pgdump']);
    expect(dump).toContain('leadline.pgdump');
    const after = await A.request('POST', '/api/campaigns', { token: admin, body: { name: `dropped ${Date.now()}`, distributionType: 'none' } });
    await stack.mustCompose(['stop', 'server', 'server-2']);
    await stack.mustCompose(['exec', '-T', 'postgres', 'pg_restore', '-U', 'leadline', '--clean', '--if-exists', '--no-owner', '-d', 'leadline', '/tmp/leadline.pgdump']);
    await stack.mustCompose(['start', 'server', 'server-2']);
    await stack.healthy(STACK_PORTS.http);
    await stack.healthy(STACK_PORTS.http2);
    const token = await stack.login(STACK_PORTS.http2);
    expect((await B.request('GET', `/api/campaigns/${before.body.id}`, { token })).status).toBe(200);
    expect((await B.request('GET', `/api/campaigns/${after.body.id}`, { token })).status).toBe(404);
  });
});
