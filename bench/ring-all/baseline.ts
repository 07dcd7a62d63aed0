// The floor the Ring All benchmark compares Leadline with: a bare ARI program (no database, no
// framework) that rings the same SIPp phones through the same Asterisk. Run as a child process:
// RINGALL_ARI_URL, RINGALL_ARI_USERNAME, RINGALL_ARI_PASSWORD, RINGALL_ARI_APP, RINGALL_CONTROL_PORT.
//
// A round, as Leadline plays it, minus every database write:
//  - originate all agent legs at once (POST /channels/{id}, PJSIP/<endpoint>, our Stasis app);
//  - an answered leg hears "press 1" (sound:leadline/press-1, repeated);
//  - the first ChannelDtmfReceived "1" wins; at once, without waiting for each other: stop its
//    prompt, play "connecting", originate the borrower PJSIP/<phone>@trunk, cancel ringing losers
//    (DELETE ?reason=answered_elsewhere), and answered losers hear "lead taken" and are hung up;
//  - the borrower answering gets a mixing bridge with the winner; either side hanging up ends both.
// Inbound (the inbound bench, on its Stasis app): a carrier's call entering the app with
// "inbound,<DID>" rings the caller (180) and originates every endpoint set with POST /inbound at
// once, as Leadline does minus the lookup and every database write; the first agent leg to answer
// is connected (the caller answered, both in a mixing bridge) and the others are cancelled; either
// side hanging up ends the other.
// The bench talks to it over a small HTTP API (baseline-api.ts).
import { randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import WebSocket from 'ws';
import { AriHttpClient } from '../../apps/server/src/telephony/ari/ari-http.client';
import { AriAsterisk, AriBridges, AriChannels, AriPlaybacks, DynamicConfigField } from '../../apps/server/src/telephony/ari/ari-resources';
import { AriChannel, AriEvent, asKnownAriEvent } from '../../apps/server/src/telephony/ari/ari.types';
import { wallMs } from './clock';
import { BASELINE_PATHS, BaselineEndpoint, BaselineInboundView, BaselineOutcome, BaselineRoundRequest, BaselineRoundStarted, BaselineRoundView } from './baseline-api';

const env = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
};

const ARI_URL = env('RINGALL_ARI_URL');
const APP = env('RINGALL_ARI_APP');
const CONTROL_PORT = Number(env('RINGALL_CONTROL_PORT'));
const http = new AriHttpClient(ARI_URL, env('RINGALL_ARI_USERNAME'), env('RINGALL_ARI_PASSWORD'));
const channels = new AriChannels(http);
const playbacks = new AriPlaybacks(http);
const bridges = new AriBridges(http);
const asterisk = new AriAsterisk(http);
const TAKEN_MESSAGE_MAX_MS = 8000;


type LegStatus = 'ringing' | 'prompting' | 'won' | 'leaving' | 'ended';
type PlaybackKind = 'prompt' | 'taken' | 'connecting';

interface Leg {
  channelId: string;
  endpoint: string;
  status: LegStatus;
  playbackId?: string;
  /** Settles when Asterisk has answered the originate: a DELETE sent before that finds no channel. */
  originated: Promise<void>;
}

interface Round {
  id: string;
  request: BaselineRoundRequest;
  startedAt: number;
  legs: Map<string, Leg>;
  outcome: BaselineOutcome | null;
  winner?: Leg;
  digitHandledAt: number | null;
  borrower?: { channelId: string; ended: boolean };
  bridgeId?: string;
  done: boolean;
  timers: Set<NodeJS.Timeout>;
  errors: string[];
}

const rounds = new Map<string, Round>();
const byChannel = new Map<string, Round>();
const byPlayback = new Map<string, { round: Round; leg: Leg; kind: PlaybackKind }>();

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Fire-and-forget REST call whose failure is noted on the round (a channel that just went away is normal). */
function fire(round: Round, what: string, work: Promise<unknown>): void {
  work.catch((err: unknown) => {
    if (!/answered 404/.test(message(err))) round.errors.push(`${what}: ${message(err)}`);
  });
}

function later(round: Round, ms: number, fn: () => void): void {
  const t = setTimeout(() => {
    round.timers.delete(t);
    fn();
  }, ms);
  round.timers.add(t);
}

function play(round: Round, leg: Leg, media: string, kind: PlaybackKind): void {
  const playbackId = randomUUID();
  leg.playbackId = playbackId;
  byPlayback.set(playbackId, { round, leg, kind });
  fire(round, `play ${kind}`, channels.play(leg.channelId, playbackId, media));
}

