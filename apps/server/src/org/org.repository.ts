import { EntityManager } from '@mikro-orm/knex';
import { Injectable } from '@nestjs/common';
import { Org, VoicePrompt } from '../database/entities';

@Injectable()
export class OrgRepository {
  constructor(private readonly em: EntityManager) {}

  get(id: string): Promise<Org> {
    return this.em.findOneOrFail(Org, { id });
  }

  /** The org's IANA time zone: what a date typed without a zone means. */
  async timeZoneOf(id: string): Promise<string> {
    return (await this.em.findOneOrFail(Org, { id }, { fields: ['timeZone'] })).timeZone;
  }

  async save(org: Org): Promise<void> {
    await this.em.persistAndFlush(org);
  }

  /** Keeps an uploaded prompt (by its SHA-256: the same file twice is stored once) and makes it the org's disclosure. */
  async setDisclosurePrompt(org: Org, prompt: { sha256: string; wav: Buffer; seconds: number }, now: Date): Promise<void> {
    await this.em.transactional(async (em) => {
      if (!(await em.count(VoicePrompt, { sha256: prompt.sha256 }))) em.persist(em.create(VoicePrompt, { ...prompt, createdAt: now }));
      org.disclosurePrompt = prompt.sha256;
      org.disclosurePromptUploadedAt = now;
      em.persist(org);
    });
  }

  /** A stored prompt's length (null: none by that name). */
  async promptSeconds(sha256: string): Promise<number | null> {
    return (await this.em.findOne(VoicePrompt, { sha256 }, { fields: ['seconds'] }))?.seconds ?? null;
  }

  /** The WAV bytes of a prompt some org uses now (null: no such prompt, or nobody uses it any more). */
  async promptInUse(sha256: string): Promise<Buffer | null> {
    if (!(await this.em.count(Org, { disclosurePrompt: sha256 }))) return null;
    return (await this.em.findOne(VoicePrompt, { sha256 }, { populate: ['wav'] }))?.wav ?? null;
  }
}
