// The recording disclosure on a ring-all round (issue 25, docs/compliance.md) against a real
// Asterisk: SIPp plays the agent's desk phone (who presses 1) and the borrower behind the carrier
// trunk; each points its RTP at a sink of ours. The borrower's sink measures what the borrower
// hears (the agent's phone sends no audio, so everything loud is the prompt) and talks back (a loud
// tone), so "the agent hears nothing from the borrower until the prompt ended" is measured at the
// agent's sink.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { asterisk, IT_DIR, IT_PORT_BASE, IT_PORTS, IT_TRUNK_HOST } from '../harness/it-env';
import { AUDIBLE_LEVEL, RtpSink, startRtpSink } from '../harness/rtp';
import { eventually, startServer, TestServer } from '../harness/server';
import { startSipp, stopAllSipp } from '../harness/sipp';
import { wavSeconds } from '../harness/wav';
import { aBorrowerPhone, aLead, legsEnded, postLead, RingAllSetup, setupRingAll } from './ring-all.fixture';

// This suite's ports: the agent's SIPp IT_PORT_BASE + 650, RTP sinks + 655 (agent) and + 656 (borrower).
const AGENT_PORT = IT_PORT_BASE + 650;
const traceDir = path.join(IT_DIR, 'sipp-recording-disclosure-ring-all');
// The borrower hangs up this long after answering.
const TALK_MS = 9000;
// The committed prompt (asterisk-config/sounds/disclosure.wav) lasts 4.9 s, 0.45 s of it silence.
const PROMPT_MS = 4900;

