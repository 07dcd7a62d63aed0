// Ring All against a real Asterisk: SIPp plays the agents' desk phones, the carrier and the borrower.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { asterisk, IT_PORT_BASE, IT_PORTS } from '../harness/it-env';
import { startServer, TestServer } from '../harness/server';
import { SippHandle, stopAllSipp } from '../harness/sipp';
import { AGENT_CALLER_ID, agentSipp, borrowerSipp, legsEnded, ORG_CALLER_ID, postLead, settledProspect, setupRingAll } from './ring-all.fixture';

describe('Ring All (real Asterisk + SIPp)', () => {
  let server: TestServer;
  let borrower: SippHandle;

  beforeAll(async () => {
    server = await startServer();
    await server.ari.waitUntilUp(15_000);
    borrower = await borrowerSipp(IT_PORTS.trunk, 'borrower-answer', { answer_ms: '200', talk_ms: '1500' });
  });

  afterAll(async () => {
    await stopAllSipp();
    await server.close();
  });

  it('rings agents, gives the lead to the one who presses 1, bridges and records the borrower call', async () => {
    const presser = await agentSipp(IT_PORT_BASE + 401, { answer_ms: '200', dtmf_ms: '700' });
    const silent = await agentSipp(IT_PORT_BASE + 402, { answer_ms: '100' }, 'agent-silent');
    const setup = await setupRingAll(server, { agents: 2, phoneAt: (i) => `127.0.0.1:${IT_PORT_BASE + 401 + i}` });

    const prospectId = await postLead(server, setup);
    const prospect = await settledProspect(server, setup, prospectId);
    expect(prospect.status).toBe('assigned');

    const apps = await server.request('GET', '/api/applications', { token: setup.agents[0].token });
    expect(apps.body.items.map((a: any) => a.prospect.id)).toContain(prospectId);

    const legs = await legsEnded(server, setup, prospectId, 3);
    const byPurpose = (p: string) => legs.filter((l) => l.purpose === p);
    expect(byPurpose('ring_all_agent')).toHaveLength(2);
    const winnerLeg = byPurpose('ring_all_agent').find((l) => l.by.id === setup.agents[0].id);
    const loserLeg = byPurpose('ring_all_agent').find((l) => l.by.id === setup.agents[1].id);
    expect(winnerLeg.result).toBe('won');
    expect(loserLeg.result).toBe('lost');
    const [borrowerLeg] = byPurpose('borrower');
    expect(borrowerLeg).toMatchObject({ result: 'completed', from: AGENT_CALLER_ID, callerIdReason: 'agent_caller_id' });
    expect(borrowerLeg.recording).toBeTruthy();

    // What the phones saw: the org caller ID on the agent legs, the agent's caller ID at the borrower.
    const agentInvites = [...(await presser.receivedInvites()), ...(await silent.receivedInvites())];
    expect(agentInvites).toHaveLength(2);
    for (const invite of agentInvites) expect(`${invite.from} ${invite.pai ?? ''}`).toContain(ORG_CALLER_ID);
    const borrowerInvites = (await borrower.receivedInvites()).filter((i) => i.requestUri.includes(prospect.mobilePhone.slice(1)));
    expect(borrowerInvites).toHaveLength(1);
    expect(`${borrowerInvites[0].from} ${borrowerInvites[0].pai ?? ''}`).toContain(AGENT_CALLER_ID);

    const ast = await asterisk();
    expect(existsSync(path.join(ast.asteriskDir, 'spool', 'recording', `${borrowerLeg.recording}.wav`))).toBe(true);
    await presser.stop();
    await silent.stop();
  });
});
