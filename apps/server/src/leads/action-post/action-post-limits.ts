import { Injectable } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';
import { AppConfig } from '../../config/app-config';

const MINUTE = 60_000;

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

/**
 * Action Post's two budgets (docs/security.md): a post with the right key counts against its
 * campaign (ACTION_POST_RATE_LIMIT a minute); a post with a missing or wrong key, or for a
 * campaign that does not exist, counts against its source address (ACTION_POST_BAD_KEY_LIMIT a
 * minute). So nobody without the key can use up a campaign's budget and lock its vendor out.
 */
@Injectable()
export class ActionPostLimits {
  private readonly storage = new SlidingLogStorage();

  constructor(private readonly config: AppConfig) {}

  /** True when the campaign is over its budget (this post is then refused and not counted). */
  async campaignOverLimit(campaignId: string): Promise<boolean> {
    return (await this.storage.increment(`campaign:${campaignId}`, MINUTE, this.config.actionPost.ratePerMinute, 0, 'action-post')).isBlocked;
  }

  /** Counts one refused post from `address`; true when the address is over its budget. */
  async badPostOverLimit(address: string): Promise<boolean> {
    return (await this.storage.increment(`address:${address}`, MINUTE, this.config.actionPost.badKeyPerMinute, 0, 'action-post')).isBlocked;
  }
}
