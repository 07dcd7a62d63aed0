import { Entity, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { newId } from './base';
import { Org } from './org.entity';

/**
 * A recording-disclosure prompt an admin uploaded, already converted to 8 kHz mono 16-bit WAV.
 * Kept in the database (backed up with it); Asterisk fetches it over HTTP by its hash
 * (docs/compliance.md: how a prompt reaches Asterisk).
 */
@Entity({ tableName: 'disclosure_prompt' })
export class DisclosurePrompt {
  @PrimaryKey({ type: 'string' })
  id: string = newId();

  @Index()
  @ManyToOne(() => Org)
  org!: Org;

  /** SHA-256 of `wav`, hex: the name Asterisk asks for (new content, new name: its cache never serves an old prompt). */
  @Property({ type: 'string', unique: true })
  sha256!: string;

  @Property({ type: 'blob', lazy: true })
  wav!: Buffer;

  @Property({ type: 'integer' })
  durationMs!: number;

  @Property({ type: 'string', nullable: true })
  originalName?: string | null;

  @Property({ type: 'string', nullable: true })
  uploadedById?: string | null;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}
