import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { InjectThrottlerOptions, InjectThrottlerStorage, ThrottlerGuard, ThrottlerModuleOptions, ThrottlerStorage } from '@nestjs/throttler';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

interface Window {
  /** Expiry times of the hits, oldest first; the live ones start at `head`. */
  hits: number[];
  head: number;
  expiresAt: number;
  isBlocked: boolean;
  blockExpiresAt: number;
}

/**
 * The in-memory throttler storage's rules (@nestjs/throttler 6: a sliding log of hits per key;
 * past the limit the key is blocked for blockDuration, then starts afresh), at O(1) per hit. The
 * library's storage filters the whole log on every hit, so at a high limit (thousands of posts a
 * minute) the rate limiter itself became the most expensive part of a post.
 */
export class SlidingLogStorage implements ThrottlerStorage {
  private readonly windows = new Map<string, Window>();
  private nextSweep = 0;

  constructor(private readonly sweepEveryMs = 60_000) {}

  increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    const now = Date.now();
    if (now >= this.nextSweep) this.sweep(now);
    const id = `${throttlerName}\u0000${key}`;
    let w = this.windows.get(id);
    if (!w) {
      w = { hits: [], head: 0, expiresAt: now + ttl, isBlocked: false, blockExpiresAt: 0 };
      this.windows.set(id, w);
    }
    prune(w, now);
    if (w.expiresAt <= now) w.expiresAt = now + ttl;
    const timeToExpire = Math.ceil((w.expiresAt - now) / 1000);

    if (blockDuration <= 0) {
      const isBlocked = live(w) >= limit;
      if (!isBlocked) w.hits.push(now + ttl);
      const timeToBlockExpire = live(w) ? Math.ceil((w.hits[w.head] - now) / 1000) : timeToExpire;
      return Promise.resolve({ totalHits: live(w) + (isBlocked ? 1 : 0), timeToExpire, isBlocked, timeToBlockExpire: isBlocked ? timeToBlockExpire : 0 });
    }

    if (!w.isBlocked) w.hits.push(now + ttl);
    if (live(w) > limit && !w.isBlocked) {
      w.isBlocked = true;
      w.blockExpiresAt = now + blockDuration;
    }
    const timeToBlockExpire = Math.ceil((w.blockExpiresAt - now) / 1000);
    if (timeToBlockExpire <= 0 && w.isBlocked) {
      // The block is over: start afresh with this hit.
      w.isBlocked = false;
      w.hits = [now + ttl];
      w.head = 0;
    }
    return Promise.resolve({ totalHits: live(w), timeToExpire, isBlocked: w.isBlocked, timeToBlockExpire });
  }

  /** Keys tracked (for tests). */
  get size(): number {
    return this.windows.size;
  }

  /** Forgets keys with no live hit and no running block (posts to made-up campaign ids included). */
  private sweep(now: number): void {
    this.nextSweep = now + this.sweepEveryMs;
    for (const [id, w] of this.windows) {
      prune(w, now);
      if (!live(w) && !(w.isBlocked && w.blockExpiresAt > now)) this.windows.delete(id);
    }
  }
}

function live(w: Window): number {
  return w.hits.length - w.head;
}

function prune(w: Window, now: number): void {
  while (w.head < w.hits.length && w.hits[w.head] <= now) w.head++;
  if (w.head === w.hits.length) {
    w.hits = [];
    w.head = 0;
  } else if (w.head > 1024 && w.head * 2 > w.hits.length) {
    w.hits = w.hits.slice(w.head);
    w.head = 0;
  }
}

/** Rate limits Action Posts per campaign (the key's owner), not per vendor IP. */
@Injectable()
export class CampaignThrottlerGuard extends ThrottlerGuard {
  // Same parameters as ThrottlerGuard (whose injection metadata this class inherits); the shared
  // storage is not used: Action Post's hits live in a storage of this guard's own.
  constructor(@InjectThrottlerOptions() options: ThrottlerModuleOptions, @InjectThrottlerStorage() _shared: ThrottlerStorage, reflector: Reflector) {
    super(options, new SlidingLogStorage(), reflector);
  }

  protected override getTracker(req: Record<string, unknown>): Promise<string> {
    const params = req.params as Record<string, string> | undefined;
    return Promise.resolve(`action-post:${params?.campaignId ?? 'unknown'}`);
  }

  /** The tracker is already ours and the storage private to this guard: no need to hash it. */
  protected override generateKey(_context: ExecutionContext, suffix: string, name: string): string {
    return `${name}:${suffix}`;
  }
}
