import { applyDialResult, compareQueueOrder, dialCallEnd, DEFAULT_DIAL_MODE_SETTINGS, detectedDialButton, dialBy, dialPriority, DialModeSettings, DialResultInput, DialSubState, enabledButtons, QueueOrderKey } from './dial-mode.util';

const t0 = new Date('2026-11-22T15:00:00Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

/** A queued lead as the queue stores it: priority and dial-by derived from its mode's settings. */
function entry(id: string, o: { dueMin: number; subState?: DialSubState; highPriority?: boolean; timeStandard?: number }): QueueOrderKey {
  const dueAt = at(o.dueMin);
  return { id, priority: dialPriority({ highPriority: o.highPriority ?? false, subState: o.subState ?? 'unprocessed' }), dueAt, dialByAt: dialBy(dueAt, o.timeStandard ?? 5) };
}

describe('dial queue order', () => {
  it.each<[string, QueueOrderKey[], string[]]>([
    ['earlier due first', [entry('b', { dueMin: 10 }), entry('a', { dueMin: 0 })], ['a', 'b']],
    ['a high-priority new lead outranks an older lead of another campaign', [entry('old', { dueMin: -60 }), entry('hot', { dueMin: 30, highPriority: true })], ['hot', 'old']],
    ['high priority only lifts unprocessed leads', [entry('retry', { dueMin: 10, highPriority: true, subState: 'no_answer' }), entry('plain', { dueMin: 0 })], ['plain', 'retry']],
    ['a shorter time standard comes sooner at the same due time', [entry('slow', { dueMin: 0, timeStandard: 30 }), entry('fast', { dueMin: 0, timeStandard: 2 })], ['fast', 'slow']],
    ['the time standard can outweigh a slightly earlier due time', [entry('early-slow', { dueMin: 0, timeStandard: 60 }), entry('late-fast', { dueMin: 10, timeStandard: 1 })], ['late-fast', 'early-slow']],
    ['same dial-by: the earlier due first', [entry('b', { dueMin: 5, timeStandard: 0 }), entry('a', { dueMin: 0, timeStandard: 5 })], ['a', 'b']],
    ['full tie: by id', [entry('z', { dueMin: 0 }), entry('m', { dueMin: 0 }), entry('c', { dueMin: 0 })], ['c', 'm', 'z']],
    [
      'mixed',
      [entry('cb', { dueMin: 20, subState: 'callback_planned' }), entry('hp2', { dueMin: 5, highPriority: true }), entry('na', { dueMin: -5, subState: 'no_answer' }), entry('hp1', { dueMin: 1, highPriority: true }), entry('new', { dueMin: 0 })],
      ['hp1', 'hp2', 'na', 'new', 'cb'],
    ],
  ])('%s', (_name, entries, expected) => {
    expect([...entries].sort(compareQueueOrder).map((e) => e.id)).toEqual(expected);
  });
});

describe('dial results', () => {
  const settings: DialModeSettings = { ...DEFAULT_DIAL_MODE_SETTINGS, retryDelayMinutes: 30, maxAttempts: 3, exhaustedStatusId: 'rejected' };
  const lead = (attempts: number, subState: DialSubState = 'unprocessed') => ({ attempts, subState, dueAt: t0 });

  it.each<[string, number, DialResultInput, unknown]>([
    ['no answer: due after the retry delay, attempt +1', 0, { button: 'no_answer' }, { kind: 'requeue', subState: 'no_answer', dueAt: at(30), attempts: 1 }],
    ['busy counts like no answer', 1, { button: 'busy' }, { kind: 'requeue', subState: 'no_answer', dueAt: at(30), attempts: 2 }],
    ['dropped counts like no answer', 0, { button: 'dropped' }, { kind: 'requeue', subState: 'no_answer', dueAt: at(30), attempts: 1 }],
    ['the last attempt moves the lead to the exhausted status', 2, { button: 'no_answer' }, { kind: 'leave', reason: 'max_attempts', statusId: 'rejected', attempts: 3, addToDoNotCall: false }],
    ['callback: planned at the given time, no attempt counted', 2, { button: 'callback', callbackAt: at(120) }, { kind: 'requeue', subState: 'callback_planned', dueAt: at(120), attempts: 2 }],
    ['success: leaves for the chosen status', 1, { button: 'success', statusId: 'approved' }, { kind: 'leave', reason: 'success', statusId: 'approved', attempts: 1, addToDoNotCall: false }],
    ['a callback in the past is refused', 0, { button: 'callback', callbackAt: at(-1) }, { refused: 'callbackAt must be in the future' }],
    ['a disabled extra button is refused', 0, { button: 'wrong_number' }, { refused: 'the wrong_number button is not enabled in this call mode' }],
  ])('%s', (_name, attempts, result, expected) => {
    expect(applyDialResult({ lead: lead(attempts), settings, result, now: t0 })).toEqual(expected);
  });

  it('retries then exhausts with a moving clock', () => {
    let state = lead(0);
    const seen: unknown[] = [];
    for (let minute = 0; ; minute += 30) {
      const effect = applyDialResult({ lead: state, settings, result: { button: 'busy' }, now: at(minute) });
      seen.push(effect);
      if (!('kind' in effect) || effect.kind !== 'requeue') break;
      state = { subState: effect.subState, attempts: effect.attempts, dueAt: effect.dueAt };
    }
    expect(seen).toEqual([
      { kind: 'requeue', subState: 'no_answer', dueAt: at(30), attempts: 1 },
      { kind: 'requeue', subState: 'no_answer', dueAt: at(60), attempts: 2 },
      { kind: 'leave', reason: 'max_attempts', statusId: 'rejected', attempts: 3, addToDoNotCall: false },
    ]);
  });

  it('extra buttons work once enabled', () => {
    const withExtras: DialModeSettings = { ...settings, extraButtons: ['wrong_number', 'do_not_call'] };
    expect(enabledButtons(settings)).toEqual(['success', 'callback', 'no_answer', 'busy', 'dropped']);
    expect(enabledButtons(withExtras)).toEqual(['success', 'callback', 'no_answer', 'busy', 'dropped', 'wrong_number', 'do_not_call']);
    expect(applyDialResult({ lead: lead(0), settings: withExtras, result: { button: 'do_not_call' }, now: t0 })).toEqual({ kind: 'leave', reason: 'do_not_call', statusId: null, attempts: 0, addToDoNotCall: true });
    expect(applyDialResult({ lead: lead(1), settings: withExtras, result: { button: 'wrong_number' }, now: t0 })).toEqual({ kind: 'leave', reason: 'wrong_number', statusId: null, attempts: 1, addToDoNotCall: false });
  });

  it.each([
    ['busy', 'busy'],
    ['no_answer', 'no_answer'],
    ['cancelled', 'no_answer'],
    ['failed', 'dropped'],
    ['rejected', 'dropped'],
  ])('Asterisk result %s → %s', (result, button) => {
    expect(detectedDialButton(result)).toBe(button);
  });
});

describe('the end of a dial-mode call', () => {
  it.each<[Parameters<typeof dialCallEnd>[0], string | null, unknown]>([
    ['connected', 'completed', { kind: 'await_operator' }],
    ['agent_hung_up', 'cancelled', { kind: 'await_operator' }],
    ['agent_no_answer', null, { kind: 'give_back' }],
    ['failed', null, { kind: 'give_back' }],
    ['failed', 'interrupted', { kind: 'give_back' }],
    ['borrower_no_answer', 'busy', { kind: 'apply', button: 'busy' }],
    ['borrower_no_answer', 'no_answer', { kind: 'apply', button: 'no_answer' }],
    ['borrower_no_answer', 'rejected', { kind: 'apply', button: 'dropped' }],
    ['failed', 'failed', { kind: 'apply', button: 'dropped' }],
  ])('%s with the lead leg %s', (outcome, leadResult, expected) => {
    expect(dialCallEnd(outcome, leadResult)).toEqual(expected);
  });
});
