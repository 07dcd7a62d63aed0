// Ring All against a real Asterisk: SIPp plays the agents' desk phones, the carrier and the borrower.
import { MikroORM } from '@mikro-orm/core';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Prospect } from '../../apps/server/src/database/entities';
import { CALLS_PLACED_WAIT_MAX_MS } from '../../apps/server/src/telephony/calls-placed';
import { watchCallsPlaced } from '../harness/calls-placed';
import { asterisk, IT_PORT_BASE, IT_PORTS } from '../harness/it-env';
import { eventually, startServer, TestServer } from '../harness/server';
import { aLead } from '../factories';
import { SippHandle, stopAllSipp } from '../harness/sipp';
import { AGENT_CALLER_ID, agentSipp, borrowerSipp, callActivity, legsEnded, ORG_CALLER_ID, postLead, settledProspect, setupRingAll } from './ring-all.fixture';

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
    // The speed-to-lead stamps, in order: first ring, taken (by the winning claim itself), the borrower's answer.
    const stamps = await server.app.get(MikroORM).em.fork().findOneOrFail(Prospect, { id: prospectId });
    expect([stamps.firstRingAt, stamps.takenAt, stamps.borrowerAnsweredAt].every((d) => d instanceof Date)).toBe(true);
    expect(stamps.takenAt!.getTime()).toBeGreaterThanOrEqual(stamps.firstRingAt!.getTime());
    expect(stamps.borrowerAnsweredAt!.getTime()).toBeGreaterThan(stamps.takenAt!.getTime());

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

  it("shows the borrower the local presence number of their area code (read while the agent hears the prompt)", async () => {
    const presser = await agentSipp(IT_PORT_BASE + 401, { answer_ms: '200', dtmf_ms: '700' });
    const setup = await setupRingAll(server, { agents: 1, phoneAt: () => `127.0.0.1:${IT_PORT_BASE + 401}` });
    const request = (method: string, route: string, body?: unknown) => server.request(method, route, { token: setup.admin, body });
    expect((await request('POST', '/api/local-presence/inventory', { numbers: ['+17375550931'] })).status).toBe(201);
    const bought = await request('POST', '/api/local-presence/numbers/purchase', { areaCode: '737' });
    expect(bought.status).toBe(201);
    try {
      const prospectId = await postLead(server, setup, aLead({ MobilePhone: '+17375550142' }));
      expect((await settledProspect(server, setup, prospectId)).status).toBe('assigned');
      const legs = await legsEnded(server, setup, prospectId, 2);
      expect(legs.find((l) => l.purpose === 'borrower')).toMatchObject({ result: 'completed', from: '+17375550931', callerIdReason: 'local_presence' });
      const invite = (await borrower.receivedInvites()).find((i) => i.requestUri.includes('17375550142'))!;
      expect(`${invite.from} ${invite.pai ?? ''}`).toContain('+17375550931');
    } finally {
      expect((await request('DELETE', `/api/local-presence/numbers/${bought.body.id}`)).status).toBe(204);
      await presser.stop();
    }
  });

  it('gives each lead to exactly one agent when two press 1 in the same instant (12 races)', async () => {
    // Two phones with the same timing serve the two agents of every round: both answer after
    // 200 ms and press 1 at 500 ms, so the two presses of a round arrive within a few ms.
    const phones = await Promise.all([0, 1].map((i) => agentSipp(IT_PORT_BASE + 410 + i, { answer_ms: '200', dtmf_ms: '500' })));
    for (let batch = 0; batch < 2; batch++) {
      const rounds = await Promise.all(
        Array.from({ length: 6 }, async () => {
          const setup = await setupRingAll(server, { agents: 2, phoneAt: (i) => `127.0.0.1:${IT_PORT_BASE + 410 + i}` });
          return { setup, prospectId: await postLead(server, setup) };
        }),
      );
      for (const { setup, prospectId } of rounds) {
        const prospect = await settledProspect(server, setup, prospectId);
        expect(prospect.status).toBe('assigned');
        const legs = await legsEnded(server, setup, prospectId, 3);
        const agentLegs = legs.filter((l) => l.purpose === 'ring_all_agent');
        expect(agentLegs.map((l) => l.result).sort()).toEqual(['lost', 'won']);
        const winner = agentLegs.find((l) => l.result === 'won').by.id;
        const apps = await server.request('GET', '/api/applications?pageSize=200', { token: setup.admin });
        const forProspect = apps.body.items.filter((a: any) => a.prospect.id === prospectId);
        expect(forProspect).toHaveLength(1);
        expect(forProspect[0].primaryAgent.id).toBe(winner);
      }
    }
    for (const phone of phones) await phone.stop();
  });

  it('ignores other digits: pressing 2 takes nothing, pressing 2 then 1 takes the lead', async () => {
    const onlyTwo = await agentSipp(IT_PORT_BASE + 421, { answer_ms: '100', dtmf_ms: '400' }, 'agent-press', '2');
    const twoThenOne = await agentSipp(IT_PORT_BASE + 420, { answer_ms: '100', dtmf_ms: '400' }, 'agent-press', '21');
    const ignored = await setupRingAll(server, { agents: 1, phoneAt: () => `127.0.0.1:${IT_PORT_BASE + 421}`, ringTimeoutSeconds: 5 });
    const taken = await setupRingAll(server, { agents: 1, phoneAt: () => `127.0.0.1:${IT_PORT_BASE + 420}` });
    const [ignoredId, takenId] = await Promise.all([postLead(server, ignored), postLead(server, taken)]);
    expect((await settledProspect(server, taken, takenId)).status).toBe('assigned');
    expect(await settledProspect(server, ignored, ignoredId)).toMatchObject({ status: 'exception', failureReason: 'No agents answered the call' });
    await onlyTwo.stop();
    await twoThenOne.stop();
  });

  it('makes a lead exception "No agents answered the call" when nobody presses before the timeout', async () => {
    const ringing = await agentSipp(IT_PORT_BASE + 430, {}, 'no-answer');
    const silent = await agentSipp(IT_PORT_BASE + 431, { answer_ms: '100' }, 'agent-silent');
    const setup = await setupRingAll(server, { agents: 2, phoneAt: (i) => `127.0.0.1:${IT_PORT_BASE + 430 + i}`, ringTimeoutSeconds: 5 });
    const prospectId = await postLead(server, setup);
    const prospect = await settledProspect(server, setup, prospectId);
    expect(prospect).toMatchObject({ status: 'exception', failureReason: 'No agents answered the call' });
    const legs = await legsEnded(server, setup, prospectId, 2);
    expect(legs.map((l) => l.result).sort()).toEqual(['no_answer', 'no_press']);
    // Both agents are free again.
    for (const a of setup.agents) expect((await server.request('GET', '/api/me', { token: a.token })).body.onCall).toBe(false);
    await ringing.stop();
    await silent.stop();
  });

  it('makes a lead exception "No available agents were found" when nobody is eligible', async () => {
    const setup = await setupRingAll(server, { agents: 2, phoneAt: () => `127.0.0.1:${IT_PORT_BASE + 440}`, licences: ['CA'] });
    const prospectId = await postLead(server, setup);
    expect(await settledProspect(server, setup, prospectId)).toMatchObject({ status: 'exception', failureReason: 'No available agents were found' });
    expect(await callActivity(server, setup, prospectId)).toHaveLength(0);
  });

  it('rings at most 10 of 12 eligible agents, each on a phone of its own', async () => {
    // Four ports apart: each SIPp also binds its media port + 2.
    const ports = Array.from({ length: 12 }, (_, i) => IT_PORT_BASE + 530 + 4 * i);
    const phones = await Promise.all(ports.map((port) => agentSipp(port, {}, 'no-answer')));
    const setup = await setupRingAll(server, { agents: 12, phoneAt: (i) => `127.0.0.1:${ports[i]}`, ringTimeoutSeconds: 5 });
    const placed = watchCallsPlaced(server.app);
    const prospectId = await postLead(server, setup);
    expect((await settledProspect(server, setup, prospectId)).failureReason).toBe('No agents answered the call');
    const invites = await Promise.all(phones.map((p) => p.receivedInvites()));
    expect(invites.flat()).toHaveLength(10);
    expect(invites.filter((i) => i.length === 1)).toHaveLength(10);
    const legs = await legsEnded(server, setup, prospectId, 10);
    expect(legs).toHaveLength(10);
    placed.stop();
    // Every leg's call was reported placed, once. The round's rows were written after the last
    // report (its agents' INVITEs were out), not while Asterisk still worked on the originates —
    // or, if Asterisk took longer than that, once the round stopped waiting for it.
    expect([...placed.placedAt.values()].map((times) => times.length)).toEqual(Array(10).fill(1));
    const rowsDue = placed.dueAt(CALLS_PLACED_WAIT_MAX_MS);
    for (const leg of legs) expect(new Date(leg.startedAt).getTime()).toBeGreaterThanOrEqual(rowsDue);
    for (const phone of phones) await phone.stop();
  });

  it('rings a static-IP phone shared by two agents once, for the longer idle of them', async () => {
    const phone = await agentSipp(IT_PORT_BASE + 490, { answer_ms: '100', dtmf_ms: '400' });
    const setup = await setupRingAll(server, { agents: 2, phoneAt: () => `127.0.0.1:${IT_PORT_BASE + 490}` });
    const endpointOf = (invite: { requestUri: string }) => setup.agents.find((a) => invite.requestUri.includes(`${a.sipUsername}@`))!.id;

    // Both never called: the tie goes by id. One INVITE, one ring_all_agent leg.
    const first = await postLead(server, setup);
    expect((await settledProspect(server, setup, first)).status).toBe('assigned');
    const firstLegs = (await legsEnded(server, setup, first, 2)).filter((l) => l.purpose === 'ring_all_agent');
    expect(firstLegs).toHaveLength(1);
    const firstInvites = await phone.receivedInvites();
    expect(firstInvites).toHaveLength(1);
    const firstAgent = endpointOf(firstInvites[0]);
    expect(firstLegs[0].by.id).toBe(firstAgent);

    // The first agent has just had a call: the other one is the longer idle now.
    const other = setup.agents.find((a) => a.id !== firstAgent)!;
    await eventually(async () => ((await server.request('GET', '/api/me', { token: setup.agents.find((a) => a.id === firstAgent)!.token })).body.onCall === false ? true : undefined), 20_000, 100);
    const second = await postLead(server, setup);
    expect((await settledProspect(server, setup, second)).status).toBe('assigned');
    const invites = await phone.receivedInvites();
    expect(invites).toHaveLength(2);
    expect(endpointOf(invites[1])).toBe(other.id);
    await phone.stop();
  });

  it('keeps ringing the others when an agent hangs up during the prompt', async () => {
    const quitter = await agentSipp(IT_PORT_BASE + 460, { answer_ms: '100', hangup_ms: '300' }, 'agent-hangup');
    const presser = await agentSipp(IT_PORT_BASE + 461, { answer_ms: '1500', dtmf_ms: '500' });
    const setup = await setupRingAll(server, { agents: 2, phoneAt: (i) => `127.0.0.1:${IT_PORT_BASE + 460 + i}` });
    const prospectId = await postLead(server, setup);
    expect((await settledProspect(server, setup, prospectId)).status).toBe('assigned');
    const legs = await legsEnded(server, setup, prospectId, 3);
    expect(legs.find((l) => l.by?.id === setup.agents[0].id && l.purpose === 'ring_all_agent').result).toBe('hung_up');
    expect(legs.find((l) => l.by?.id === setup.agents[1].id && l.purpose === 'ring_all_agent').result).toBe('won');
    await quitter.stop();
    await presser.stop();
  });

  it('keeps the application with the agent when the borrower is busy, and says so', async () => {
    await borrower.stop();
    const busy = await borrowerSipp(IT_PORTS.trunk, 'busy');
    try {
      const phone = await agentSipp(IT_PORT_BASE + 470, { answer_ms: '100', dtmf_ms: '400' });
      const setup = await setupRingAll(server, { agents: 1, phoneAt: () => `127.0.0.1:${IT_PORT_BASE + 470}` });
      const prospectId = await postLead(server, setup);
      expect((await settledProspect(server, setup, prospectId)).status).toBe('assigned');
      const legs = await legsEnded(server, setup, prospectId, 2);
      expect(legs.find((l) => l.purpose === 'borrower')).toMatchObject({ result: 'busy', recording: null });
      expect(legs.find((l) => l.purpose === 'ring_all_agent').result).toBe('won');
      await phone.stop();
    } finally {
      await busy.stop();
      borrower = await borrowerSipp(IT_PORTS.trunk, 'borrower-answer', { answer_ms: '200', talk_ms: '1500' });
    }
  });

  it('never rings an agent who is already on a distribution call', async () => {
    const phones = await agentSipp(IT_PORT_BASE + 480, {}, 'no-answer');
    const setup = await setupRingAll(server, { agents: 1, phoneAt: () => `127.0.0.1:${IT_PORT_BASE + 480}`, ringTimeoutSeconds: 5 });
    const first = await postLead(server, setup);
    const second = await postLead(server, setup);
    expect(await settledProspect(server, setup, second)).toMatchObject({ status: 'exception', failureReason: 'No available agents were found' });
    expect((await settledProspect(server, setup, first)).failureReason).toBe('No agents answered the call');
    expect(await phones.receivedInvites()).toHaveLength(1);
    await phones.stop();
  });
});