function hangup(round: Round, channelId: string, reason: string): void {
  // With Leadline's priorities: a loser's cancel goes ahead of other rounds' waiting requests.
  fire(round, `hangup ${reason}`, channels.hangup(channelId, reason, reason === 'answered_elsewhere' ? 'urgent' : 'normal'));
}

/** Hangs up a leg that may still be ringing: after its originate has been answered (at once when it has). */
function hangupLeg(round: Round, leg: Leg, reason: string): void {
  void leg.originated.then(() => {
    if (leg.status !== 'ended') hangup(round, leg.channelId, reason);
  });
}

function startRound(request: BaselineRoundRequest): BaselineRoundStarted {
  const round: Round = {
    id: randomUUID(),
    request,
    startedAt: wallMs(),
    legs: new Map(),
    outcome: null,
    digitHandledAt: null,
    done: false,
    timers: new Set(),
    errors: [],
  };
  rounds.set(round.id, round);
  const callerId = `"New lead" <${request.orgCallerId}>`;
  for (const endpoint of request.endpoints) {
    const channelId = randomUUID();
    byChannel.set(channelId, round);
    const originated = channels
      .originate({ channelId, endpoint: `PJSIP/${endpoint}`, app: APP, appArgs: `baseline,${round.id}`, callerId, timeoutSeconds: request.ringTimeoutSeconds + 5 })
      .then(
        () => undefined,
        (err: unknown) => {
          round.errors.push(`originate ${endpoint}: ${message(err)}`);
          legEnded(round, leg);
        },
      );
    const leg: Leg = { channelId, endpoint, status: 'ringing', originated };
    round.legs.set(channelId, leg);
  }
  later(round, request.ringTimeoutSeconds * 1000, () => ringTimeout(round));
  return { id: round.id, startedAt: round.startedAt };
}

function ringTimeout(round: Round): void {
  if (round.outcome) return;
  round.outcome = 'no_answer';
  for (const leg of round.legs.values()) {
    if (leg.status !== 'ended') hangupLeg(round, leg, leg.status === 'ringing' ? 'no_answer' : 'normal');
  }
}

function win(round: Round, leg: Leg): void {
  round.outcome = 'taken';
  round.winner = leg;
  round.digitHandledAt = wallMs();
  leg.status = 'won';
  const borrowerId = randomUUID();
  round.borrower = { channelId: borrowerId, ended: false };
  byChannel.set(borrowerId, round);
  channels
    .originate({ channelId: borrowerId, endpoint: `PJSIP/${round.request.borrowerPhone}@trunk`, app: APP, appArgs: `baseline-borrower,${round.id}`, callerId: round.request.agentCallerId, timeoutSeconds: 45, priority: 'urgent' })
    .catch((err: unknown) => {
      round.errors.push(`originate borrower: ${message(err)}`);
      borrowerEnded(round);
    });
  for (const other of round.legs.values()) {
    if (other === leg) continue;
    if (other.status === 'ringing') {
      hangupLeg(round, other, 'answered_elsewhere');
    } else if (other.status === 'prompting') {
      other.status = 'leaving';
      if (other.playbackId) fire(round, 'stop prompt', playbacks.stop(other.playbackId));
      play(round, other, 'sound:leadline/lead-taken', 'taken');
      later(round, TAKEN_MESSAGE_MAX_MS, () => hangup(round, other.channelId, 'normal'));
    }
  }
  if (leg.playbackId) fire(round, 'stop prompt', playbacks.stop(leg.playbackId));
  play(round, leg, 'sound:leadline/connecting', 'connecting');
}

function legEnded(round: Round, leg: Leg): void {
  if (leg.status === 'ended') return;
  const was = leg.status;
  leg.status = 'ended';
  if (was === 'won' && round.borrower && !round.borrower.ended) hangup(round, round.borrower.channelId, 'normal');
  if (!round.outcome && [...round.legs.values()].every((l) => l.status === 'ended')) round.outcome = 'no_answer';
  checkDone(round);
}

function borrowerEnded(round: Round): void {
  if (!round.borrower || round.borrower.ended) return;
  round.borrower.ended = true;
  const winner = round.winner;
  if (winner && winner.status !== 'ended') hangup(round, winner.channelId, 'normal');
  checkDone(round);
}

// ---- inbound calls ----

interface InboundLeg {
  channelId: string;
  ended: boolean;
  /** Settles when Asterisk has answered the originate: a DELETE sent before that finds no channel. */
  originated: Promise<void>;
}

interface InboundCall {
  callerId: string;
  legs: Map<string, InboundLeg>;
  winner?: InboundLeg;
  bridgeId?: string;
  callerGone: boolean;
}

