import { EntityManager, FilterQuery } from '@mikro-orm/knex';
import { Injectable } from '@nestjs/common';
import { CallActivity, User } from '../database/entities';

/** How far back the voicemail key reaches, and how many messages it plays at most. */
export const VOICEMAIL_WINDOW_DAYS = 7;
export const VOICEMAIL_MAX_MESSAGES = 10;

/**
 * The voicemails a user hears from their desk phone (docs/desk-phones.md): managers and admins
 * every voicemail of the org; an agent those left by callers whose call rang them (a callback to
 * them, or an inbound call they did not answer). Newest first.
 */
@Injectable()
export class VoicemailRepository {
  constructor(private readonly em: EntityManager) {}

  async forUser(user: User, now: Date): Promise<CallActivity[]> {
    const since = new Date(now.getTime() - VOICEMAIL_WINDOW_DAYS * 86_400_000);
    const where: FilterQuery<CallActivity> = { org: user.org.id, purpose: 'inbound', result: 'voicemail', recording: { $ne: null }, startedAt: { $gte: since } };
    if (user.role === 'agent') {
      const rang = await this.em.find(CallActivity, { org: user.org.id, purpose: 'inbound_agent', user: user.id, startedAt: { $gte: since } }, { fields: ['call'] });
      const calls = [...new Set(rang.map((r) => r.call?.id).filter((id): id is string => !!id))];
      if (!calls.length) return [];
      where.call = { $in: calls };
    }
    return this.em.find(CallActivity, where, { orderBy: { startedAt: 'desc', id: 'desc' }, limit: VOICEMAIL_MAX_MESSAGES });
  }
}
