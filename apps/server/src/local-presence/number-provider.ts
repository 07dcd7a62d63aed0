// Where Local Dial Presence numbers come from. One interface, because real alternatives exist:
// the default sells from the carrier DID block the admin loaded (InventoryNumberProvider); a
// carrier with a number-ordering API (search by area code, order, disconnect) can replace it
// without touching the service, the controllers or the database of mappings.

/** Acquires and gives back org numbers by area code. */
export interface NumberProvider {
  /** For logs and the API ("inventory", or a carrier's name). */
  readonly name: string;
  /**
   * One number in `areaCode` (E.164) now belonging to the org, or null when none is available.
   * Must be safe under concurrency: two purchases never get the same number. May throw when
   * the provider itself fails (a carrier API down); the purchase then fails with that error.
   */
  acquire(orgId: string, areaCode: string): Promise<string | null>;
  /** Gives a number back (the org deleted it, or saving the purchase failed). Idempotent. */
  release(orgId: string, number: string): Promise<void>;
}

/** DI token of the active provider (see LocalPresenceModule for the factory). */
export const NUMBER_PROVIDER = Symbol('NumberProvider');
