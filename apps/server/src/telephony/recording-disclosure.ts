import { Injectable, Logger } from '@nestjs/common';
import { chooseRecordingRule, RecordingDecision } from '@leadline/domain';
import { randomUUID } from 'node:crypto';
import { recordingPolicyOf } from '../org/org.service';
import { AriLink } from './ari/ari-link';
import { RecordingPolicyRepository } from './recording-policy.repository';

/** The committed default prompt (asterisk-config/sounds/disclosure.wav, scripts/gen-prompts.sh). */
export const DEFAULT_DISCLOSURE_MEDIA = 'sound:leadline/disclosure';
// A prompt that never reports its end (a lost event) must not hold the call forever.
const DISCLOSURE_MAX_MS = 60_000;

/**
 * The recording disclosure of a borrower call (docs/compliance.md): which rule applies to the
 * borrower, and playing the prompt to them before they are bridged. Connected calls ask it once,
 * before the bridge; the recording starts only after the prompt has ended.
 */
@Injectable()
export class RecordingDisclosure {
  private readonly logger = new Logger(RecordingDisclosure.name);
  private readonly playing = new Map<string, (state: string) => void>();

  constructor(
    private readonly ari: AriLink,
    private readonly policies: RecordingPolicyRepository,
  ) {
    // Playbacks of the disclosure are ours whoever owns the channel meanwhile (the call that set it up).
    ari.on('PlaybackFinished', (e) => this.playing.get(e.playback.id)?.(e.playback.state));
  }

  /** The rule for a borrower: the lead's property state, else the number's area code; the org's choice for that state. */
  async decide(orgId: string, prospectId: string | null, borrowerPhone: string | null): Promise<RecordingDecision> {
    const [choices, propertyState] = await Promise.all([this.policies.orgChoices(orgId), prospectId ? this.policies.propertyState(prospectId) : null]);
    return chooseRecordingRule({ propertyState, borrowerPhone, policy: recordingPolicyOf(choices) });
  }

  /**
   * Carries the decision out on the outside parties' channels: the disclosure played to each when
   * the rule asks for it. The decision as applied: `not_recorded` when the prompt could not be
   * played (no recording without the disclosure the rule asks for). Never rejects.
   */
  async apply(decision: RecordingDecision, channelIds: string[]): Promise<RecordingDecision> {
    if (decision.rule !== 'disclosed') return decision;
    const played = await Promise.all(channelIds.map((id) => this.play(id)));
    return played.every(Boolean) ? decision : { ...decision, rule: 'not_recorded' };
  }

  /**
   * Plays the disclosure to a channel (answered, or not yet: Asterisk then sends it as early media) and resolves once it has ended (finished, the
   * channel gone, or after a minute). False when it could not be played — Asterisk refused it or
   * could not open the sound — (never rejects).
   */
  async play(channelId: string): Promise<boolean> {
    const playbackId = randomUUID();
    let done!: (state: string) => void;
    const ended = new Promise<string>((resolve) => (done = resolve));
    const timer = setTimeout(() => done('timeout'), DISCLOSURE_MAX_MS);
    // Subscribe before the playback exists: a short prompt can end before the POST answers.
    this.playing.set(playbackId, done);
    try {
      await this.ari.channels.play(channelId, playbackId, DEFAULT_DISCLOSURE_MEDIA);
      // `failed`: Asterisk could not open the sound.
      if ((await ended) !== 'failed') return true;
      this.logger.warn(`disclosure to ${channelId} could not play: Asterisk could not open ${DEFAULT_DISCLOSURE_MEDIA}`);
      return false;
    } catch (err) {
      this.logger.warn(`disclosure to ${channelId} could not play: ${err instanceof Error ? err.message : String(err)}`);
      return false;
    } finally {
      clearTimeout(timer);
      this.playing.delete(playbackId);
    }
  }
}
