// A connected call as an explicit state machine: two or more parties in one recorded bridge, after
// whatever set the call up (ring all, inbound, click-to-call, dial mode, a desk-phone call) handed
// it over. Hold with music, blind transfer (from the phone's Transfer button or the dashboard),
// attended transfer and a barging manager taking the call over all happen here, once for every
// kind of call. Pure: the runner turns ARI events and dashboard requests into inputs and carries
// out the commands.

export type PartyRole = 'agent' | 'outside';

export interface ConversationParty {
  /** The party's channel id. */
  id: string;
  /** agent: a user's phone (agent, manager); outside: a borrower, a caller, a number. */
  role: PartyRole;
  userId: string | null;
  up: boolean;
}

export type TransferTarget = { kind: 'user'; userId: string } | { kind: 'number'; number: string };
export type TransferVia = 'phone' | 'dashboard';

export interface PendingTransfer {
  /** The target's channel id (generated before it is dialled). */
  legId: string;
  /** The party handing the call on (it leaves once the target answers). */
  from: string;
  via: TransferVia;
  target: TransferTarget;
}

export interface ConversationState {
  parties: ConversationParty[];
  /** Parties that put the call on hold (from their phone, or the dashboard for them). */
  holding: string[];
  /** Parties hearing music on hold right now. */
  moh: string[];
  transfer: PendingTransfer | null;
  /**
   * Managers barging in: in the bridge, heard by everyone, but not parties (the call ends as it
   * would without them) — until the agent leaves them alone with the borrower (see settle).
   */
  bargers: Omit<ConversationParty, 'up'>[];
  /** Fewer than two parties are left: the rest are being hung up. */
  ending: boolean;
  finished: boolean;
}

export type ConversationInput =
  | { type: 'partyEnded'; partyId: string }
  | { type: 'hold'; partyId: string }
  | { type: 'resume'; partyId: string }
  /** A blind transfer of everyone else to `target` (already checked against the dialling policy). */
  | { type: 'transfer'; from: string; via: TransferVia; target: TransferTarget; legId: string }
  /** A transfer that cannot be carried out (no such extension, a refused number …). */
  | { type: 'transferRefused'; from: string; via: TransferVia }
  | { type: 'transferAnswered'; legId: string; userId: string | null }
  | { type: 'transferFailed'; legId: string }
  /**
   * Parties that join the bridge: (attended transfer) the party the agent consulted, `replacing`
   * the agent who handed the call on.
   */
  | { type: 'partiesJoined'; parties: ConversationParty[]; replacing?: string }
  /** Parties moved to another call (attended transfer): gone from this one, not hung up. */
  | { type: 'partiesLeft'; partyIds: string[] }
  /** A manager's phone barged into the bridge (not a party yet), or left it. */
  | { type: 'bargeIn'; party: Omit<ConversationParty, 'up'> }
  | { type: 'bargeOut'; partyId: string }
  /**
   * A new server process took the call over from the one that ran it (restart, link blip): `gone`
   * are the parties whose channels Asterisk no longer holds. A transfer that was ringing is gone
   * with the old process (its leg is hung up as an orphan).
   */
  | { type: 'adopted'; gone: string[] }
  | { type: 'linkLost' };

export type ConversationCommand =
  | { type: 'startMoh'; partyId: string }
  | { type: 'stopMoh'; partyId: string }
  | { type: 'dialTransfer'; legId: string; target: TransferTarget }
  | { type: 'cancelTransfer'; legId: string }
  | { type: 'joinBridge'; partyId: string }
  /** Tells the phone that pressed Transfer how it goes (SIP NOTIFY). */
  | { type: 'transferProgress'; partyId: string; state: 'progress' | 'answered' | 'declined' }
  /** The call moved from `from` to `to` (call activity). */
  | { type: 'transferred'; from: string; to: string }
  | { type: 'hangup'; partyId: string }
  /** The transfer failed and nobody is left to take the call back: a short apology, then hang up. */
  | { type: 'apologiseAndHangup'; partyId: string }
  /** A barging manager became a party: the agent left them alone with the borrower. */
  | { type: 'takenOver'; partyId: string }
  | { type: 'finish' };

