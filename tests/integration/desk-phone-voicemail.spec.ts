// The voicemail key (*97) against a real Asterisk: a caller nobody answers leaves a message (a loud
// tone from a test RTP socket), then desk phones dial *97 and what they hear is measured on the wire.
import * as path from 'node:path';
import { createUser, CreatedUser, loginAs } from '../factories';
import { IT_DIR, IT_PORT_BASE, IT_PORTS, IT_TRUNK_HOST, itAsteriskOptions } from '../harness/it-env';
import { RtpSink, startRtpSink } from '../harness/rtp';
import { eventually, startServer, TestServer } from '../harness/server';
import { startSipp, stopAllSipp } from '../harness/sipp';

// This suite's ports: the dialling desk phone IT_PORT_BASE + 585, its RTP sink + 588, the caller's
// RTP sink + 589 (on the trunk's address), the caller's SIPp IT_PORTS.trunk + 7.
const PHONE_PORT = IT_PORT_BASE + 585;
const PHONE_SINK = IT_PORT_BASE + 588;
const CALLER_SINK = IT_PORT_BASE + 589;
const DID = '+18005550100';
const traceDir = path.join(IT_DIR, 'sipp-voicemail');
// The caller's tone (12000 peak: mean level ~7600) stands out from speech prompts, whose mean
// level stays far below this.
const TONE_LEVEL = 6000;

type DeskUser = CreatedUser & { token: string; sip: { username: string; password: string } };

describe('The voicemail key (*97) on desk phones (real Asterisk + SIPp)', () => {
  let server: TestServer;
  let admin: string;
  let phoneSink: RtpSink;
  let callerSink: RtpSink;
  const users: Record<'rung' | 'other' | 'manager', DeskUser> = {} as never;
  let dials = 0;

  beforeAll(async () => {
    // Inbound calls and desk-phone calls reach the app named in the test Asterisk's dialplan.
    server = await startServer({ ARI_APP: itAsteriskOptions().ariApp, INBOUND_RING_TIMEOUT_SECONDS: '5' });
    admin = await server.login();
    await server.ari.waitUntilUp(15_000);
    phoneSink = await startRtpSink(PHONE_SINK);
    callerSink = await startRtpSink(CALLER_SINK, IT_TRUNK_HOST);
    const specs = { rung: { role: 'agent', stateLicences: ['TX'] }, other: { role: 'agent', stateLicences: [] }, manager: { role: 'manager', stateLicences: [] } } as const;
    for (const [key, spec] of Object.entries(specs) as [keyof typeof users, (typeof specs)[keyof typeof specs]][]) {
      const created = await createUser(server, admin, { workPhoneType: 'sip_desk', role: spec.role, stateLicences: spec.stateLicences, name: `VM ${key}` });
      const token = await loginAs(server, created);
      await server.request('PATCH', '/api/me/session', { token, body: { loggedIn: true, callsOn: true } });
      users[key] = { ...created, token, sip: { username: created.sipAccount!.username, password: created.sipAccount!.password! } };
    }
  });

  afterAll(async () => {
    await phoneSink?.close();
    await callerSink?.close();
    await stopAllSipp();
    await server?.close();
  });

  /** `who` dials *97 from their desk phone; resolves with the tone packets and all loud packets heard. */
  async function dialVoicemail(who: DeskUser): Promise<{ tone: number; audible: number }> {
    const from = Date.now();
    const phone = await startSipp({
      scenario: 'phone-call',
      port: PHONE_PORT,
      remote: `127.0.0.1:${IT_PORTS.sip}`,
      vars: { dial: '*97', call_ms: '0' },
      extraArgs: ['-m', '1', '-s', who.sip.username, '-au', who.sip.username, '-ap', who.sip.password],
      rtpSinkPort: PHONE_SINK,
      traceDir,
      name: `vm-${++dials}-${Date.now()}`,
    });
    // Asterisk plays the list and hangs up: the phone's call ends by itself.
    await phone.cleanExit();
    return { tone: phoneSink.audibleSince(from, TONE_LEVEL), audible: phoneSink.audibleSince(from) };
  }

  it('an agent hears the message a caller left when their call rang them; another agent hears "no messages"; a manager hears the org\'s', async () => {
    // A Texas caller: only `rung` is licensed; their desk phone is not registered, so the call
    // goes to voicemail, where the caller talks (a 440 Hz tone) until hanging up.
    const caller = await startSipp({
      scenario: 'inbound-call',
      port: IT_PORTS.trunk + 7,
      ip: IT_TRUNK_HOST,
      remote: `127.0.0.1:${IT_PORTS.sip}`,
      vars: { caller: '+15125550164', call_ms: '11000' },
      extraArgs: ['-m', '1', '-s', DID],
      rtpSinkPort: CALLER_SINK,
      traceDir,
      name: `vm-caller-${Date.now()}`,
    });
    await callerSink.talk(10_000);
    await caller.exited;
    const message = await eventually(async () => {
      const res = await server.request('GET', '/api/call-activity?pageSize=50', { token: admin });
      return res.body.items.find((r: any) => r.purpose === 'inbound' && r.from === '+15125550164' && r.result === 'voicemail' && r.endedAt && r.recording);
    }, 20_000, 200);
    const legs = await server.request('GET', '/api/call-activity?pageSize=50', { token: admin });
    expect(legs.body.items.filter((r: any) => r.purpose === 'inbound_agent' && r.callId === message.callId).map((r: any) => r.by?.id)).toEqual([users.rung.id]);

    // The agent whose call it was hears the message: seconds of the caller's tone.
    const rung = await dialVoicemail(users.rung);
    expect(rung.tone).toBeGreaterThan(100);
    // An agent it never rang does not: "You have no messages. Goodbye." — spoken, never the tone.
    const other = await dialVoicemail(users.other);
    expect(other.audible).toBeGreaterThan(25);
    expect(other.tone).toBeLessThan(25);
    // A manager hears every voicemail of the org.
    expect((await dialVoicemail(users.manager)).tone).toBeGreaterThan(100);
  });
});
