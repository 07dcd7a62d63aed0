import { waitAtMost } from '../common/wait-at-most';

/**
 * How long a call's bookkeeping waits for its calls to be placed (CallsPlaced.settled), at most,
 * after the originates were sent. With 20 rounds at once Asterisk takes longer than this to place
 * 200 legs, and the rows go first (docs/benchmarks.md, "the round's writes after its INVITEs").
 */
export const CALLS_PLACED_WAIT_MAX_MS = 50;

/**
 * Waits for Asterisk to place the calls of a group of originated channels: each channel's
 * `dialing` event (StasisRouter: its Dial event; the phone's INVITE has normally left by then), or
 * word that it will not ring (its originate failed, or it ended). A call's bookkeeping (rows,
 * presence, popups) waits for this, so that it does not compete with Asterisk for the INVITEs.
 */
export class CallsPlaced {
  private readonly waiting: Set<string>;
  private readonly originates: Promise<unknown>[] = [];
  private markAll!: () => void;
  /** Resolves once every channel is placed or will not ring. */
  readonly all = new Promise<void>((resolve) => (this.markAll = resolve));

  constructor(channelIds: Iterable<string>) {
    this.waiting = new Set(channelIds);
    if (!this.waiting.size) this.markAll();
  }

  /** The channel's call is placed, or it will not ring; channels not in the group are ignored. */
  settle(channelId: string): void {
    if (this.waiting.delete(channelId) && !this.waiting.size) this.markAll();
  }

  /**
   * Follows the channel's originate request: if Asterisk refuses it, the channel will not ring.
   * Returns the request, for the caller's own handling of the failure.
   */
  originated<T>(channelId: string, request: Promise<T>): Promise<T> {
    this.originates.push(request);
    request.catch(() => this.settle(channelId));
    return request;
  }

  /**
   * Resolves once Asterisk has answered every followed originate and every channel is placed or
   * will not ring, or CALLS_PLACED_WAIT_MAX_MS after this call, whichever comes first.
   */
  settled(): Promise<void> {
    return waitAtMost(Promise.all([Promise.allSettled(this.originates), this.all]), CALLS_PLACED_WAIT_MAX_MS);
  }
}
