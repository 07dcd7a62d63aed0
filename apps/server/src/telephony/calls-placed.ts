/**
 * Waits for Asterisk to place the calls of a group of originated channels: each channel's
 * `dialing` event (StasisRouter: its Dial event; the phone's INVITE has normally left by then), or
 * word that it will not ring (its originate failed, or it ended). A call's bookkeeping (rows,
 * presence, popups) waits for this, so that it does not compete with Asterisk for the INVITEs.
 */
export class CallsPlaced {
  private readonly waiting: Set<string>;
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
}
