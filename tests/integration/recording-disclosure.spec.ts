// The recording disclosure (issue 25, docs/compliance.md) against a real Asterisk: SIPp plays the
// agent's desk phone and the borrower behind the carrier trunk; the borrower's RTP goes to a sink of
// ours that measures what they hear. The agent's phone sends no audio, so everything loud the
// borrower hears is the disclosure prompt.
import { createHash } from 'node:crypto';
import { existsSync, renameSync } from 'node:fs';
import * as path from 'node:path';
import { aLead, aPhone, assignProspect, createCampaign, createUser, loginAs, postLead } from '../factories';
import { carrierCall } from '../harness/carrier';
import { asterisk, IT_DIR, IT_PORT_BASE, IT_PORTS, IT_TRUNK_HOST, itAsteriskOptions } from '../harness/it-env';
import { AUDIBLE_LEVEL, RtpSink, rtpSpanMs, startRtpSink } from '../harness/rtp';
import { eventually, startServer, TestServer } from '../harness/server';
import { SippHandle, startSipp, stopAllSipp } from '../harness/sipp';
import { wavSeconds } from '../harness/wav';

const port = (n: number) => IT_PORT_BASE + 640 + n;
const SINK_PORT = port(9);
const traceDir = path.join(IT_DIR, 'sipp-recording-disclosure');
// The borrower hangs up this long after answering: long enough for the prompt and a recording after it.
const TALK_MS = 9000;
// Calls that need no recording after the default prompt within their talk (no prompt, the 2 s
// uploaded one, or an inbound caller connected once the prompt ended) talk less: enough for the
// 5 s the unrecorded ones check.
const SHORT_TALK_MS = 6000;
// The committed prompt (asterisk-config/sounds/disclosure.wav) lasts 4.9 s, 0.45 s of it silence.
const PROMPT_MS = 4900;
const DID = '+18005550100';

/** A WAV of a 440 Hz tone: `seconds` long, `rate` Hz, 16-bit mono PCM. */
function toneWav(seconds: number, rate = 8000): Buffer {
  const samples = Math.round(seconds * rate);
  const wav = Buffer.alloc(44 + samples * 2);
  wav.write('RIFF', 0, 'ascii');
  wav.writeUInt32LE(36 + samples * 2, 4);
  wav.write('WAVEfmt ', 8, 'ascii');
  wav.writeUInt32LE(16, 16);
  wav.writeUInt16LE(1, 20);
  wav.writeUInt16LE(1, 22);
  wav.writeUInt32LE(rate, 24);
  wav.writeUInt32LE(rate * 2, 28);
  wav.writeUInt16LE(2, 32);
  wav.writeUInt16LE(16, 34);
  wav.write('data', 36, 'ascii');
  wav.writeUInt32LE(samples * 2, 40);
  for (let i = 0; i < samples; i++) wav.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / rate)), 44 + i * 2);
  return wav;
}

