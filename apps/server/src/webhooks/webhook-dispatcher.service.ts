import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { nextWebhookAttempt } from '@leadline/domain';
import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { AppConfig } from '../config/app-config';
import { callOwner } from '../telephony/call-owner';
import { AttemptOutcome, ClaimedDelivery, WebhookDeliveryRepository } from './webhook-delivery.repository';
import { WebhookHttpClient } from './webhook-http.client';
import { WebhookOutboxRepository } from './webhook-outbox.repository';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, webhookSignatureHeader } from './webhook-signature.util';

/** How often every instance looks for events to fan out and deliveries that are due (a local write looks at once). */
export const WEBHOOK_POLL_MS = 500;
/**
 * A write or a finished delivery looks again after this pause: the looks of a burst collapse into
 * one, and never run in the middle of the call flow that wrote the event.
 */
const NUDGE_DELAY_MS = 100;
/** Deliveries one instance sends at once, over all subscriptions. */
const MAX_IN_FLIGHT = 64;
const FAN_OUT_BATCH = 500;
const PRUNE_EVERY_MS = 10 * 60_000;

/**
 * Sends webhook deliveries: at least once, in order per lead, each by exactly one instance at a
 * time (a lease taken by a guarded UPDATE), signed, with the subscription's timeout and
 * concurrency limit; failures are retried with exponential backoff and jitter until the retry
 * window closes, then dead-lettered. Nothing here holds a database transaction while waiting on
 * a receiver, and nothing the call flows do waits on it: a slow or dead receiver costs sockets
 * and timers, not distribution time (measured: docs/benchmarks.md).
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WebhookDispatcher.name);
  /** This instance (its call owner, unique among running instances) in this life of its process. */
  readonly owner: string;
  private readonly ownerPrefix: string;
  private readonly inFlight = new Map<string, { sending: Promise<void>; subscriptionId: string }>();
  /** Each subscription's concurrency limit, as last read: one this instance already fills is not asked for more. */
  private readonly limits = new Map<string, number>();
  private nudge?: NodeJS.Timeout;
  private readonly abort = new AbortController();
  private poll?: NodeJS.Timeout;
  private pruner?: NodeJS.Timeout;
  private ticking = false;
  private again = false;
  private stopped = false;

  constructor(
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly http: WebhookHttpClient,
    private readonly outbox: WebhookOutboxRepository,
    private readonly config: AppConfig,
  ) {
    this.ownerPrefix = `${callOwner(config.ari)}#`;
    this.owner = `${this.ownerPrefix}${randomBytes(4).toString('hex')}`;
    // Every request in flight listens to the one shutdown signal.
    setMaxListeners(MAX_IN_FLIGHT + 16, this.abort.signal);
  }

  async onApplicationBootstrap(): Promise<void> {
    const released = await this.deliveries.releasePreviousLives(this.ownerPrefix, this.owner);
    if (released) this.logger.warn(`${released} webhook deliveries were being sent when this instance stopped; sending them again`);
    this.outbox.onWritten(() => this.soon());
    this.poll = setInterval(() => this.kick(), WEBHOOK_POLL_MS);
    this.poll.unref();
    this.pruner = setInterval(() => void this.prune(), PRUNE_EVERY_MS);
    this.pruner.unref();
    this.kick();
  }

  /** Stops sending: requests in flight are aborted and their leases given back, so the next instance sends them at once. */
  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.poll);
    clearInterval(this.pruner);
    clearTimeout(this.nudge);
    const held = [...this.inFlight.keys()];
    this.abort.abort();
    await Promise.allSettled([...this.inFlight.values()].map((f) => f.sending));
    await this.deliveries.release(held, this.owner).catch((err: unknown) => this.logger.warn(`could not give back ${held.length} webhook lease(s): ${String(err)}`));
  }

  /** Looks for work shortly (one look for a burst of calls). */
  soon(): void {
    if (this.nudge || this.stopped) return;
    this.nudge = setTimeout(() => {
      this.nudge = undefined;
      this.kick();
    }, NUDGE_DELAY_MS);
  }

  /** Looks for work now (or right after the look in progress). */
  kick(): void {
    if (this.stopped) return;
    if (this.ticking) {
      this.again = true;
      return;
    }
    this.ticking = true;
    this.tick()
      .catch((err: unknown) => this.logger.error(`webhook dispatch failed: ${err instanceof Error ? err.stack : String(err)}`))
      .finally(() => {
        this.ticking = false;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  private async tick(): Promise<void> {
    while ((await this.deliveries.fanOut(FAN_OUT_BATCH)) === FAN_OUT_BATCH && !this.stopped);
    const room = MAX_IN_FLIGHT - this.inFlight.size;
    if (room <= 0 || this.stopped) return;
    const now = new Date();
    // Subscriptions at their concurrency limit (this instance's own sends, or found so by a claim)
    // are left out of the look, so one endpoint's backlog never hides the deliveries of the others.
    const full = new Set<string>();
    const mine = new Map<string, number>();
    for (const f of this.inFlight.values()) mine.set(f.subscriptionId, (mine.get(f.subscriptionId) ?? 0) + 1);
    for (const [subscriptionId, n] of mine) if (n >= (this.limits.get(subscriptionId) ?? Infinity)) full.add(subscriptionId);
    for (let look = 0; look < 4; look++) {
      const due = await this.deliveries.due(now, room * 2, [...full]);
      let skipped = false;
      for (const d of due) {
        if (this.stopped || this.inFlight.size >= MAX_IN_FLIGHT) return;
        if (this.inFlight.has(d.id)) continue;
        if (full.has(d.subscriptionId)) {
          skipped = true;
          continue;
        }
        const claim = await this.deliveries.claim(d.id, d.subscriptionId, this.owner, new Date());
        if (claim === 'at_limit') {
          full.add(d.subscriptionId);
          skipped = true;
        } else if (claim) {
          this.limits.set(claim.subscriptionId, claim.maxConcurrency);
          this.start(claim);
        }
      }
      if (!skipped) return;
    }
  }

  private start(claim: ClaimedDelivery): void {
    const sending = this.send(claim)
      .catch((err: unknown) => this.logger.error(`webhook delivery ${claim.id} failed: ${err instanceof Error ? err.stack : String(err)}`))
      .finally(() => {
        this.inFlight.delete(claim.id);
        this.soon();
      });
    this.inFlight.set(claim.id, { sending, subscriptionId: claim.subscriptionId });
  }

  private async send(claim: ClaimedDelivery): Promise<void> {
    const startedAt = new Date();
    const timestamp = Math.floor(startedAt.getTime() / 1000);
    const response = await this.http.post({
      url: claim.url,
      body: claim.body,
      timeoutMs: claim.timeoutMs,
      signal: this.abort.signal,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Leadline-Webhooks/1',
        'leadline-event-id': claim.eventId,
        'leadline-event-type': claim.eventType,
        'leadline-delivery-id': claim.id,
        'leadline-delivery-attempt': String(claim.attempts + 1),
        [TIMESTAMP_HEADER]: String(timestamp),
        [SIGNATURE_HEADER]: webhookSignatureHeader(claim.secrets, timestamp, claim.body),
      },
    });
    // Stopping: the lease is given back, the attempt not counted.
    if (this.stopped) return;
    const outcome: AttemptOutcome =
      response.error === null ? { kind: 'delivered' } : nextWebhookAttempt({ attempts: claim.attempts + 1, queuedAt: claim.queuedAt, now: new Date(), random: Math.random(), policy: this.config.webhooks.retry });
    const recorded = await this.deliveries.finish(claim, this.owner, { startedAt, statusCode: response.statusCode, error: response.error, latencyMs: response.latencyMs }, outcome);
    if (recorded === 'gone') return;
    if (recorded === 'lease_lost') this.logger.warn(`webhook delivery ${claim.id}: the lease ran out before attempt ${claim.attempts + 1} ended; another instance may send it again`);
    if (outcome.kind === 'dead') this.logger.warn(`webhook delivery ${claim.id} (event ${claim.eventId}) dead-lettered after ${claim.attempts + 1} attempts: ${response.error ?? ''}`);
  }

  private async prune(): Promise<void> {
    try {
      const before = new Date(Date.now() - this.config.webhooks.logRetentionDays * 86_400_000);
      const n = await this.deliveries.prune(before);
      if (n) this.logger.log(`pruned ${n} webhook event(s) older than ${before.toISOString()} from the delivery log`);
    } catch (err) {
      this.logger.warn(`webhook delivery log pruning failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