/** The endpoints every inbound call rings (POST /inbound). */
let inboundEndpoints: string[] = [];
const inboundByChannel = new Map<string, InboundCall>();
const inboundView: BaselineInboundView = { calls: 0, errors: [] };

function inboundFire(what: string, work: Promise<unknown>): void {
  work.catch((err: unknown) => {
    if (!/answered 404/.test(message(err))) inboundView.errors.push(`${what}: ${message(err)}`);
  });
}

/** Ends a leg once Asterisk has answered its originate (a ringing one is cancelled with `reason`). */
function endInboundLeg(leg: InboundLeg, reason: string): void {
  void leg.originated.then(() => {
    if (!leg.ended) inboundFire(`hangup ${reason}`, channels.hangup(leg.channelId, reason, reason === 'answered_elsewhere' ? 'urgent' : 'normal'));
  });
}

function startInbound(caller: AriChannel): void {
  const call: InboundCall = { callerId: caller.id, legs: new Map(), callerGone: false };
  inboundView.calls++;
  inboundByChannel.set(caller.id, call);
  // As Leadline: the caller hears ringing, then every agent's phone rings at once.
  inboundFire('ring the caller', channels.ring(caller.id));
  for (const endpoint of inboundEndpoints) {
    const channelId = randomUUID();
    inboundByChannel.set(channelId, call);
    const leg: InboundLeg = { channelId, ended: false, originated: Promise.resolve() };
    leg.originated = channels
      .originate({ channelId, endpoint: `PJSIP/${endpoint}`, app: APP, appArgs: 'baseline-inbound', callerId: caller.caller.number || undefined, timeoutSeconds: 30 })
      .then(
        () => undefined,
        (err: unknown) => {
          inboundView.errors.push(`originate ${endpoint}: ${message(err)}`);
          leg.ended = true;
          inboundByChannel.delete(channelId);
        },
      );
    call.legs.set(channelId, leg);
  }
}

function inboundAnswered(call: InboundCall, leg: InboundLeg): void {
  if (call.winner || call.callerGone) {
    inboundFire('hang up a late answer', channels.hangup(leg.channelId, 'normal'));
    return;
  }
  call.winner = leg;
  for (const other of call.legs.values()) if (other !== leg) endInboundLeg(other, 'answered_elsewhere');
  const bridgeId = randomUUID();
  call.bridgeId = bridgeId;
  const connect = async () => {
    await channels.answer(call.callerId);
    await bridges.create(bridgeId, 'baseline-inbound');
    await bridges.addChannels(bridgeId, [call.callerId, leg.channelId]);
  };
  inboundFire('connect', connect());
}

function inboundEnded(call: InboundCall, channelId: string): void {
  inboundByChannel.delete(channelId);
  if (channelId === call.callerId) {
    call.callerGone = true;
    for (const leg of call.legs.values()) endInboundLeg(leg, 'normal');
  } else {
    const leg = call.legs.get(channelId);
    if (!leg) return;
    leg.ended = true;
    if (leg === call.winner && !call.callerGone) inboundFire('hang up the caller', channels.hangup(call.callerId, 'normal'));
  }
  if (call.bridgeId && call.callerGone && [...call.legs.values()].every((l) => l.ended)) {
    inboundFire('destroy bridge', bridges.destroy(call.bridgeId));
    call.bridgeId = undefined;
  }
}

function checkDone(round: Round): void {
  if (round.done || !round.outcome) return;
  if ([...round.legs.values()].some((l) => l.status !== 'ended')) return;
  if (round.borrower && !round.borrower.ended) return;
  round.done = true;
  for (const t of round.timers) clearTimeout(t);
  round.timers.clear();
  if (round.bridgeId) fire(round, 'destroy bridge', bridges.destroy(round.bridgeId));
  for (const [id, p] of byPlayback) if (p.round === round) byPlayback.delete(id);
}

async function bridgeWithBorrower(round: Round): Promise<void> {
  const winner = round.winner;
  if (!round.borrower || !winner || winner.status !== 'won') {
    if (round.borrower) hangup(round, round.borrower.channelId, 'normal');
    return;
  }
  if (winner.playbackId) await playbacks.stop(winner.playbackId);
  const bridgeId = randomUUID();
  round.bridgeId = bridgeId;
  await bridges.create(bridgeId, `baseline-${round.id}`);
  await bridges.addChannels(bridgeId, [winner.channelId, round.borrower.channelId]);
}

