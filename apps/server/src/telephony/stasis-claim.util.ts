// Who a channel entering our Stasis app belongs to, decided from what the StasisStart carries —
// before any await, so an event of the channel (its hang-up) can never find it without an owner.

/**
 * Calls the dialplan hands to the app: `Stasis(app, inbound, <DID>, <CALLERID(pres)>)` and
 * `Stasis(app, phone, <dialled>)`.
 */
export type StasisEntry = 'inbound' | 'phone';

export type StasisClaim =
  /** Leadline created the channel (originate, snoop) and its call claimed the id beforehand. */
  | { kind: 'owned' }
  /** A call the dialplan handed over: the entry's handler becomes the channel's owner. */
  | { kind: 'entry'; entry: StasisEntry; dialled: string; endpoint: string; presentation?: string }
  /** Nobody may own it: hang it up at once, logging why. */
  | { kind: 'refuse'; reason: string };

export interface StasisClaimInput {
  /** A call claimed the channel id before creating the channel. */
  owned: boolean;
  args: readonly string[];
  /** Asterisk's channel name, e.g. PJSIP/agent123456-0000002a or PJSIP/trunk-00000001. */
  channelName: string;
  /** Name of the carrier trunk's endpoint in pjsip.conf. */
  trunkEndpoint: string;
  /** Tells desk-phone endpoints (the ones Leadline provisions) from anything else. */
  isDeskPhoneEndpoint: (endpoint: string) => boolean;
}

/** The PJSIP endpoint of a channel name ("PJSIP/<endpoint>-<8 hex digits>"), or null. */
export function endpointOfChannel(channelName: string): string | null {
  return /^PJSIP\/(.+)-[0-9a-f]{8}$/.exec(channelName)?.[1] ?? null;
}

export function decideStasisClaim(input: StasisClaimInput): StasisClaim {
  if (input.owned) return { kind: 'owned' };
  const [first, second, third] = input.args;
  const endpoint = endpointOfChannel(input.channelName);
  switch (first) {
    case 'inbound':
      // Only the trunk's context reaches this extension; checked again so a misconfigured
      // dialplan can never let a desk phone pose as the carrier.
      if (endpoint !== input.trunkEndpoint) return { kind: 'refuse', reason: `an inbound call must come from the trunk, not ${input.channelName}` };
      // The caller's CALLERID(pres), when the dialplan passes it (an older one does not).
      return { kind: 'entry', entry: 'inbound', dialled: second ?? '', endpoint, ...(third ? { presentation: third } : {}) };
    case 'phone':
      if (!endpoint || !input.isDeskPhoneEndpoint(endpoint)) return { kind: 'refuse', reason: `a desk-phone call must come from a Leadline desk phone, not ${input.channelName}` };
      return { kind: 'entry', entry: 'phone', dialled: second ?? '', endpoint };
    case undefined:
    case '':
      return { kind: 'refuse', reason: 'it carries no Stasis arguments' };
    default:
      // Originated by Leadline ("ringall,<id>", "click,<id>" ...) but no call owns the id: its call
      // ended meanwhile, or the channel outlived the process that made it.
      return { kind: 'refuse', reason: `no live call owns it (Stasis arguments "${input.args.join(',')}")` };
  }
}
