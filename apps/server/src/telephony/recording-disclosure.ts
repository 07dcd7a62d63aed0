import { Injectable, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { chooseRecordingRule, RecordingDecision } from '@leadline/domain';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '../config/app-config';
import { recordingPolicyOf } from '../org/org.service';
import { AriLink } from './ari/ari-link';
import { RecordingPolicyRepository } from './recording-policy.repository';

/** The committed default prompt (asterisk-config/sounds/disclosure.wav, scripts/gen-prompts.sh). */
export const DEFAULT_DISCLOSURE_MEDIA = 'sound:leadline/disclosure';
// A prompt that never reports its end (a lost event) must not hold the call forever.
const DISCLOSURE_MAX_MS = 60_000;

/** A borrower's recording rule, and the prompt to play them when it is `disclosed`. */
export interface RecordingPlan {
  decision: RecordingDecision;
  /** ARI media URIs to try in turn: the org's own prompt (fetched from us over HTTP), then the default. */
  media: string[];
}

/**
 * The recording disclosure of a borrower call (docs/compliance.md): which rule applies to the
 * borrower, and playing the prompt to them before they are bridged. Connected calls ask it once,
 * before the bridge (inbound calls while the agents ring); the recording starts only after the
 * prompt has ended.
 */
@Injectable()
export class RecordingDisclosure {
  private readonly logger = new Logger(RecordingDisclosure.name);
  private readonly playing = new Map<string, (state: string) => void>();

  constructor(
    private readonly ari: AriLink,
    private readonly policies: RecordingPolicyRepository,
    private readonly config: AppConfig,
    private readonly http: HttpAdapterHost,
  ) {
    // Playbacks of the disclosure are ours whoever owns the channel meanwhile (the call that set it up).
    ari.on('PlaybackFinished', (e) => this.playing.get(e.playback.id)?.(e.playback.state));
  }

  /** The rule for a borrower (the lead's property state, else the number's area code; the org's choice for that state) and the prompt. */
  async decide(orgId: string, prospectId: string | null, borrowerPhone: string | null): Promise<RecordingPlan> {
    const [org, propertyState] = await Promise.all([this.policies.orgChoices(orgId), prospectId ? this.policies.propertyState(prospectId) : null]);
    const decision = chooseRecordingRule({ propertyState, borrowerPhone, policy: recordingPolicyOf(org) });
    const own = org.disclosurePrompt ? [`sound:${this.promptBaseUrl()}/api/prompts/${org.disclosurePrompt}.wav`] : [];
    return { decision, media: [...own, DEFAULT_DISCLOSURE_MEDIA] };
  }

  /**
   * Carries the plan out on the outside parties' channels: the disclosure played to each when the
   * rule asks for it. The decision as applied: `not_recorded` when no prompt could be played (no
   * recording without the disclosure the rule asks for). Never rejects.
   */
  async apply(plan: RecordingPlan, channelIds: string[]): Promise<RecordingDecision> {
    if (plan.decision.rule !== 'disclosed') return plan.decision;
    const played = await Promise.all(channelIds.map((id) => this.play(id, plan.media)));
    return played.every(Boolean) ? plan.decision : { ...plan.decision, rule: 'not_recorded' };
  }

  /**
   * Plays the disclosure to a channel (answered, or not yet: Asterisk then sends it as early media)
   * and resolves once it has ended (finished, the channel gone, or after a minute): the first of
   * `media` that plays. False when none could be played (never rejects).
   */
  private async play(channelId: string, media: string[]): Promise<boolean> {
    for (const uri of media) {
      if (await this.playOne(channelId, uri)) return true;
      this.logger.warn(`disclosure ${uri} to ${channelId} could not play${uri === media[media.length - 1] ? '' : ': trying the next one'}`);
    }
    return false;
  }

  private async playOne(channelId: string, media: string): Promise<boolean> {
    const playbackId = randomUUID();
    let done!: (state: string) => void;
    const ended = new Promise<string>((resolve) => (done = resolve));
    const timer = setTimeout(() => done('timeout'), DISCLOSURE_MAX_MS);
    // Subscribe before the playback exists: a short prompt can end before the POST answers.
    this.playing.set(playbackId, done);
    try {
      await this.ari.channels.play(channelId, playbackId, media);
      // `failed`: Asterisk could not open the media (the sound file, or fetching the org's prompt).
      return (await ended) !== 'failed';
    } catch (err) {
      this.logger.debug(`disclosure ${media} to ${channelId}: ${err instanceof Error ? err.message : String(err)}`);
      return false;
    } finally {
      clearTimeout(timer);
      this.playing.delete(playbackId);
    }
  }

  /** PROMPT_BASE_URL, else this server's own listening address as seen from the same host. */
  private promptBaseUrl(): string {
    if (this.config.prompts.baseUrl) return this.config.prompts.baseUrl;
    const address = this.http.httpAdapter.getHttpServer().address() as AddressInfo | null;
    const port = address?.port ?? this.config.port;
    const host = ['0.0.0.0', '::', '127.0.0.1', '::1', 'localhost'].includes(this.config.host) ? '127.0.0.1' : this.config.host;
    return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  }
}
