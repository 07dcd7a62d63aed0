import { QueryOrder } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/knex';
import { Injectable } from '@nestjs/common';
import { INBOUND_MISSED_RESULTS } from '@leadline/domain';
import { Application, CallActivity, Org, ProspectPhone, User } from '../database/entities';
import { sqlDialectOf } from '../database/portable-schema';

export interface MatchedLead {
  prospectId: string;
  applicationId: string | null;
  name: string;
  state: string | null;
  loanPurpose: string | null;
  loanAmount: number | null;
  campaign: string;
}

/** What inbound routing reads. It runs outside HTTP requests: each call forks. */
@Injectable()
export class InboundRepository {
  constructor(private readonly em: EntityManager) {}

  /** Leadline serves one org per installation. */
  async orgId(): Promise<string | null> {
    const [org] = await this.em.fork().find(Org, {}, { orderBy: { createdAt: 'asc' }, fields: ['id'], limit: 1 });
    return org?.id ?? null;
  }

  /** The caller's most recent application, else most recent prospect, by normalised phone. */
  async matchLead(orgId: string, phone: string): Promise<MatchedLead | null> {
    const em = this.em.fork();
    const rows = await em.find(ProspectPhone, { phone, prospect: { org: orgId } }, { populate: ['prospect', 'prospect.campaign'] });
    if (!rows.length) return null;
    const prospects = [...new Map(rows.map((r) => [r.prospect.id, r.prospect])).values()];
    const applications = await em.find(Application, { prospect: { $in: prospects.map((p) => p.id) } }, { orderBy: { createdAt: 'desc' } });
    const chosenApp = applications[0];
    const prospect = chosenApp ? prospects.find((p) => p.id === chosenApp.prospect.id)! : prospects.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0];
    return {
      prospectId: prospect.id,
      applicationId: chosenApp?.id ?? null,
      name: [prospect.firstName, prospect.lastName].filter(Boolean).join(' '),
      state: prospect.propertyState ?? null,
      loanPurpose: prospect.loanPurpose ?? null,
      loanAmount: prospect.loanAmount ?? null,
      campaign: prospect.campaign.name,
    };
  }

  /**
   * The agents an inbound call may ring: available (logged in, calls on, not on a call), with a
   * work phone, licensed for `state` when given; longest idle first, at most `limit`. Filtering
   * and ordering happen in SQL: with thousands of agents logged in, loading them all costs tens
   * of milliseconds per call.
   */
  available(orgId: string, state: string | null, limit: number): Promise<User[]> {
    const qb = this.em
      .fork()
      .createQueryBuilder(User, 'u')
      .where({ org: orgId, loggedIn: true, callsOn: true, onCallSince: null, workPhoneType: { $ne: null } })
      .andWhere({ $or: [{ sipUsername: { $ne: null } }, { workPhone: { $ne: null } }] });
    if (state) {
      // The licences are a JSON array of state codes: json_each on SQLite, jsonb containment on PostgreSQL.
      if (sqlDialectOf(this.em.getKnex()) === 'sqlite') qb.andWhere('exists (select 1 from json_each(u.state_licences) where json_each.value = ?)', [state]);
      else qb.andWhere('u.state_licences @> ?::jsonb', [JSON.stringify([state])]);
    }
    return qb.orderBy({ lastCallEndedAt: QueryOrder.ASC_NULLS_FIRST, id: QueryOrder.ASC }).limit(limit).getResult();
  }

  async missedCalls(orgId: string, page: number, pageSize: number): Promise<[CallActivity[], number]> {
    return this.em.findAndCount(
      CallActivity,
      { org: orgId, purpose: 'inbound', result: { $in: [...INBOUND_MISSED_RESULTS] } },
      { orderBy: { startedAt: 'desc', id: 'desc' }, limit: pageSize, offset: (page - 1) * pageSize },
    );
  }
}
