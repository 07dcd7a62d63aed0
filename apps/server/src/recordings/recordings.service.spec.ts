import { Test } from '@nestjs/testing';
import type { Readable } from 'node:stream';
import { AuthUser } from '../auth/auth-user';
import { CallActivityRepository } from '../call-activity/call-activity.repository';
import { DomainError, ErrorCode } from '../common/domain-error';
import { AriHttpError } from '../telephony/ari/ari-http.client';
import { AriLink } from '../telephony/ari/ari-link';
import { AppConfig } from '../config/app-config';
import { RecordingLinks } from './recording-links';
import { RecordingsService } from './recordings.service';

const LEG_ID = '6f1c1a52-3c0e-4a8e-9a51-2f3f0b0f7c11';
const WAV = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WAVE'), Buffer.alloc(32)]);

interface Leg {
  id: string;
  userId: string | null;
  recording: string | null;
}

// Real links, signed with a test key, valid for an hour.
const LINKS = new RecordingLinks({ auth: { jwtSecret: 'a-test-jwt-secret-of-at-least-32-characters' }, webhooks: { recordingLinkTtlSeconds: 3600 }, actionPost: { publicBaseUrl: 'https://leads.example.com' } } as AppConfig);
const linkParams = (link: { url: string }) => {
  const url = new URL(link.url);
  return { expires: url.searchParams.get('expires') ?? undefined, signature: url.searchParams.get('signature') ?? undefined };
};

const aLeg = (over: Partial<Leg> = {}): Leg => ({ id: LEG_ID, userId: 'agent-1', recording: 'ringall-p1-1732233445566', ...over });
const aViewer = (over: Partial<AuthUser> = {}): AuthUser => ({ id: 'agent-1', orgId: 'org-1', role: 'agent', email: 'a@x.test', ...over });
const aWavResponse = (headers: Record<string, string> = { 'content-length': String(WAV.length) }) => new Response(WAV, { status: 200, headers });

/** A service over an in-memory leg table and a fake Asterisk whose file() answers as told. */
async function aService(opts: { legs?: Leg[]; connected?: boolean; file?: (name: string) => Promise<Response> } = {}) {
  const asked: string[] = [];
  const legs = opts.legs ?? [aLeg()];
  const repo = { recordingOf: async (orgId: string | null, id: string) => (orgId === null || orgId === 'org-1' ? (legs.find((l) => l.id === id) ?? null) : null) };
  const ari = {
    status: { connected: opts.connected ?? true, since: new Date() },
    recordings: {
      file: async (name: string) => {
        asked.push(name);
        return (opts.file ?? (async () => aWavResponse()))(name);
      },
    },
  };
  const module = await Test.createTestingModule({
    providers: [RecordingsService, { provide: CallActivityRepository, useValue: repo }, { provide: AriLink, useValue: ari }, { provide: RecordingLinks, useValue: LINKS }],
  }).compile();
  return { service: module.get(RecordingsService), asked };
}

