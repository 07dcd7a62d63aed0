import { EntityManager } from '@mikro-orm/knex';
import { Injectable } from '@nestjs/common';
import { RedisLink } from '../realtime/redis-link';
import { AmiClient } from '../telephony/ami/ami-client';
import { AriLink } from '../telephony/ari/ari-link';
import type { HealthReport } from '@leadline/contracts';
export type { HealthReport };


@Injectable()
export class HealthService {
  constructor(
    private readonly em: EntityManager,
    private readonly ari: AriLink,
    private readonly redisLink: RedisLink,
    private readonly amiClient: AmiClient,
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
    const ari = {
      connected: link.connected,
      since: link.since.toISOString(),
      ...(link.asteriskVersion ? { asteriskVersion: link.asteriskVersion } : {}),
      ...(link.connected ? {} : { error: link.lastError }),
    };
    const r = this.redisLink.enabled ? this.redisLink.status : undefined;
    const redis = r && { connected: r.connected, since: r.since.toISOString(), ...(r.connected ? {} : { error: r.lastError }) };
    const a = this.amiClient.configured ? this.amiClient.status : undefined;
    const ami = a && { connected: a.connected, since: a.since.toISOString(), ...(a.connected ? {} : { error: a.lastError }) };
    // AMI is optional: without it the losers' cancels go over ARI, so it does not make the server degraded.
    return { status: db.ok && ari.connected && (redis?.connected ?? true) ? 'ok' : 'degraded', db, ari, ...(redis ? { redis } : {}), ...(ami ? { ami } : {}) };
  }
}