describe('Recording disclosure (real Asterisk + SIPp)', () => {
  let server: TestServer;
  let admin: string;
  let agent: { id: string; token: string };
  let borrower: SippHandle | undefined;
  let sink: RtpSink;
  let recordingsDir: string;

  beforeAll(async () => {
    // The product's defaults: the disclosure in every state (other specs record Texas without it).
    // Inbound calls reach the app named in the test Asterisk's dialplan: this suite registers it.
    server = await startServer({ ARI_APP: itAsteriskOptions().ariApp }, {}, { productRecordingDefaults: true });
    admin = await server.login();
    await server.ari.waitUntilUp(15_000);
    recordingsDir = path.join((await asterisk()).asteriskDir, 'spool', 'recording');
    await startSipp({ scenario: 'agent-silent', port: port(1), vars: { answer_ms: '200' }, traceDir, name: `agent-${Date.now()}` });
    const user = await createUser(server, admin, { workPhoneType: 'static_ip', workPhone: `127.0.0.1:${port(1)}`, callerId: '+13105550111', stateLicences: ['WA'] });
    const token = await loginAs(server, user);
    await server.request('PATCH', '/api/me/session', { token, body: { loggedIn: true, callsOn: true } });
    agent = { id: user.id, token };
    sink = await startRtpSink(SINK_PORT, IT_TRUNK_HOST);
  });

  afterEach(async () => {
    await borrower?.stop();
    borrower = undefined;
  });

  afterAll(async () => {
    await stopAllSipp();
    await sink?.close();
    await server?.close();
  });

  const setPolicy = async (recording: Record<string, string>) => {
    const res = await server.request('PATCH', '/api/org', { token: admin, body: { recording } });
    expect(res.status).toBe(200);
  };

  /** Click-to-call to `body`; the borrower answers, hangs up after `talkMs`. Its leg once ended, and when it was answered (ms). */
  async function call(body: Record<string, string>, talkMs = TALK_MS): Promise<{ leg: any; answeredAt: number; endedAt: number }> {
    await borrower?.stop();
    borrower = await startSipp({ scenario: 'borrower-answer', port: IT_PORTS.trunk, ip: IT_TRUNK_HOST, vars: { answer_ms: '200', talk_ms: String(talkMs) }, rtpSinkPort: SINK_PORT, traceDir, name: `borrower-${Date.now()}` });
    const res = await server.request('POST', '/api/calls', { token: agent.token, body });
    expect(res.status).toBe(201);
    const to = res.body.to as string;
    const leg = await eventually(async () => {
      const items: any[] = (await server.request('GET', `/api/call-activity?phone=${encodeURIComponent(to)}&pageSize=50`, { token: admin })).body.items;
      return items.find((l) => l.purpose === 'borrower' && l.callId === res.body.callId && l.endedAt);
    }, 40_000, 100);
    // The agent is free again before the next call.
    await eventually(async () => !(await server.request('GET', '/api/me', { token: agent.token })).body.onCall, 10_000);
    return { leg, answeredAt: Date.parse(leg.answeredAt), endedAt: Date.parse(leg.endedAt) };
  }

  /** PUT /api/org/recording-disclosure with a raw body. */
  const upload = async (body: Buffer | string, contentType: string, token = admin) => {
    const res = await fetch(`${server.url}/api/org/recording-disclosure`, { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': contentType }, body });
    return { status: res.status, body: (await res.json()) as any };
  };
  const orgRecording = async () => (await server.request('GET', '/api/org', { token: admin })).body.recording;

  /** The loud packets the borrower received between two instants. */
  const loud = (from: number, to: number) => sink.packets.filter((p) => p.at >= from && p.at <= to && p.level > AUDIBLE_LEVEL);

  it('a California borrower hears the disclosure before the bridge; the recording starts after it', async () => {
    const campaign = await createCampaign(server, admin);
    // The property state decides, whatever the phone's area code (Texas here).
    const posted = await postLead(server, campaign, aLead({ state: 'CA', MobilePhone: aPhone('TX') }));
    const applicationId = await assignProspect(server, admin, posted.body.Data.ProspectId as string, agent.id);
    const { leg, answeredAt, endedAt } = await call({ applicationId });

    expect(leg.recordingRule).toEqual({ rule: 'disclosed', state: 'CA', stateFrom: 'property_state' });
    expect(leg.result).toBe('completed');
    // The prompt reached the borrower: most of its 4.9 s as loud 20 ms packets, all in the first seconds.
    const heard = loud(answeredAt - 1000, endedAt + 1000);
    expect(heard.length).toBeGreaterThan(120);
    const promptEnd = heard[heard.length - 1].at;
    expect(promptEnd - answeredAt).toBeLessThan(PROMPT_MS + 3000);

    // The recording holds the bridged call only. It ends with the hang-up, so its length says when
    // it started: after the prompt's last sound (the recording's own start is not in the API; its
    // length is, in the file Asterisk wrote).
    const file = path.join(recordingsDir, `${leg.recording}.wav`);
    expect(existsSync(file)).toBe(true);
    const seconds = wavSeconds(file);
    const recordingStart = endedAt - seconds * 1000;
    expect(recordingStart).toBeGreaterThanOrEqual(promptEnd - 500);
    expect(seconds).toBeLessThan((TALK_MS - PROMPT_MS + 1500) / 1000);
    expect(seconds).toBeGreaterThan(1);
  });

  it('an uploaded prompt replaces the default (the borrower hears the 2 s one); bad uploads are 4xx and change nothing', async () => {
    const uploaded = await upload(toneWav(2), 'audio/wav');
    expect(uploaded.status).toBe(200);
    expect(uploaded.body.recording.customDisclosure).toEqual({ seconds: 2, uploadedAt: expect.any(String) });
    const before = await orgRecording();

    for (const [body, type, status, message] of [
      [toneWav(2, 44100), 'audio/wav', 400, /44100 Hz, not 8000 Hz/],
      [toneWav(0.5), 'audio/x-wav', 400, /lasts 0\.5 s/],
      ['RIFF????WAVEjunk', 'audio/wav', 400, /no audio|format chunk|cut short/],
      [JSON.stringify({ wav: 'x' }), 'application/json', 415, /audio\/wav/],
      [Buffer.alloc(1024 * 1024 + 10), 'audio/wav', 413, /larger than 1048576 bytes/],
    ] as const) {
      const res = await upload(body, type);
      expect([res.status, res.body.message]).toEqual([status, expect.stringMatching(message)]);
    }
    expect((await upload(toneWav(3), 'audio/wav', agent.token)).status).toBe(403);
    expect(await orgRecording()).toEqual(before);

    const { leg, answeredAt, endedAt } = await call({ phone: aPhone('CA') }, SHORT_TALK_MS);
    expect(leg.recordingRule).toEqual({ rule: 'disclosed', state: 'CA', stateFrom: 'area_code' });
    // 2 s of tone (≈100 packets of 20 ms), not the 4.9 s default.
    const heard = loud(answeredAt - 1000, endedAt + 1000);
    expect(heard.length).toBeGreaterThan(70);
    expect(heard.length).toBeLessThan(130);
    expect(rtpSpanMs(heard)).toBeLessThan(3000);
    const seconds = wavSeconds(path.join(recordingsDir, `${leg.recording}.wav`));
    expect(endedAt - seconds * 1000).toBeGreaterThanOrEqual(heard[heard.length - 1].at - 500);

    // Served to Asterisk by its SHA-256 while in use; back to the default on DELETE, then gone.
    const sha = createHash('sha256').update(toneWav(2)).digest('hex');
    const file = await fetch(`${server.url}/api/prompts/${sha}.wav`);
    expect([file.status, file.headers.get('content-type')]).toEqual([200, 'audio/x-wav']);
    expect(Buffer.from(await file.arrayBuffer()).equals(toneWav(2))).toBe(true);
    const reset = await server.request('DELETE', '/api/org/recording-disclosure', { token: admin });
    expect([reset.status, reset.body.recording.customDisclosure]).toEqual([200, null]);
    expect((await fetch(`${server.url}/api/prompts/${sha}.wav`)).status).toBe(404);
    expect((await fetch(`${server.url}/api/prompts/..%2F..%2Fetc%2Fpasswd`)).status).toBe(404);
    // The next borrower hears the default again: its 4.9 s, not 2.
    const after = await call({ phone: aPhone('CA') });
    const heardAfter = loud(after.answeredAt - 1000, after.endedAt + 1000);
    expect(heardAfter.length).toBeGreaterThan(150);
    expect(rtpSpanMs(heardAfter)).toBeGreaterThan(PROMPT_MS - 1000);
  });

  it("a one-party-state borrower with the org's \"record without disclosure\": no prompt, recorded from the answer", async () => {
    await setPolicy({ onePartyStates: 'record_without_disclosure' });
    const { leg, answeredAt, endedAt } = await call({ phone: aPhone('TX') }, SHORT_TALK_MS).finally(() => setPolicy({ onePartyStates: 'disclose_then_record' }));

    expect(leg.recordingRule).toEqual({ rule: 'undisclosed', state: 'TX', stateFrom: 'area_code' });
    expect(loud(answeredAt - 1000, endedAt + 1000)).toHaveLength(0);
    // Silence came (the line was up), just nothing to hear.
    expect(sink.packets.filter((p) => p.at >= answeredAt && p.at <= endedAt).length).toBeGreaterThan(100);
    // Longer than any recording that waited for the prompt could be (at most SHORT_TALK_MS - PROMPT_MS;
    // how much longer depends on how fast the bridge was built, slower under load).
    const seconds = wavSeconds(path.join(recordingsDir, `${leg.recording}.wav`));
    expect(seconds).toBeGreaterThan((SHORT_TALK_MS - PROMPT_MS + 500) / 1000);
  });

  it('"do not record": no prompt, no recording, in a one-party and in an all-party state', async () => {
    await setPolicy({ onePartyStates: 'do_not_record', allPartyStates: 'do_not_record' });
    try {
      for (const [phone, state] of [
        [aPhone('TX'), 'TX'],
        [aPhone('CA'), 'CA'],
      ]) {
        const { leg, answeredAt, endedAt } = await call({ phone }, SHORT_TALK_MS);
        expect(leg).toMatchObject({ recordingRule: { rule: 'not_recorded', state, stateFrom: 'area_code' }, recording: null, recordingUrl: null, result: 'completed' });
        expect(leg.talkSeconds).toBeGreaterThanOrEqual(5);
        expect(loud(answeredAt - 1000, endedAt + 1000)).toHaveLength(0);
        expect(existsSync(path.join(recordingsDir, `click-${leg.callId}.wav`))).toBe(false);
      }
    } finally {
      await setPolicy({ onePartyStates: 'disclose_then_record', allPartyStates: 'disclose_then_record' });
    }
  });

  /** An inbound call from `caller`; its caller's and its answering agent's rows once ended, and when it was placed. */
  async function inbound(caller: string): Promise<{ row: any; agentLeg: any; placedAt: number }> {
    const placedAt = Date.now();
    const carrier = await carrierCall({ caller, did: DID, port: IT_PORTS.trunk + 7, callMs: SHORT_TALK_MS, rtpSinkPort: SINK_PORT, traceDir, name: `caller-${Date.now()}` });
    const rows = await eventually(async () => {
      const items: any[] = (await server.request('GET', `/api/call-activity?phone=${encodeURIComponent(caller)}&pageSize=50`, { token: admin })).body.items;
      const row = items.find((r) => r.purpose === 'inbound' && r.endedAt && Date.parse(r.startedAt) >= placedAt - 1000);
      return row ? { row, items } : undefined;
    }, 40_000, 100);
    await carrier.cleanExit();
    const agentLeg = await eventually(async () => {
      const items: any[] = (await server.request('GET', `/api/call-activity?pageSize=100`, { token: admin })).body.items;
      return items.find((r) => r.purpose === 'inbound_agent' && r.callId === rows.row.callId && r.result === 'completed' && r.endedAt);
    }, 10_000, 100);
    return { row: rows.row, agentLeg, placedAt };
  }

  it('an inbound caller from an all-party state hears the disclosure while the agent is rung; an agent who answers during it waits until it ended', async () => {
    const { row, agentLeg, placedAt } = await inbound('+12065550134');
    // Washington, from the caller's area code: no lead has this number.
    expect(row).toMatchObject({ result: 'answered', by: { id: agent.id }, recordingRule: { rule: 'disclosed', state: 'WA', stateFrom: 'area_code' } });
    const connectedAt = Date.parse(row.answeredAt);
    const endedAt = Date.parse(row.endedAt);
    const heard = loud(placedAt, endedAt + 1000);
    expect(heard.length).toBeGreaterThan(120);
    const promptEnd = heard[heard.length - 1].at;
    // The agent answered (200 ms after ringing) during the prompt; the caller was connected once it ended.
    expect(Date.parse(agentLeg.answeredAt)).toBeLessThan(promptEnd - 2000);
    expect(connectedAt).toBeGreaterThanOrEqual(promptEnd - 500);
    const seconds = wavSeconds(path.join(recordingsDir, `${row.recording}.wav`));
    expect(endedAt - seconds * 1000).toBeGreaterThanOrEqual(promptEnd - 500);
    expect(seconds).toBeLessThan((SHORT_TALK_MS + 1500) / 1000);
    await eventually(async () => !(await server.request('GET', '/api/me', { token: agent.token })).body.onCall, 10_000);
  });

  describe('an inbound caller from California (310) and an agent licensed there', () => {
    let californian: { id: string; token: string };
    const phoneAnsweringAfter = (ms: number) => startSipp({ scenario: 'agent-silent', port: port(2), vars: { answer_ms: String(ms) }, traceDir, name: `ca-agent-${Date.now()}` });

    beforeAll(async () => {
      const user = await createUser(server, admin, { workPhoneType: 'static_ip', workPhone: `127.0.0.1:${port(2)}`, callerId: '+13105550112', stateLicences: ['CA'] });
      const token = await loginAs(server, user);
      await server.request('PATCH', '/api/me/session', { token, body: { loggedIn: true, callsOn: true } });
      californian = { id: user.id, token };
    });

    afterAll(async () => {
      // Not rung by the later tests' calls.
      await server.request('PATCH', '/api/me/session', { token: californian.token, body: { callsOn: false } });
    });

    it('hears the prompt before any agent answers; the recording starts after it', async () => {
      const phone = await phoneAnsweringAfter(2500);
      try {
        const { row, agentLeg, placedAt } = await inbound('+13105550177');
        expect(row).toMatchObject({ result: 'answered', by: { id: californian.id }, recordingRule: { rule: 'disclosed', state: 'CA', stateFrom: 'area_code' } });
        const agentAnsweredAt = Date.parse(agentLeg.answeredAt);
        const endedAt = Date.parse(row.endedAt);
        const heard = loud(placedAt, endedAt + 1000);
        expect(heard.length).toBeGreaterThan(120);
        // The prompt's sound reached the caller before the agent answered (early media: not answered yet).
        expect(heard[0].at).toBeLessThan(agentAnsweredAt - 500);
        const promptEnd = heard[heard.length - 1].at;
        expect(promptEnd).toBeGreaterThan(agentAnsweredAt);
        expect(Date.parse(row.answeredAt)).toBeGreaterThanOrEqual(promptEnd - 500);
        const seconds = wavSeconds(path.join(recordingsDir, `${row.recording}.wav`));
        expect(endedAt - seconds * 1000).toBeGreaterThanOrEqual(promptEnd - 500);
        await eventually(async () => !(await server.request('GET', '/api/me', { token: californian.token })).body.onCall, 10_000);
      } finally {
        await phone.stop();
      }
    });

    it('nobody answers during the prompt: ringback after it, and the agent who answers then is connected at once', async () => {
      const phone = await phoneAnsweringAfter(8000);
      try {
        const { row, agentLeg, placedAt } = await inbound('+13105550178');
        expect(row).toMatchObject({ result: 'answered', by: { id: californian.id }, recordingRule: { rule: 'disclosed', state: 'CA' } });
        const agentAnsweredAt = Date.parse(agentLeg.answeredAt);
        // The prompt (its first 4.9 s) and then ringback (US cadence: 2 s of tone, 4 s of silence):
        // sound well past the prompt's end, before the agent answered.
        const heard = loud(placedAt, agentAnsweredAt);
        expect(heard.length).toBeGreaterThan(150);
        expect(heard[heard.length - 1].at - heard[0].at).toBeGreaterThan(PROMPT_MS + 1000);
        // Connected at once, not after a second prompt; and the ringback stopped (a silent agent: nothing loud after).
        expect(Date.parse(row.answeredAt) - agentAnsweredAt).toBeLessThan(1500);
        expect(loud(Date.parse(row.answeredAt) + 500, Date.parse(row.endedAt))).toHaveLength(0);
        await eventually(async () => !(await server.request('GET', '/api/me', { token: californian.token })).body.onCall, 10_000);
      } finally {
        await phone.stop();
      }
    });
  });

  it('a disclosure Asterisk cannot play: the call is connected, unrecorded', async () => {
    // Asterisk's copy of the prompt (scripts/asterisk.sh copies it into its scratch folder at start).
    const prompt = path.join((await asterisk()).asteriskDir, 'data', 'sounds', 'en', 'leadline', 'disclosure.wav');
    renameSync(prompt, `${prompt}.away`);
    try {
      const { leg, answeredAt, endedAt } = await call({ phone: aPhone('CA') }, SHORT_TALK_MS);
      expect(leg).toMatchObject({ recordingRule: { rule: 'not_recorded', state: 'CA', stateFrom: 'area_code' }, recording: null, result: 'completed' });
      expect(leg.talkSeconds).toBeGreaterThanOrEqual(5);
      expect(loud(answeredAt - 1000, endedAt + 1000)).toHaveLength(0);
      expect(existsSync(path.join(recordingsDir, `click-${leg.callId}.wav`))).toBe(false);
    } finally {
      renameSync(`${prompt}.away`, prompt);
    }
  });

  it('the org API: the defaults, a change, and a bad value is a 400 that changes nothing', async () => {
    expect(await orgRecording()).toEqual({ allPartyStates: 'disclose_then_record', onePartyStates: 'disclose_then_record', customDisclosure: null });
    for (const recording of [{ allPartyStates: 'record_without_disclosure' }, { onePartyStates: 'sometimes' }, { allPartyStates: 'do_not_record', onePartyStates: 7 }]) {
      const res = await server.request('PATCH', '/api/org', { token: admin, body: { recording } });
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body)).toMatch(/recording\.(allPartyStates|onePartyStates)/);
    }
    expect(await orgRecording()).toEqual({ allPartyStates: 'disclose_then_record', onePartyStates: 'disclose_then_record', customDisclosure: null });
    // Agents read it, only admins change it.
    expect((await server.request('PATCH', '/api/org', { token: agent.token, body: { recording: { onePartyStates: 'do_not_record' } } })).status).toBe(403);
  });
});
