// Leads and call legs with chosen timestamps, written straight into the test server's database
// through its own ORM (the same entities the server writes), for the reports' known-answer tests.
import { EntityManager } from '@mikro-orm/knex';
import { Application, CallActivity, Campaign, Org, Prospect, User } from '../../apps/server/src/database/entities';
import type { TestServer } from '../harness/server';

export interface SeedLead {
  campaignId: string;
  createdAt: string;
  leadProvider?: string | null;
  status?: 'new' | 'distributing' | 'assigned' | 'exception';
  failureReason?: string | null;
  via?: 'ring_all' | 'distribute_all' | 'manual' | 'default_agent';
  agentId?: string;
  /** Milliseconds after createdAt. */
  ringMs?: number;
  takenMs?: number;
  answeredMs?: number;
}

export interface SeedLeg {
  purpose: string;
  startedAt: string;
  userId?: string | null;
  prospectId?: string | null;
  direction?: 'outbound' | 'inbound';
  result: string;
  /** Milliseconds after startedAt. */
  answeredMs?: number;
  talkSeconds?: number;
  fromNumber?: string;
  toNumber?: string;
  callerIdReason?: string;
}

let seq = 0;

export async function seedLeads(server: TestServer, orgId: string, leads: SeedLead[]): Promise<string[]> {
  const em = server.app.get(EntityManager).fork();
  const ids: string[] = [];
  for (const l of leads) {
    const at = new Date(l.createdAt);
    const plus = (ms?: number) => (ms === undefined ? null : new Date(at.getTime() + ms));
    const p = em.create(Prospect, {
      org: em.getReference(Org, orgId),
      campaign: em.getReference(Campaign, l.campaignId),
      firstName: 'Seed',
      lastName: `Lead ${++seq}`,
      mobilePhone: `+1737555${String(seq % 10_000).padStart(4, '0')}`,
      leadProvider: l.leadProvider ?? null,
      status: l.status ?? 'new',
      ignored: false,
      extra: {},
      failureReason: l.failureReason ?? null,
      firstRingAt: plus(l.ringMs),
      takenAt: l.via === 'ring_all' ? plus(l.takenMs) : null,
      borrowerAnsweredAt: plus(l.answeredMs),
      createdAt: at,
      // Written now (the reports notice rows by when they were written, not by their business time).
      updatedAt: new Date(),
    });
    if (l.via && l.agentId) em.create(Application, { prospect: p, primaryAgent: em.getReference(User, l.agentId), via: l.via, createdAt: plus(l.takenMs) ?? at });
    ids.push(p.id);
  }
  await em.flush();
  return ids;
}

export async function seedLegs(server: TestServer, orgId: string, legs: SeedLeg[]): Promise<void> {
  const em = server.app.get(EntityManager).fork();
  for (const l of legs) {
    const at = new Date(l.startedAt);
    em.create(CallActivity, {
      org: em.getReference(Org, orgId),
      prospect: l.prospectId ? em.getReference(Prospect, l.prospectId) : null,
      direction: l.direction ?? 'outbound',
      purpose: l.purpose,
      user: l.userId ? em.getReference(User, l.userId) : null,
      fromNumber: l.fromNumber ?? null,
      toNumber: l.toNumber ?? null,
      callerIdReason: l.callerIdReason ?? null,
      startedAt: at,
      answeredAt: l.answeredMs === undefined ? null : new Date(at.getTime() + l.answeredMs),
      endedAt: new Date(at.getTime() + 60_000),
      talkSeconds: l.talkSeconds ?? null,
      result: l.result,
      updatedAt: new Date(),
    });
  }
  await em.flush();
}