async function codeOf(work: Promise<unknown>): Promise<ErrorCode | 'ok'> {
  try {
    await work;
    return 'ok';
  } catch (err) {
    if (err instanceof DomainError) return err.code;
    throw err;
  }
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

describe('RecordingsService', () => {
  it('streams the stored recording to the agent on the leg, with its length', async () => {
    const { service, asked } = await aService();
    const audio = await service.audio(aViewer(), LEG_ID);
    expect(audio).toMatchObject({ contentType: 'audio/wav', length: WAV.length });
    expect(await readAll(audio.stream)).toEqual(WAV);
    expect(asked).toEqual(['ringall-p1-1732233445566']);
  });

  it('leaves the length out when Asterisk does not say it', async () => {
    const { service } = await aService({ file: async () => aWavResponse({}) });
    const audio = await service.audio(aViewer({ role: 'manager', id: 'm-1' }), LEG_ID);
    expect(audio.length).toBeUndefined();
    expect(await readAll(audio.stream)).toEqual(WAV);
  });

  it.each([
    ['another agent', aViewer({ id: 'agent-2' }), [aLeg()]],
    ['another org', aViewer({ role: 'admin', orgId: 'org-2' }), [aLeg()]],
    ['an unknown leg', aViewer({ role: 'admin' }), []],
    ['a leg without a recording', aViewer(), [aLeg({ recording: null })]],
    ['a stored name Leadline would not create', aViewer(), [aLeg({ recording: '../../etc/passwd' })]],
    ['a dot-only stored name', aViewer(), [aLeg({ recording: '..' })]],
  ])('answers RecordingNotFound for %s, without asking Asterisk', async (_name, viewer, legs) => {
    const { service, asked } = await aService({ legs, connected: false });
    expect(await codeOf(service.audio(viewer, LEG_ID))).toBe(ErrorCode.RecordingNotFound);
    expect(asked).toEqual([]);
  });

  it.each([
    ['the link is down', { connected: false }, ErrorCode.TelephonyUnavailable],
    ['Asterisk cannot be reached', { file: async () => Promise.reject(new TypeError('fetch failed')) }, ErrorCode.TelephonyUnavailable],
    ['Asterisk fails', { file: async () => Promise.reject(new AriHttpError(500, 'GET', '/recordings/stored/x/file', 'Internal Server Error')) }, ErrorCode.TelephonyUnavailable],
    ['Asterisk no longer has it', { file: async () => Promise.reject(new AriHttpError(404, 'GET', '/recordings/stored/x/file', 'Not Found')) }, ErrorCode.RecordingNotFound],
  ])('when %s: %s', async (_name, opts, code) => {
    const { service } = await aService(opts);
    expect(await codeOf(service.audio(aViewer({ role: 'admin' }), LEG_ID))).toBe(code);
  });

  describe('through a signed link (webhooks)', () => {
    it('streams the recording of the leg the link names, to anyone holding the link', async () => {
      const { service, asked } = await aService();
      const { expires, signature } = linkParams(LINKS.link(LEG_ID, new Date()));
      expect(LINKS.link(LEG_ID, new Date()).url).toMatch(new RegExp(`^https://leads\\.example\\.com/api/recording-links/${LEG_ID}\\?expires=\\d+&signature=[0-9a-f]{64}$`));
      const audio = await service.audioByLink(LEG_ID, expires, signature);
      expect(await readAll(audio.stream)).toEqual(WAV);
      expect(asked).toEqual(['ringall-p1-1732233445566']);
    });

    it.each([
      ['an expired link', () => linkParams(LINKS.link(LEG_ID, new Date(Date.now() - 3601_000)))],
      ["another leg's link", () => linkParams(LINKS.link('6f1c1a52-3c0e-4a8e-9a51-2f3f0b0f7c12', new Date()))],
      ['a link with a later expiry written in', () => ({ ...linkParams(LINKS.link(LEG_ID, new Date())), expires: String(Math.floor(Date.now() / 1000) + 86_400) })],
      ['no signature', () => ({ ...linkParams(LINKS.link(LEG_ID, new Date())), signature: undefined })],
    ])('refuses %s (RECORDING_LINK_INVALID) without asking Asterisk', async (_name, params) => {
      const { service, asked } = await aService();
      const { expires, signature } = params();
      expect(await codeOf(service.audioByLink(LEG_ID, expires, signature))).toBe(ErrorCode.RecordingLinkInvalid);
      expect(asked).toEqual([]);
    });

    it('answers RecordingNotFound for a good link to a leg without a recording', async () => {
      const { service } = await aService({ legs: [aLeg({ recording: null })] });
      const { expires, signature } = linkParams(LINKS.link(LEG_ID, new Date()));
      expect(await codeOf(service.audioByLink(LEG_ID, expires, signature))).toBe(ErrorCode.RecordingNotFound);
    });
  });
});
