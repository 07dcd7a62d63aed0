import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * A voice prompt an admin uploaded (the recording disclosure), kept by the SHA-256 of its bytes:
 * Asterisk fetches it from the server by that name (docs/compliance.md), so every server
 * instance can serve it and a new upload is a new name (no stale cache).
 */
@Entity({ tableName: 'voice_prompt' })
export class VoicePrompt {
  /** Lower-case hex SHA-256 of `wav`. */
  @PrimaryKey({ type: 'string' })
  sha256!: string;

  /** The WAV file as uploaded: 8 kHz, mono, 16-bit PCM (checkPromptWav). */
  @Property({ type: 'blob', lazy: true })
  wav!: Buffer;

  @Property({ type: 'double' })
  seconds!: number;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}
