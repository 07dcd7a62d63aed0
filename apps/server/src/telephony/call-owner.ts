/**
 * Names the server instance that runs a distribution, reserved an agent or carries a call leg:
 * its Stasis app on its Asterisk. Unique among running instances (checked at start with
 * REDIS_URL) and the same after a restart, so a restarted instance recognises its own rows and
 * the others can tell a dead instance's rows from a live one's.
 */
export const callOwner = (ari: { app: string; url: string }): string => `${ari.app}@${ari.url}`;
