import { QueryOrder, raw } from '@mikro-orm/core';
import { EntityManager, QueryBuilder } from '@mikro-orm/knex';
import { Injectable } from '@nestjs/common';
import type { ProspectStatus } from '@leadline/domain';
import { Prospect } from '../database/entities';
import { LIKE_ESCAPE, likeContains } from '../common/like-pattern.util';
import { LeadFilter, LeadSortKey, SortOrder } from './lead-filter.util';

/** Which prospects a list holds, before the column filters. */
export interface LeadListScope {
  statuses: ProspectStatus[];
  includeIgnored: boolean;
  /** Ignored rows after all the others, whatever the sort (the Lead Exception list's Show ignored). */
  ignoredLast: boolean;
}

export interface LeadListSort {
  key: LeadSortKey;
  order: SortOrder;
}

// SQL expressions per sort key over the aliases p (prospect) and c (campaign). Text sorts ignore
// case so "acme" does not sort after "Zeta".
const SORT_EXPRESSIONS: Record<LeadSortKey, string[]> = {
  name: ['lower(p.first_name)', 'lower(p.last_name)'],
  campaign: ['lower(c.name)'],
  description: ['lower(c.description)'],
  distribution: ['c.distribution_type'],
  leadProvider: ['lower(p.lead_provider)'],
  loanPurpose: ['p.loan_purpose'],
  loanAmount: ['p.loan_amount'],
  state: ['p.property_state'],
  failureReason: ['p.failure_reason'],
  createDate: ['p.created_at'],
};

const NAME_SQL = "coalesce(p.first_name, '') || ' ' || coalesce(p.last_name, '')";

/**
 * The column filters as query conditions. Every value is a bound parameter; text filters use LIKE
 * with the wildcards in the term escaped (SQLite's LIKE has no default escape character, hence
 * the explicit ESCAPE, which MikroORM's $like cannot add).
 */
function applyFilter(qb: QueryBuilder<Prospect, 'p'>, f: LeadFilter): void {
  if (f.name !== undefined) qb.andWhere(`lower(${NAME_SQL}) like lower(?) escape ?`, [likeContains(f.name), LIKE_ESCAPE]);
  if (f.description !== undefined) qb.andWhere(`lower(c.description) like lower(?) escape ?`, [likeContains(f.description), LIKE_ESCAPE]);
  if (f.campaignIds) qb.andWhere({ campaign: { $in: f.campaignIds } });
  if (f.distributions) qb.andWhere({ campaign: { distributionType: { $in: f.distributions } } });
  if (f.leadProviders) qb.andWhere({ leadProvider: { $in: f.leadProviders } });
  if (f.loanPurposes) qb.andWhere({ loanPurpose: { $in: f.loanPurposes } });
  if (f.states) qb.andWhere({ propertyState: { $in: f.states } });
  if (f.failureReasons) qb.andWhere({ failureReason: { $in: f.failureReasons } });
  if (f.loanAmountMin !== undefined) qb.andWhere({ loanAmount: { $gte: f.loanAmountMin } });
  if (f.loanAmountMax !== undefined) qb.andWhere({ loanAmount: { $lte: f.loanAmountMax } });
  if (f.createdFrom) qb.andWhere({ createdAt: { $gte: f.createdFrom } });
  if (f.createdTo) qb.andWhere({ createdAt: { $lte: f.createdTo } });
}

/** Reads for the Lead Exception and Unassigned Leads lists, and the Ignore flag. */
@Injectable()
export class LeadListRepository {
  constructor(private readonly em: EntityManager) {}

  async list(orgId: string, scope: LeadListScope, filter: LeadFilter, sort: LeadListSort, page: number, pageSize: number): Promise<[Prospect[], number]> {
    const qb = this.em
      .createQueryBuilder(Prospect, 'p')
      .joinAndSelect('p.campaign', 'c')
      .where({ org: orgId, status: { $in: scope.statuses } });
    if (!scope.includeIgnored) qb.andWhere({ ignored: false });
    applyFilter(qb, filter);
    // Empty values go last in both directions; the id keeps equal rows in a stable order across pages.
    const direction = sort.order === 'asc' ? QueryOrder.ASC_NULLS_LAST : QueryOrder.DESC_NULLS_LAST;
    qb.orderBy([
      ...(scope.ignoredLast ? [{ ignored: QueryOrder.ASC }] : []),
      ...SORT_EXPRESSIONS[sort.key].map((sql) => ({ [raw(sql)]: direction })),
      { createdAt: QueryOrder.DESC },
      { id: QueryOrder.ASC },
    ]);
    qb.limit(pageSize).offset((page - 1) * pageSize);
    return qb.getResultAndCount();
  }

  get(orgId: string, id: string): Promise<Prospect | null> {
    return this.em.findOne(Prospect, { id, org: orgId }, { populate: ['campaign'], refresh: true });
  }

  /**
   * Sets or clears the Ignore flag of a lead exception. False when nothing changed: the prospect is
   * missing, not an exception, or already in that state (the caller reads it to tell which).
   */
  async setIgnored(orgId: string, id: string, ignored: boolean, now: Date): Promise<boolean> {
    const changed = await this.em.nativeUpdate(Prospect, { id, org: orgId, status: 'exception', ignored: !ignored }, { ignored, ignoredAt: ignored ? now : null, updatedAt: now });
    return changed === 1;
  }
}