describe('Recording disclosure on ring all (real Asterisk + SIPp)', () => {
  let server: TestServer;
  let setup: RingAllSetup;
  let agentEars: RtpSink;
  let borrowerEars: RtpSink;
  let recordingsDir: string;

  beforeAll(async () => {
    // The product's defaults: the disclosure in every state (other specs record Texas without it).
    server = await startServer({}, {}, { productRecordingDefaults: true });
    await server.ari.waitUntilUp(15_000);
    recordingsDir = path.join((await asterisk()).asteriskDir, 'spool', 'recording');
    agentEars = await startRtpSink(IT_PORT_BASE + 655);
    borrowerEars = await startRtpSink(IT_PORT_BASE + 656, IT_TRUNK_HOST);
    // The agent answers, presses 1 and stays until the borrower's hang-up ends the call.
    await startSipp({ scenario: 'agent-press', port: AGENT_PORT, vars: { answer_ms: '200', dtmf_ms: '700' }, rtpSinkPort: agentEars.port, traceDir, name: `agent-${Date.now()}` });
    setup = await setupRingAll(server, { agents: 1, phoneAt: () => `127.0.0.1:${AGENT_PORT}`, licences: ['CA', 'TX'], ringTimeoutSeconds: 15 });
  });

  afterAll(async () => {
    await stopAllSipp();
    await agentEars?.close();
    await borrowerEars?.close();
    await server?.close();
  });

  const loud = (sink: RtpSink, from: number, to: number) => sink.packets.filter((p) => p.at >= from && p.at <= to && p.level > AUDIBLE_LEVEL);

  /**
   * A ring-all round for `lead`: the agent presses 1, the borrower answers, talks (a loud tone) from
   * the first sound they get until they hang up TALK_MS after answering. The borrower's leg once ended.
   */
  async function round(lead: Record<string, unknown>): Promise<{ leg: any; answeredAt: number; endedAt: number }> {
    const borrower = await startSipp({ scenario: 'borrower-answer', port: IT_PORTS.trunk, ip: IT_TRUNK_HOST, vars: { answer_ms: '200', talk_ms: String(TALK_MS) }, rtpSinkPort: borrowerEars.port, traceDir, name: `borrower-${Date.now()}` });
    try {
      const heardBefore = borrowerEars.packets.length;
      const prospectId = await postLead(server, setup, lead);
      // Asterisk's first packet to the borrower tells the sink where to talk to.
      await eventually(() => borrowerEars.packets.length > heardBefore, 30_000, 20);
      await borrowerEars.talk(TALK_MS - 500);
      const legs = await legsEnded(server, setup, prospectId, 2, 30_000);
      const leg = legs.find((l) => l.purpose === 'borrower');
      expect(leg).toBeDefined();
      // The agent is free again before the next round.
      await eventually(async () => !(await server.request('GET', '/api/me', { token: setup.agents[0].token })).body.onCall, 10_000);
      return { leg, answeredAt: Date.parse(leg.answeredAt), endedAt: Date.parse(leg.endedAt) };
    } finally {
      await borrower.stop();
    }
  }

  it('a California borrower hears the disclosure before the bridge; the agent hears them only after it; the recording starts after it', async () => {
    // The property state decides, whatever the phone's area code (Texas here).
    const { leg, answeredAt, endedAt } = await round(aLead({ PropertyState: 'CA', MobilePhone: aBorrowerPhone() }));

    expect(leg).toMatchObject({ result: 'completed', recordingRule: { rule: 'disclosed', state: 'CA', stateFrom: 'property_state' } });
    // The borrower heard the prompt: most of its 4.9 s as loud 20 ms packets, all in the first seconds.
    const heard = loud(borrowerEars, answeredAt - 1000, endedAt + 1000);
    expect(heard.length).toBeGreaterThan(120);
    const promptEnd = heard[heard.length - 1].at;
    expect(promptEnd - answeredAt).toBeLessThan(PROMPT_MS + 3000);
    expect(promptEnd - answeredAt).toBeGreaterThan(PROMPT_MS - 1500);

    // The borrower talked all along; the agent heard none of it while the prompt played, then
    // heard them once bridged.
    expect(loud(agentEars, answeredAt, promptEnd - 300)).toHaveLength(0);
    expect(loud(agentEars, promptEnd, endedAt).length).toBeGreaterThan(50);

    // The recording holds the bridged call only: it ends with the hang-up, so its length puts its
    // start after the prompt's last sound (recording ≈ talk time minus the prompt).
    const file = path.join(recordingsDir, `${leg.recording}.wav`);
    expect(existsSync(file)).toBe(true);
    const seconds = wavSeconds(file);
    expect(endedAt - seconds * 1000).toBeGreaterThanOrEqual(promptEnd - 500);
    expect(seconds).toBeLessThan((TALK_MS - PROMPT_MS + 1500) / 1000);
    expect(seconds).toBeGreaterThan(1);
  });

  it("a one-party-state borrower with the org's \"record without disclosure\": no prompt, the agent hears them at once, recorded from the answer", async () => {
    const admin = setup.admin;
    expect((await server.request('PATCH', '/api/org', { token: admin, body: { recording: { onePartyStates: 'record_without_disclosure' } } })).status).toBe(200);
    try {
      const { leg, answeredAt, endedAt } = await round(aLead({ PropertyState: 'TX' }));

      expect(leg).toMatchObject({ result: 'completed', recordingRule: { rule: 'undisclosed', state: 'TX', stateFrom: 'property_state' } });
      expect(loud(borrowerEars, answeredAt - 1000, endedAt + 1000)).toHaveLength(0);
      // The agent hears the borrower within the first seconds, not a prompt's length later.
      const agentHeard = loud(agentEars, answeredAt, endedAt);
      expect(agentHeard.length).toBeGreaterThan(100);
      expect(agentHeard[0].at - answeredAt).toBeLessThan(PROMPT_MS - 1500);
      // Longer than any recording that waited for the prompt could be.
      const seconds = wavSeconds(path.join(recordingsDir, `${leg.recording}.wav`));
      expect(seconds).toBeGreaterThan((TALK_MS - PROMPT_MS + 500) / 1000);
    } finally {
      await server.request('PATCH', '/api/org', { token: admin, body: { recording: { onePartyStates: 'disclose_then_record' } } });
    }
  });
});