function onEvent(event: AriEvent): void {
  switch (event.type) {
    case 'StasisStart': {
      const inbound = inboundByChannel.get(event.channel.id);
      const inboundLeg = inbound?.legs.get(event.channel.id);
      if (inbound && inboundLeg) return inboundAnswered(inbound, inboundLeg);
      if (!inbound && event.args[0] === 'inbound') return startInbound(event.channel);
      const round = byChannel.get(event.channel.id);
      if (!round) return;
      if (round.borrower?.channelId === event.channel.id) {
        bridgeWithBorrower(round).catch((err: unknown) => round.errors.push(`bridge: ${message(err)}`));
        return;
      }
      const leg = round.legs.get(event.channel.id);
      if (!leg || leg.status !== 'ringing') return;
      if (round.outcome) {
        leg.status = 'leaving';
        play(round, leg, 'sound:leadline/lead-taken', 'taken');
        later(round, TAKEN_MESSAGE_MAX_MS, () => hangup(round, leg.channelId, 'normal'));
      } else {
        leg.status = 'prompting';
        play(round, leg, 'sound:leadline/press-1', 'prompt');
      }
      return;
    }
    case 'ChannelDtmfReceived': {
      const round = byChannel.get(event.channel.id);
      const leg = round?.legs.get(event.channel.id);
      if (round && leg && leg.status === 'prompting' && event.digit === '1' && !round.outcome) win(round, leg);
      return;
    }
    case 'PlaybackFinished': {
      const tracked = byPlayback.get(event.playback.id);
      if (!tracked) return;
      byPlayback.delete(event.playback.id);
      const { round, leg, kind } = tracked;
      if (kind === 'prompt' && leg.status === 'prompting' && !round.outcome) play(round, leg, 'sound:leadline/press-1', 'prompt');
      else if (kind === 'taken' && leg.status === 'leaving') hangup(round, leg.channelId, 'normal');
      return;
    }
    case 'ChannelDestroyed': {
      const inbound = inboundByChannel.get(event.channel.id);
      if (inbound) return inboundEnded(inbound, event.channel.id);
      const round = byChannel.get(event.channel.id);
      if (!round) return;
      byChannel.delete(event.channel.id);
      if (round.borrower?.channelId === event.channel.id) borrowerEnded(round);
      else {
        const leg = round.legs.get(event.channel.id);
        if (leg) legEnded(round, leg);
      }
      return;
    }
    case 'ApplicationReplaced':
      process.stderr.write(`another connection took over Stasis app ${APP}\n`);
      return;
    case 'StasisEnd': {
      // A caller who came through the dialplan is no longer ours once it leaves the app (no ChannelDestroyed follows).
      const inbound = inboundByChannel.get(event.channel.id);
      if (inbound?.callerId === event.channel.id) inboundEnded(inbound, event.channel.id);
      return;
    }
    case 'ChannelStateChange':
    case 'ChannelHangupRequest':
    case 'Dial':
    case 'PlaybackStarted':
    case 'RecordingStarted':
    case 'RecordingFinished':
    case 'RecordingFailed':
    case 'ChannelEnteredBridge':
    case 'ChannelLeftBridge':
    case 'BridgeDestroyed':
    case 'ChannelHold':
    case 'ChannelUnhold':
    case 'ChannelTransfer':
      return;
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
}

const f = (attribute: string, value: string): DynamicConfigField => ({ attribute, value });

/** The same objects Leadline's DeskPhoneProvisioner creates for a static-IP phone. */
async function provision(endpoints: BaselineEndpoint[]): Promise<void> {
  for (const e of endpoints) {
    await asterisk.putConfig('res_pjsip', 'aor', e.id, [f('contact', `sip:${e.id}@${e.contact}`), f('max_contacts', '1')]);
    await asterisk.putConfig('res_pjsip', 'endpoint', e.id, [
      f('context', 'from-phones'), f('aors', e.id), f('transport', 'transport-udp'),
      f('callerid', `"${e.id}" <${e.id}>`), f('send_pai', 'yes'), f('disallow', 'all'), f('allow', 'ulaw,alaw'), f('dtmf_mode', 'rfc4733'),
      f('direct_media', 'no'), f('rtp_symmetric', 'yes'), f('force_rport', 'yes'), f('rewrite_contact', 'yes'),
    ]);
  }
}

function view(round: Round): BaselineRoundView {
  return {
    id: round.id,
    startedAt: round.startedAt,
    done: round.done,
    outcome: round.outcome,
    winnerEndpoint: round.winner?.endpoint ?? null,
    digitHandledAt: round.digitHandledAt,
    errors: round.errors,
  };
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
    req.on('error', reject);
  });
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function asRoundRequest(v: unknown): BaselineRoundRequest | undefined {
  if (!isRecord(v) || !Array.isArray(v.endpoints) || !v.endpoints.every((e) => typeof e === 'string')) return undefined;
  const { borrowerPhone, ringTimeoutSeconds, orgCallerId, agentCallerId } = v;
  if (typeof borrowerPhone !== 'string' || typeof ringTimeoutSeconds !== 'number' || typeof orgCallerId !== 'string' || typeof agentCallerId !== 'string') return undefined;
  return { endpoints: v.endpoints.filter((e): e is string => typeof e === 'string'), borrowerPhone, ringTimeoutSeconds, orgCallerId, agentCallerId };
}

