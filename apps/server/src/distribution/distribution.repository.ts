import { EntityManager } from '@mikro-orm/knex';
import { Injectable } from '@nestjs/common';
import type { FailureReason } from '@leadline/domain';
import { AppConfig } from '../config/app-config';
import { Prospect } from '../database/entities';
import { PreparedSql, preparedSql, PreparedStatements } from '../database/prepared-sql';
import { callOwner, ownedIn, RecoveryScope } from '../telephony/call-owner';
import { WebhookOutboxRepository } from '../webhooks/webhook-outbox.repository';
import type { DistributionContext } from './distribution-start.sql';
import { beginSql, ContextRow, contextFromRows, contextSql, MemberRow, membersSql } from './distribution-start.sql';

export type { DistributionContext, DistributionMember } from './distribution-start.sql';

export type UnsettledStatus = 'new' | 'distributing';

/** What distribution reads and writes about leads. It runs outside HTTP requests: each call forks. */
@Injectable()
export class DistributionRepository {
  /** This instance, as stamped on the distributions, reservations and legs it runs. */
  readonly owner: string;
  /** The statements before a round's first ring (distribution-start.sql.ts). */
  private readonly start: PreparedSql;
  private readonly sql: { context: string; members: string; begin: string };

  constructor(
    private readonly em: EntityManager,
    config: AppConfig,
    private readonly outbox: WebhookOutboxRepository,
  ) {
    this.owner = callOwner(config.ari);
    this.start = preparedSql(em, 'distribution');
    const dialect = this.start.dialect;
    this.sql = { context: contextSql(dialect), members: membersSql(dialect), begin: beginSql(dialect) };
  }

  /** new → distributing, guarded: false when someone else started (or finished) it. */
  async begin(prospectId: string): Promise<boolean> {
    return (await this.start.run('begin', this.sql.begin, this.beginParams(prospectId))) === 1;
  }

  /**
   * `begin`, and `then` in the same commit once the lead has moved (a ring-all round reserves its
   * agents there: one commit, one fsync, before its first ring instead of two). Null when the lead
   * did not move; else what `then` returned. `then` runs on the transaction's own connection and
   * must use only `tx`.
   */
  async beginWith<T>(prospectId: string, then: (tx: PreparedStatements) => Promise<T>): Promise<T | null> {
    return this.start.transaction(async (tx) => ((await tx.run('begin', this.sql.begin, this.beginParams(prospectId))) === 1 ? then(tx) : null));
  }

  private beginParams(prospectId: string): unknown[] {
    const now = this.start.date(new Date());
    return [now, this.owner, now, prospectId];
  }

  /** The lead, its campaign, the campaign's group with its members, and the org. */
  async context(prospectId: string): Promise<DistributionContext | null> {
    const [row] = await this.start.all<ContextRow>('context', this.sql.context, [prospectId]);
    if (!row) return null;
    const members = row.group_id === null ? [] : await this.start.all<MemberRow>('members', this.sql.members, [row.group_id]);
    return contextFromRows(row, members);
  }

  /** distributing (or `from`) → exception, guarded; its lead.exception webhook event in the same transaction. */
  async fail(prospectId: string, reason: FailureReason, detail: string | null, from: UnsettledStatus[] = ['distributing']): Promise<boolean> {
    return this.em.fork().transactional(async (em) => {
      const at = new Date();
      const n = await em.nativeUpdate(Prospect, { id: prospectId, status: { $in: from } }, { status: 'exception', failureReason: reason, failureDetail: detail, updatedAt: at });
      if (n !== 1) return false;
      await this.outbox.leadException(em, { prospectId, reason, detail, at });
      return true;
    });
  }

  /** The campaign's default agent for a prospect, if it has one. */
  async defaultAgentOf(prospectId: string): Promise<{ orgId: string; agentId: string } | null> {
    const p = await this.em.fork().findOne(Prospect, { id: prospectId }, { populate: ['campaign'] });
    const agent = p?.campaign.defaultAgent;
    return p && agent ? { orgId: p.org.id, agentId: agent.id } : null;
  }

  /** Sets a speed-to-lead timestamp once. */
  async stamp(prospectId: string, field: 'firstRingAt' | 'borrowerAnsweredAt', at: Date): Promise<void> {
    await this.em.fork().nativeUpdate(Prospect, { id: prospectId, [field]: null }, { [field]: at });
  }

  // ---- recovery after a crash or restart ----

  /** Prospects left mid-distribution by a previous process (of the owners in scope). */
  async interrupted(scope: RecoveryScope): Promise<string[]> {
    const rows = await this.em.fork().find(Prospect, { status: 'distributing', ...ownedIn('distributionOwner', scope) }, { fields: ['id'] });
    return rows.map((r) => r.id);
  }

  /** Leads of distributing campaigns not settled yet (new or distributing), oldest first. */
  async unsettled(limit: number): Promise<{ id: string; status: UnsettledStatus; createdAt: Date; distributionStartedAt: Date | null; ringTimeoutSeconds: number }[]> {
    const rows = await this.em
      .fork()
      .find(Prospect, { status: { $in: ['new', 'distributing'] }, campaign: { distributionType: { $ne: 'none' } } }, { populate: ['campaign'], orderBy: { createdAt: 'asc' }, limit });
    return rows.map((p) => ({ id: p.id, status: p.status as UnsettledStatus, createdAt: p.createdAt, distributionStartedAt: p.distributionStartedAt ?? null, ringTimeoutSeconds: p.campaign.ringTimeoutSeconds }));
  }

  /**
   * Prospects of distributing campaigns accepted before `acceptedBefore` and never started (their
   * instance was stopping, died between commit and distribution, or its distribution threw first).
   */
  async awaitingDistribution(accepted: { before: Date; after?: Date }, limit?: number): Promise<string[]> {
    const createdAt = accepted.after ? { $lte: accepted.before, $gt: accepted.after } : { $lte: accepted.before };
    const rows = await this.em.fork().find(Prospect, { status: 'new', createdAt, campaign: { distributionType: { $ne: 'none' } } }, { fields: ['id'], orderBy: { createdAt: 'asc' }, limit });
    return rows.map((r) => r.id);
  }
}
