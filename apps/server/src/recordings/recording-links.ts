import { Global, Injectable, Module } from '@nestjs/common';
import type { WebhookRecordingLink } from '@leadline/contracts';
import { createHmac } from 'node:crypto';
import { AppConfig } from '../config/app-config';
import { RecordingLinkProblem, recordingLinkProblem, recordingLinkUrl } from './recording-link.util';

/**
 * Signed, expiring recording links (recording-link.util.ts) for this installation: under
 * PUBLIC_BASE_URL, valid for RECORDING_LINK_TTL_SECONDS. The key is derived from JWT_SECRET, which
 * every instance shares, so a link made by one instance plays on any of them; rotating
 * JWT_SECRET ends every link.
 */
@Injectable()
export class RecordingLinks {
  private readonly key: Buffer;

  constructor(private readonly config: AppConfig) {
    this.key = createHmac('sha256', config.auth.jwtSecret).update('leadline recording links v1').digest();
  }

  /** A link to a call leg's recording, valid from `from` for the configured time. */
  link(callActivityId: string, from: Date): WebhookRecordingLink {
    const expires = Math.floor(from.getTime() / 1000) + this.config.webhooks.recordingLinkTtlSeconds;
    return { url: recordingLinkUrl(this.config.actionPost.publicBaseUrl, callActivityId, expires, this.key), expiresAt: new Date(expires * 1000).toISOString() };
  }

  problem(callActivityId: string, expires: unknown, signature: unknown, now: Date): RecordingLinkProblem | null {
    return recordingLinkProblem({ key: this.key, callActivityId, expires, signature, now });
  }
}

@Global()
@Module({ providers: [RecordingLinks], exports: [RecordingLinks] })
export class RecordingLinksModule {}
