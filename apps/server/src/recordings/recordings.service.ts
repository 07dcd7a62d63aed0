import { Injectable, Logger } from '@nestjs/common';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { AuthUser } from '../auth/auth-user';
import { CallActivityRepository } from '../call-activity/call-activity.repository';
import { DomainError, ErrorCode } from '../common/domain-error';
import { AriHttpError } from '../telephony/ari/ari-http.client';
import { AriLink } from '../telephony/ari/ari-link';
import { isSafeRecordingName, mayHearRecording } from './recording-access.util';
import { RecordingLinks } from './recording-links';

export interface RecordingAudio {
  stream: Readable;
  contentType: 'audio/wav';
  /** Bytes, when Asterisk said. */
  length?: number;
}

// One answer for "no such leg", "not yours", "not recorded" and "gone from Asterisk", so the
// endpoint never tells a caller that a leg they may not hear exists.
const recordingNotFound = (id: string) => new DomainError(ErrorCode.RecordingNotFound, `No recording for call activity ${id}`);
const telephonyUnavailable = () => new DomainError(ErrorCode.TelephonyUnavailable, 'Telephony (Asterisk) is unavailable; try again shortly');

@Injectable()
export class RecordingsService {
  private readonly logger = new Logger(RecordingsService.name);

  constructor(
    private readonly activities: CallActivityRepository,
    private readonly ari: AriLink,
    private readonly links: RecordingLinks,
  ) {}

  /** The audio of a recorded call leg, streamed from Asterisk (never from a path we build). */
  async audio(me: AuthUser, callActivityId: string): Promise<RecordingAudio> {
    const leg = await this.activities.recordingOf(me.orgId, callActivityId);
    if (!leg?.recording || !mayHearRecording({ viewer: me, legUserId: leg.userId })) throw recordingNotFound(callActivityId);
    return this.stream({ id: leg.id, recording: leg.recording });
  }

  /** The same audio through a signed, expiring link (webhooks): the link is the permission. */
  async audioByLink(callActivityId: string, expires: unknown, signature: unknown): Promise<RecordingAudio> {
    const problem = this.links.problem(callActivityId, expires, signature, new Date());
    if (problem) throw new DomainError(ErrorCode.RecordingLinkInvalid, problem === 'expired' ? 'This recording link has expired' : 'This recording link is not valid');
    const leg = await this.activities.recordingOf(null, callActivityId);
    if (!leg?.recording) throw recordingNotFound(callActivityId);
    return this.stream({ id: leg.id, recording: leg.recording });
  }

  private async stream(leg: { id: string; recording: string }): Promise<RecordingAudio> {
    // The name comes from our own database, but it still goes into an ARI URL: check it anyway.
    if (!isSafeRecordingName(leg.recording)) {
      this.logger.warn(`call activity ${leg.id} has a recording name Leadline would not create; not asking Asterisk for it`);
      throw recordingNotFound(leg.id);
    }
    // While the link is down (it pings, so a silent Asterisk counts), answer at once.
    if (!this.ari.status.connected) throw telephonyUnavailable();
    let response: Response;
    try {
      response = await this.ari.recordings.file(leg.recording);
    } catch (err) {
      if (err instanceof AriHttpError && err.isNotFound) throw recordingNotFound(leg.id);
      this.logger.warn(`could not fetch recording of call activity ${leg.id}: ${err instanceof Error ? err.message : String(err)}`);
      throw telephonyUnavailable();
    }
    if (!response.body) throw recordingNotFound(leg.id);
    const declared = response.headers.get('content-length');
    const length = declared !== null && /^\d+$/.test(declared) ? Number(declared) : undefined;
    // fetch's body is a web stream; the DOM and node:stream/web typings of it differ only in name.
    const stream = Readable.fromWeb(response.body as unknown as NodeReadableStream<Uint8Array>);
    return { stream, contentType: 'audio/wav', ...(length !== undefined ? { length } : {}) };
  }
}