function asEndpoints(v: unknown): BaselineEndpoint[] | undefined {
  if (!isRecord(v) || !Array.isArray(v.endpoints)) return undefined;
  const out: BaselineEndpoint[] = [];
  for (const e of v.endpoints) {
    if (!isRecord(e) || typeof e.id !== 'string' || typeof e.contact !== 'string') return undefined;
    out.push({ id: e.id, contact: e.contact });
  }
  return out;
}

let connected = false;

function connect(): Promise<WebSocket> {
  const url = new URL(`${ARI_URL}/ari/events`);
  url.protocol = 'ws:';
  url.searchParams.set('app', APP);
  const socket = new WebSocket(url, { headers: { authorization: http.authHeader }, handshakeTimeout: 5000 });
  return new Promise((resolve, reject) => {
    socket.once('open', () => {
      connected = true;
      resolve(socket);
    });
    socket.once('error', reject);
    socket.on('message', (data: WebSocket.RawData) => {
      let event: AriEvent | undefined;
      try {
        event = asKnownAriEvent(JSON.parse(data.toString()));
      } catch {
        return;
      }
      if (event) onEvent(event);
    });
    socket.on('close', () => {
      connected = false;
      process.stderr.write('ARI websocket closed\n');
    });
  });
}

async function main(): Promise<void> {
  if (!Number.isInteger(CONTROL_PORT) || CONTROL_PORT <= 0) throw new Error('RINGALL_CONTROL_PORT must be a port');
  const socket = await connect();
  const server = createServer((req, res) => {
    const url = req.url ?? '';
    if (req.method === 'GET' && url === BASELINE_PATHS.health) return reply(res, connected ? 200 : 503, { connected });
    if (req.method === 'POST' && url === BASELINE_PATHS.endpoints) {
      readJson(req)
        .then(async (body) => {
          const endpoints = asEndpoints(body);
          if (!endpoints) return reply(res, 400, { message: 'endpoints: [{id, contact}] expected' });
          await provision(endpoints);
          reply(res, 200, { provisioned: endpoints.length });
        })
        .catch((err: unknown) => reply(res, 500, { message: message(err) }));
      return;
    }
    if (req.method === 'POST' && url === BASELINE_PATHS.rounds) {
      readJson(req)
        .then((body) => {
          const request = asRoundRequest(body);
          if (!request) return reply(res, 400, { message: 'bad round request' });
          reply(res, 200, startRound(request));
        })
        .catch((err: unknown) => reply(res, 500, { message: message(err) }));
      return;
    }
    if (req.method === 'POST' && url === BASELINE_PATHS.inbound) {
      readJson(req)
        .then((body) => {
          const endpoints = isRecord(body) && Array.isArray(body.endpoints) && body.endpoints.every((e) => typeof e === 'string') ? body.endpoints.map(String) : undefined;
          if (!endpoints) return reply(res, 400, { message: 'endpoints: [id] expected' });
          inboundEndpoints = endpoints;
          reply(res, 200, { endpoints: endpoints.length });
        })
        .catch((err: unknown) => reply(res, 500, { message: message(err) }));
      return;
    }
    if (req.method === 'GET' && url === BASELINE_PATHS.inbound) return reply(res, 200, { ...inboundView, live: inboundByChannel.size });
    const m = /^\/rounds\/([0-9a-f-]{36})$/.exec(url);
    if (req.method === 'GET' && m) {
      const round = rounds.get(m[1]);
      return round ? reply(res, 200, view(round)) : reply(res, 404, { message: 'no such round' });
    }
    reply(res, 404, { message: 'not found' });
  });
  server.listen(CONTROL_PORT, '127.0.0.1');

  const stop = () => {
    // Whatever is still up goes: Asterisk would otherwise keep the calls in our (closed) app.
    const live = [...byChannel.keys(), ...inboundByChannel.keys()];
    void Promise.allSettled(live.map((id) => channels.hangup(id, 'normal'))).finally(() => {
      socket.close(1000, 'shutdown');
      server.close();
      server.closeAllConnections();
      process.exit(0);
    });
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`ring-all baseline failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
