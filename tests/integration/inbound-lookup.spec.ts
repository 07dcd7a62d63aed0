// The inbound lookup's lead choice (InboundRepository.matchLead, plain SQL on SQLite and on
// PostgreSQL in that pass): a caller's number may be on several prospects (the same borrower
// through several campaigns); the one with the most recent application wins, else the most recent
// prospect. inbound.spec.ts places real calls for the licensing rules.
import { InboundRepository } from '../../apps/server/src/inbound/inbound.repository';
import { assignProspect, createCampaign, createUser, postLead } from '../factories';
import { startServer, TestServer } from '../harness/server';

describe('inbound lookup: which lead a caller matches', () => {
  let server: TestServer;
  let admin: string;
  let orgId: string;

  beforeAll(async () => {
    server = await startServer();
    admin = await server.login();
    orgId = (await server.request('GET', '/api/org', { token: admin })).body.id;
  });

  afterAll(async () => {
    await server?.close();
  });

  it('most recent application first, else the most recent prospect; another org or number matches nothing', async () => {
    const repo = server.app.get(InboundRepository);
    const [first, second] = [await createCampaign(server, admin), await createCampaign(server, admin)];
    const agent = await createUser(server, admin, { role: 'agent' });
    const phone = '+15125550161';
    const post = async (campaign: typeof first, body: Record<string, unknown>) => {
      const res = await postLead(server, campaign, { MobilePhone: phone, ...body });
      expect(res.status).toBe(200);
      return res.body.Data.ProspectId as string;
    };

    expect(await repo.orgId()).toBe(orgId);
    const older = await post(first, { FirstName: 'Olga', LastName: 'Older', PropertyState: 'TX', LoanPurpose: 'Purchase', LoanAmount: 300000 });
    await new Promise((r) => setTimeout(r, 20));
    const newer = await post(second, { FirstName: 'Nina', PropertyState: 'FL' });

    // No application: the most recent prospect.
    expect(await repo.matchLead(orgId, phone)).toEqual({ prospectId: newer, applicationId: null, name: 'Nina', state: 'FL', loanPurpose: null, loanAmount: null, campaign: second.name });
    // An application beats a more recent prospect without one.
    const olderApp = await assignProspect(server, admin, older, agent.id);
    expect(await repo.matchLead(orgId, phone)).toEqual({ prospectId: older, applicationId: olderApp, name: 'Olga Older', state: 'TX', loanPurpose: 'purchase', loanAmount: 300000, campaign: first.name });
    // The most recent application wins.
    await new Promise((r) => setTimeout(r, 20));
    const newerApp = await assignProspect(server, admin, newer, agent.id);
    expect(await repo.matchLead(orgId, phone)).toMatchObject({ prospectId: newer, applicationId: newerApp });

    expect(await repo.matchLead(orgId, '+15125550162')).toBeNull();
    expect(await repo.matchLead('another-org', phone)).toBeNull();
  });
});
