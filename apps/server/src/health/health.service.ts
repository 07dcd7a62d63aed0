import { EntityManager } from '@mikro-orm/knex';
import { Injectable } from '@nestjs/common';
import { AriLink } from '../telephony/ari/ari-link';

export interface HealthReport {
  status: 'ok' | 'degraded';
  db: { ok: boolean; error?: string };
  ari: { connected: boolean; since: string; error?: string };
}

@Injectable()
export class HealthService {
  constructor(
    private readonly em: EntityManager,
    private readonly ari: AriLink,
  ) {}

  async check(): Promise<HealthReport> {
    let db: HealthReport['db'];
    try {
      await this.em.getConnection().execute('select 1');
      db = { ok: true };
    } catch (err) {
      db = { ok: false, error: err instanceof Error ? err.message : String(err) };
    }
    const link = this.ari.status;
    const ari = { connected: link.connected, since: link.since.toISOString(), ...(link.connected ? {} : { error: link.lastError }) };
    return { status: db.ok && ari.connected ? 'ok' : 'degraded', db, ari };
  }
}
