import { Logger } from '@nestjs/common';
import { CallEvent, ChannelOwner } from './stasis-router';

/** What a runner does with each kind of event of its channels (from the router). */
export type CallEventHandlers = { [K in CallEvent['type']]?: (event: Extract<CallEvent, { type: K }>) => void };

/**
 * What every call runner (ring all, inbound, click-to-call, desk phone …) shares: it owns its
 * channels in the StasisRouter, inputs are handled strictly one after another, timers die with the
 * call, and a command that fails (usually against a channel that just went away — normal in
 * telephony) is logged instead of derailing the call.
 */
export abstract class CallRunner<Input extends { type: string }, Command extends { type: string }> implements ChannelOwner {
  protected abstract readonly logger: Logger;
  private queue: Promise<void> = Promise.resolve();
  private readonly timers = new Set<NodeJS.Timeout>();

  /** Names the call in log lines, e.g. "prospect <id>" or "call <id>". */
  abstract get label(): string;

  /** An event of one of the call's channels (from the router). */
  abstract onCallEvent(event: CallEvent): void;

  /** The link dropped or the server stops: no more events will come. */
  abstract linkLost(detail: string): void;

  /** Turns one input into state changes and commands (runs inside the queue). */
  protected abstract handle(input: Input, cause?: number): Promise<void>;

  /** Carries out one command against ARI or the database. */
  protected abstract run(command: Command): Promise<void>;

  /** Queues an input; inputs are handled one at a time, in arrival order. */
  feed(input: Input, cause?: number): void {
    this.enqueue(() => this.handle(input, cause));
  }

  /** Resolves once everything queued so far is done (tests and shutdown). */
  settled(): Promise<void> {
    return this.queue;
  }

  /** Queues work that is not an input of the state machine (e.g. starting a voicemail). */
  protected enqueue(work: () => Promise<void>): void {
    this.queue = this.queue.then(work).catch((err: unknown) => this.logger.error(`${this.label}: ${err instanceof Error ? err.stack : String(err)}`));
  }

  protected async execute(command: Command): Promise<void> {
    try {
      await this.run(command);
    } catch (err) {
      this.commandFailed(command, err);
    }
  }

  protected commandFailed(command: Command, err: unknown): void {
    this.logger.warn(`${this.label}: ${command.type} failed: ${err instanceof Error ? err.message : String(err)}`);
  }

  protected later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  protected clearTimers(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}

/**
 * A call runner driven by one of the pure call machines of libs/domain: each input is first booked
 * (call activity, call lines: what it means outside the machine), then the machine turns it into
 * the new state and commands, which are carried out in order. A runner supplies only what differs:
 * the events it listens to, its machine, its bookkeeping, how it runs a command, and what to tell
 * after an input.
 */
export abstract class StateMachineRunner<State, Input extends { type: string }, Command extends { type: string }> extends CallRunner<Input, Command> {
  protected abstract state: State;

  /** What the runner does with each kind of event of its channels; a kind left out does not concern it. */
  protected abstract readonly events: CallEventHandlers;

  onCallEvent(event: CallEvent): void {
    (this.events[event.type] as ((e: CallEvent) => void) | undefined)?.(event);
  }

  /** The call's pure state machine. */
  protected abstract readonly machine: (state: State, input: Input) => { state: State; commands: Command[] };

  /** What an input means outside the machine (call activity, call lines), before the machine sees it. */
  protected abstract bookkeeping(input: Input, cause?: number): Promise<void>;

  /** Once an input's commands have run, with the state from before it (e.g. to tell listeners). */
  protected afterInput(_before: State): void {}

  protected async handle(input: Input, cause?: number): Promise<void> {
    const before = this.state;
    await this.bookkeeping(input, cause);
    const { state, commands } = this.machine(this.state, input);
    this.state = state;
    for (const command of commands) await this.execute(command);
    this.afterInput(before);
  }
}

/** The default of an exhaustive switch over a runner's events, inputs or commands. */
export function unhandled(what: 'event' | 'input' | 'command' | 'outcome', value: never): never {
  throw new Error(`unknown ${what} ${JSON.stringify(value)}`);
}

/** Whole seconds between two moments, never negative (ring and talk times of call activity). */
export function secondsBetween(from: Date, to: Date): number {
  return Math.max(0, Math.round((to.getTime() - from.getTime()) / 1000));
}

// ChannelDestroyed causes (Q.850) call activity tells apart.
const CAUSE_RESULT: Record<number, string> = { 17: 'busy', 18: 'no_answer', 19: 'no_answer', 21: 'rejected', 34: 'failed', 38: 'failed' };

/** The call-activity result of a leg that ended without being answered, from its hang-up cause. */
export function unansweredResult(cause: number | undefined): string {
  return CAUSE_RESULT[cause ?? 0] ?? 'no_answer';
}