export function initialConversationState(parties: Omit<ConversationParty, 'up'>[]): ConversationState {
  return { parties: parties.map((p) => ({ ...p, up: true })), holding: [], moh: [], transfer: null, bargers: [], ending: false, finished: false };
}

/** The persisted part of a connected call's state, as a new process takes it over. */
export interface ResumedConversation {
  parties: ConversationParty[];
  holding: string[];
  moh: string[];
  ending: boolean;
}

/** The state a call resumes in after a restart: what was persisted, no transfer (fed `adopted` next). */
export function resumedConversationState(r: ResumedConversation): ConversationState {
  return { parties: r.parties.map((p) => ({ ...p })), holding: [...r.holding], moh: [...r.moh], transfer: null, bargers: [], ending: r.ending, finished: false };
}

const isUp = (s: ConversationState, id: string) => s.parties.some((p) => p.id === id && p.up);

/** Parties no longer on the call (moved away, or gone while no process watched): down, off hold and music. */
function dropParties(s: ConversationState, ids: string[]): void {
  for (const p of s.parties) if (ids.includes(p.id)) p.up = false;
  s.holding = s.holding.filter((id) => !ids.includes(id));
  s.moh = s.moh.filter((id) => !ids.includes(id));
}

export function transition(state: ConversationState, input: ConversationInput): { state: ConversationState; commands: ConversationCommand[] } {
  if (state.finished) return { state, commands: [] };
  const s: ConversationState = { ...state, parties: state.parties.map((p) => ({ ...p })), holding: [...state.holding] };
  const commands: ConversationCommand[] = [];
  const progress = (partyId: string, via: TransferVia, st: 'progress' | 'answered' | 'declined') => {
    if (via === 'phone' && isUp(s, partyId)) commands.push({ type: 'transferProgress', partyId, state: st });
  };

  switch (input.type) {
    case 'partyEnded': {
      const party = s.parties.find((p) => p.id === input.partyId);
      if (!party?.up) break;
      party.up = false;
      s.holding = s.holding.filter((id) => id !== party.id);
      // Blind transfer: the agent's phone hangs up after REFER; the others wait for the target.
      break;
    }

    case 'hold':
      if (isUp(s, input.partyId) && !s.holding.includes(input.partyId)) s.holding.push(input.partyId);
      break;

    case 'resume':
      s.holding = s.holding.filter((id) => id !== input.partyId);
      break;

    case 'transfer': {
      const others = s.parties.filter((p) => p.up && p.id !== input.from);
      if (s.transfer || s.ending || !isUp(s, input.from) || !others.length) {
        progress(input.from, input.via, 'declined');
        break;
      }
      s.transfer = { legId: input.legId, from: input.from, via: input.via, target: input.target };
      commands.push({ type: 'dialTransfer', legId: input.legId, target: input.target });
      progress(input.from, input.via, 'progress');
      break;
    }

    case 'transferRefused':
      progress(input.from, input.via, 'declined');
      break;

    case 'transferAnswered': {
      const t = s.transfer;
      if (!t || t.legId !== input.legId) {
        // Answered after we gave up on it: let it go.
        commands.push({ type: 'cancelTransfer', legId: input.legId });
        break;
      }
      s.transfer = null;
      s.parties.push({ id: t.legId, role: t.target.kind === 'user' ? 'agent' : 'outside', userId: input.userId, up: true });
      commands.push({ type: 'joinBridge', partyId: t.legId }, { type: 'transferred', from: t.from, to: t.legId });
      progress(t.from, t.via, 'answered');
      s.holding = s.holding.filter((id) => id !== t.from);
      if (isUp(s, t.from)) commands.push({ type: 'hangup', partyId: t.from });
      break;
    }

    case 'transferFailed': {
      const t = s.transfer;
      if (!t || t.legId !== input.legId) break;
      s.transfer = null;
      if (s.ending) break;
      if (isUp(s, t.from)) {
        // The call stays with the agent (the phone takes it off hold itself).
        progress(t.from, t.via, 'declined');
      } else {
        s.ending = true;
        for (const p of s.parties.filter((q) => q.up)) commands.push({ type: 'apologiseAndHangup', partyId: p.id });
      }
      break;
    }

    case 'partiesJoined': {
      if (s.ending) {
        for (const p of input.parties) commands.push({ type: 'hangup', partyId: p.id });
        break;
      }
      for (const p of input.parties) {
        s.parties.push({ ...p, up: true });
        commands.push({ type: 'joinBridge', partyId: p.id });
      }
      const from = input.replacing;
      if (from && isUp(s, from)) {
        for (const p of input.parties) commands.push({ type: 'transferred', from, to: p.id });
        commands.push({ type: 'transferProgress', partyId: from, state: 'answered' }, { type: 'hangup', partyId: from });
        s.holding = s.holding.filter((id) => id !== from);
      }
      break;
    }

    case 'partiesLeft':
      dropParties(s, input.partyIds);
      break;

    case 'bargeIn':
      if (!s.ending && !s.bargers.some((b) => b.id === input.party.id) && !s.parties.some((p) => p.id === input.party.id)) s.bargers = [...s.bargers, input.party];
      break;

    case 'bargeOut':
      s.bargers = s.bargers.filter((b) => b.id !== input.partyId);
      break;

    case 'adopted':
      dropParties(s, input.gone);
      s.transfer = null;
      // Ending when the old process stopped: its hang-ups may not have been sent.
      if (s.ending) for (const p of s.parties.filter((q) => q.up)) commands.push({ type: 'hangup', partyId: p.id });
      break;

    case 'linkLost':
      // Nothing can be commanded any more: the call is over for us.
      s.parties.forEach((p) => (p.up = false));
      s.holding = [];
      s.moh = [];
      s.transfer = null;
      s.bargers = [];
      s.finished = true;
      commands.push({ type: 'finish' });
      return { state: s, commands };

    default: {
      const unreachable: never = input;
      throw new Error(`unknown input ${JSON.stringify(unreachable)}`);
    }
  }

  settle(s, commands);
  return { state: s, commands };
}

