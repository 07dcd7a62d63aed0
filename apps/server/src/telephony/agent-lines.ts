import { Injectable } from '@nestjs/common';
import { LeadEvents } from '../events/lead-events';
import { CallLegRepository } from './call-legs.repository';

/**
 * Which agents are on a call. Rounds and inbound calls reserve only free agents (one guarded
 * update each: two calls never ring the same agent); an agent's own phone may hold a second call
 * (calling a colleague to consult before a transfer), so lines are counted per agent and the agent
 * is free again — in the database, and in their presence — only when the last one ends.
 */
@Injectable()
export class AgentLines {
  private readonly lines = new Map<string, number>();

  constructor(
    private readonly legs: CallLegRepository,
    private readonly events: LeadEvents,
  ) {}

  /**
   * Reserves the agents who are not on a call; returns those reserved (one line each). Their
   * presence follows at once, or, with `announce: false`, when the caller calls announce(): a round
   * does once its phones' INVITEs are out, so that the presence reads and the BLF lights of ten
   * agents do not compete with them (docs/benchmarks.md, "Ring All: BLF states after the
   * originates").
   */
  async reserveFree(agentIds: string[], now: Date, { announce = true }: { announce?: boolean } = {}): Promise<string[]> {
    const reserved = await this.legs.reserveAgents(agentIds, now);
    this.hold(reserved);
    if (announce) this.announce(reserved);
    return reserved;
  }

  /**
   * One line each for agents the caller reserved itself (CallLegRepository.reserveAgents in a
   * transaction of its own), once that is committed. Their presence follows with announce().
   */
  hold(agentIds: string[]): void {
    for (const id of agentIds) this.lines.set(id, (this.lines.get(id) ?? 0) + 1);
  }

  /** Presence (dashboards, BLF lights) hears that these agents' lines changed. */
  announce(agentIds: Iterable<string>): void {
    for (const id of agentIds) this.changed(id);
  }

  /** One more line for an agent who may already be on a call (a call from their own phone). */
  async acquire(agentId: string, now: Date): Promise<void> {
    const n = this.lines.get(agentId) ?? 0;
    this.lines.set(agentId, n + 1);
    if (n > 0) return;
    await this.legs.markOnCall(agentId, now);
    this.changed(agentId);
  }

  /** A line ends; with the last one the agent is free again. */
  async release(agentId: string, now: Date): Promise<void> {
    const n = (this.lines.get(agentId) ?? 1) - 1;
    if (n > 0) {
      this.lines.set(agentId, n);
      return;
    }
    this.lines.delete(agentId);
    await this.legs.releaseAgent(agentId, now);
    this.changed(agentId);
  }

  /**
   * A connected call taken over from an earlier process (or after a link blip) holds its line
   * again: the agent is (still) on a call, stamped with this instance.
   */
  async adopt(agentId: string, now: Date): Promise<void> {
    this.lines.set(agentId, (this.lines.get(agentId) ?? 0) + 1);
    await this.legs.holdForAdoptedCall(agentId, now);
    this.changed(agentId);
  }

  /** A call left to the next link-up's adoption: its line is no longer counted here, the database keeps the agent on a call. */
  detach(agentId: string): void {
    const n = (this.lines.get(agentId) ?? 1) - 1;
    if (n > 0) this.lines.set(agentId, n);
    else this.lines.delete(agentId);
  }

  /**
   * The recovery sweep freed an agent whose reservation no call explains (RecoverySweep): the
   * lines counted here for them were leftovers too.
   */
  freed(agentId: string): void {
    this.lines.delete(agentId);
    this.changed(agentId);
  }

  /** Presence follows the database. */
  private changed(agentId: string): void {
    this.events.emit('agent.changed', { userId: agentId });
  }
}
