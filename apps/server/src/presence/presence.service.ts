import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import type { Presence } from '@leadline/contracts';
import { nextPresence, PresenceInputs, PresenceSnapshot } from '@leadline/domain';
import { LeadEvents } from '../events/lead-events';
import { RealtimeGateway } from '../realtime/realtime.gateway';
import type { PresenceRow } from '../users/presence-row.sql';
import { UserRepository } from '../users/user.repository';

const toWire = (userId: string, s: PresenceSnapshot): Presence => ({ userId, state: s.state, color: s.color, blink: s.blink, reason: s.reason, since: s.since.toISOString() });

/**
 * Every agent's presence, derived by the pure rules in libs/domain from the database (logged in,
 * calls on, on a call) and the inbound calls ringing them, pushed to all of the agent's sockets
 * (dashboards and desk daemons) and to managers watching the team — on every instance.
 */
@Injectable()
export class PresenceService implements OnModuleInit {
  private readonly logger = new Logger(PresenceService.name);
  private readonly snapshots = new Map<string, PresenceSnapshot>();
  private readonly ringing = new Set<string>();

  constructor(
    private readonly gateway: RealtimeGateway,
    private readonly users: UserRepository,
    private readonly events: LeadEvents,
  ) {}

  onModuleInit(): void {
    this.events.on('agent.changed', ({ userId }) => this.refresh(userId));
    this.gateway.onConnect((session) => {
      // A newly connected client gets the current presence at once.
      void this.current(session.user.id).then(
        (p) => p && session.send('presence', p),
        (err: unknown) => this.logger.error(`presence for ${session.user.id}: ${err instanceof Error ? err.message : String(err)}`),
      );
    });
    this.gateway.onTeamSubscribe((orgId) => this.team(orgId));
    // Several instances: the instance that saw the change pushed it to every socket (rooms span
    // the instances); the others learn it here, so a client connecting to them, or a team view
    // opened there, gets the same state and `since`, and inbound ringing marks stay known.
    this.gateway.onInstanceMessage('presence', ({ presence, inboundRinging }) => {
      const { userId, state, color, blink, reason, since } = presence;
      this.snapshots.set(userId, { state, color, blink, reason, since: new Date(since) });
      if (inboundRinging) this.ringing.add(userId);
      else this.ringing.delete(userId);
    });
  }

  /** Inbound routing marks the agents it is ringing (blinking red while available); `refresh` announces it. */
  markInboundRinging(userId: string, ringing: boolean): void {
    if (ringing) this.ringing.add(userId);
    else this.ringing.delete(userId);
  }

  /** Recomputes one agent's presence and pushes it when it changed. */
  async refresh(userId: string): Promise<void> {
    const result = await this.compute(userId);
    if (!result?.changed) return;
    const wire = toWire(userId, result.snapshot);
    this.gateway.toUsers([userId]).emit('presence', wire);
    this.gateway.toTeam(result.orgId).emit('presence:team', wire);
    this.gateway.toOtherInstances('presence', { presence: wire, inboundRinging: this.ringing.has(userId) });
    this.events.emit('presence.changed', { userId, orgId: result.orgId, extension: result.extension, state: wire.state });
  }

  /** Every user's presence in the org, as the team view and the wallboard show it. */
  orgPresence(orgId: string): Promise<Presence[]> {
    return this.team(orgId);
  }

  private async compute(userId: string): Promise<{ snapshot: PresenceSnapshot; changed: boolean; orgId: string; extension: string | null } | undefined> {
    const [row] = await this.users.presenceRows({ userId });
    if (!row) {
      this.snapshots.delete(userId);
      return undefined;
    }
    const { snapshot, changed } = nextPresence(this.snapshots.get(userId), this.inputs(row), new Date());
    this.snapshots.set(userId, snapshot);
    this.logger.debug(`presence of ${userId}: ${snapshot.state}/${snapshot.reason}${changed ? '' : ' (unchanged)'}`);
    return { snapshot, changed, orgId: row.orgId, extension: row.extension };
  }

  /**
   * For a newly connected socket: what the database says now, keeping the known `since` when the
   * state is the same. Not pushed to the others: with several instances the one that made a change
   * pushes it, but its message may reach this instance after the socket connected, so a snapshot
   * held here can be a moment stale.
   */
  private async current(userId: string): Promise<Presence | undefined> {
    const snapshot = (await this.compute(userId))?.snapshot;
    return snapshot && toWire(userId, snapshot);
  }

  // An agent an inbound call is ringing is reserved for it in the database, yet still available
  // until they answer: that is the blinking-red case, not "on a call".
  private inputs(row: PresenceRow): PresenceInputs {
    const ringing = this.ringing.has(row.id);
    return { loggedIn: row.loggedIn, callsOn: row.callsOn, onCall: row.onCall && !ringing, inboundRinging: ringing };
  }

  private async team(orgId: string): Promise<Presence[]> {
    const rows = await this.users.presenceRows({ orgId });
    return rows.map((row) => {
      const { snapshot } = nextPresence(this.snapshots.get(row.id), this.inputs(row), new Date());
      this.snapshots.set(row.id, snapshot);
      return toWire(row.id, snapshot);
    });
  }
}