/** Ends the call when too few are left, keeps music on hold right, and finishes when all are gone. */
function settle(s: ConversationState, commands: ConversationCommand[]): void {
  // The agent left a barging manager alone with the borrower: the manager takes the call over
  // rather than the borrower being cut off mid-sentence. (Left with a colleague only, or when the
  // borrower is the one who hung up, the call ends as usual: nobody outside is waiting.)
  const alone = s.parties.filter((p) => p.up);
  if (!s.transfer && !s.ending && alone.length === 1 && alone[0].role === 'outside' && s.bargers.length) {
    const [manager, ...rest] = s.bargers;
    s.bargers = rest;
    s.parties.push({ ...manager, up: true });
    commands.push({ type: 'takenOver', partyId: manager.id });
  }
  const live = s.parties.filter((p) => p.up);
  if (s.transfer) {
    // Nobody left to hand on (the borrower hung up while the target rang): give up the transfer.
    if (!live.some((p) => p.id !== s.transfer!.from)) {
      commands.push({ type: 'cancelTransfer', legId: s.transfer.legId });
      if (!s.ending) {
        s.ending = true;
        for (const p of live) commands.push({ type: 'hangup', partyId: p.id });
      }
    }
  } else if (live.length < 2 && !s.ending) {
    s.ending = true;
    for (const p of live) commands.push({ type: 'hangup', partyId: p.id });
  }

  // Music on hold: everyone but the holders while someone holds; while a transfer rings, everyone
  // but the agent handing the call on. A call that ends just hangs up (a playback, such as the
  // apology, takes over from the music by itself).
  if (s.ending) s.moh = [];
  const wanted = s.ending ? [] : live.filter((p) => !s.holding.includes(p.id) && (s.holding.length > 0 || (s.transfer !== null && p.id !== s.transfer.from))).map((p) => p.id);
  for (const id of s.moh) if (!wanted.includes(id) && live.some((p) => p.id === id)) commands.push({ type: 'stopMoh', partyId: id });
  for (const id of wanted) if (!s.moh.includes(id)) commands.push({ type: 'startMoh', partyId: id });
  s.moh = wanted;

  if (!live.length && !s.transfer) {
    s.finished = true;
    commands.push({ type: 'finish' });
  }
}
