import { EntityManager } from '@mikro-orm/knex';
import { Injectable } from '@nestjs/common';
import type { LeadOfferSummary } from '@leadline/contracts';
import { LeadOffer } from '../../database/entities';

export interface OfferRow {
  prospectId: string;
  orgId: string;
  summary: LeadOfferSummary;
  eligible: string[];
  expiresAt: Date;
  closedAt: Date | null;
}

const toRow = (o: LeadOffer): OfferRow => ({ prospectId: o.prospectId, orgId: o.orgId, summary: o.summary, eligible: o.eligible, expiresAt: o.expiresAt, closedAt: o.closedAt ?? null });

/** Distribute All offers, shared by every server instance through the database. */
@Injectable()
export class LeadOfferRepository {
  constructor(private readonly em: EntityManager) {}

  async create(offer: Omit<OfferRow, 'closedAt'>): Promise<void> {
    const em = this.em.fork();
    em.create(LeadOffer, { ...offer, createdAt: new Date(), closedAt: null });
    await em.flush();
  }

  async get(prospectId: string): Promise<OfferRow | null> {
    const row = await this.em.fork().findOne(LeadOffer, { prospectId });
    return row && toRow(row);
  }

  /** The org's offers still open at `now` (for an agent who connects). */
  async openIn(orgId: string, now: Date): Promise<OfferRow[]> {
    const rows = await this.em.fork().find(LeadOffer, { orgId, closedAt: null, expiresAt: { $gt: now } }, { orderBy: { createdAt: 'asc' } });
    return rows.map(toRow);
  }

  /** Open offers whose time is up at `now` (any instance may expire them). */
  async due(now: Date): Promise<string[]> {
    const rows = await this.em.fork().find(LeadOffer, { closedAt: null, expiresAt: { $lte: now } }, { fields: ['prospectId'], orderBy: { expiresAt: 'asc' }, limit: 500 });
    return rows.map((r) => r.prospectId);
  }

  /** Every prospect with an open offer (they are not interrupted by a restart). */
  async openProspectIds(): Promise<Set<string>> {
    const rows = await this.em.fork().find(LeadOffer, { closedAt: null }, { fields: ['prospectId'] });
    return new Set(rows.map((r) => r.prospectId));
  }

  /** Forgets offers closed before `before` (they served only late claims and reconnects). */
  async prune(before: Date): Promise<number> {
    return this.em.fork().nativeDelete(LeadOffer, { closedAt: { $lt: before } });
  }

  /** open → closed, guarded: true for exactly one caller across every instance. */
  async close(prospectId: string, at: Date): Promise<boolean> {
    return (await this.em.fork().nativeUpdate(LeadOffer, { prospectId, closedAt: null }, { closedAt: at })) === 1;
  }
}
