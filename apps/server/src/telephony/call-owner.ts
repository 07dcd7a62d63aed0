/**
 * Names the server instance that runs a distribution, reserved an agent or carries a call leg:
 * its Stasis app on its Asterisk. Unique among running instances (checked at start with
 * REDIS_URL) and the same after a restart, so a restarted instance recognises its own rows and
 * the others can tell a dead instance's rows from a live one's.
 */
export const callOwner = (ari: { app: string; url: string }): string => `${ari.app}@${ari.url}`;

/**
 * Whose leftovers a recovery touches: `all` (no other instance runs), the rows of every owner
 * but the live ones (`except`; rows without an owner included), or only these owners' (`only`).
 */
export type RecoveryScope = { all: true } | { except: string[] } | { only: string[] };

/** The query condition of a recovery scope on an owner column. */
export function ownedIn<T extends string>(field: T, scope: RecoveryScope): Record<string, unknown> {
  if ('all' in scope) return {};
  if ('only' in scope) return { [field]: { $in: scope.only } };
  return scope.except.length ? { $or: [{ [field]: null }, { [field]: { $nin: scope.except } }] } : {};
}
