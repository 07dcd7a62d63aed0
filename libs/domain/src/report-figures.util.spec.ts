import { FAILURE_REASONS } from './lead.types';
import { hourOfDayIn, localDayOf } from './local-day.util';
import { buildReportDay, CallFact, LeadFact, leadOutcomeOf, stageDelays } from './report-day.util';
import { agentFigures, localPresenceFigures, outcomeFigures, ReportDay, speedFigures } from './report-figures.util';

const NY = 'America/New_York';
const ms = (iso: string) => new Date(iso).getTime();

function aLead(over: Partial<LeadFact> & { createdAt: number }): LeadFact {
  return { campaignId: 'c1', leadProvider: 'Zillow', status: 'new', failureReason: null, via: null, agentId: null, assignedAt: null, firstRingAt: null, takenAt: null, borrowerAnsweredAt: null, ...over };
}

/** A ring-all lead accepted at `iso`, rung after `ring` ms, taken by `agent` after `taken` ms, the borrower answering after `answered` ms. */
function ringAllLead(iso: string, agent: string, ring: number, taken: number, answered: number | null, over: Partial<LeadFact> = {}): LeadFact {
  const t = ms(iso);
  return aLead({ createdAt: t, status: 'assigned', via: 'ring_all', agentId: agent, assignedAt: t + taken, firstRingAt: t + ring, takenAt: t + taken, borrowerAnsweredAt: answered === null ? null : t + answered, ...over });
}

function aCall(over: Partial<CallFact> & { startedAt: number; purpose: string }): CallFact {
  return { answeredAt: null, userId: null, direction: 'outbound', result: 'no_answer', talkSeconds: null, fromNumber: null, toNumber: null, callerIdReason: null, campaignId: 'c1', leadProvider: 'Zillow', ...over };
}

/** Facts grouped into stored days the way the server does: by their local day in `zone`. */
function days(zone: string, leads: LeadFact[], calls: CallFact[] = []): ReportDay[] {
  const byDay = new Map<string, { leads: LeadFact[]; calls: CallFact[] }>();
  const of = (day: string) => byDay.get(day) ?? byDay.set(day, { leads: [], calls: [] }).get(day)!;
  for (const l of leads) of(localDayOf(zone, l.createdAt)).leads.push(l);
  for (const c of calls) of(localDayOf(zone, c.startedAt)).calls.push(c);
  return [...byDay.keys()].sort().map((day) => ({ day, doc: JSON.parse(JSON.stringify(buildReportDay(hourOfDayIn(zone), of(day).leads, of(day).calls))) }));
}

describe('leadOutcomeOf', () => {
  it.each([
    [{ status: 'assigned', via: 'ring_all', failureReason: null }, 'ring_all'],
    [{ status: 'assigned', via: 'default_agent', failureReason: FAILURE_REASONS.noAgentsAnswered }, 'default_agent'],
    [{ status: 'exception', via: null, failureReason: FAILURE_REASONS.noAgentsClicked }, 'no_agents_clicked'],
    [{ status: 'exception', via: null, failureReason: 'something else' }, 'fatal_error'],
    [{ status: 'distributing', via: null, failureReason: null }, 'open'],
    [{ status: 'new', via: null, failureReason: null }, 'open'],
  ] as const)('%o → %s', (fact, outcome) => expect(leadOutcomeOf(fact)).toBe(outcome));
});

describe('stageDelays', () => {
  const t = ms('2025-03-03T15:00:00Z');
  it.each<[string, Partial<LeadFact>, object]>([
    ['ring all: the press of 1', { via: 'ring_all', status: 'assigned', firstRingAt: t + 300, takenAt: t + 9_000, assignedAt: t + 9_050, borrowerAnsweredAt: t + 20_000 }, { first_ring: 300, taken: 9_000, borrower_answered: 20_000 }],
    ['distribute all: the click (no stamp) is the assignment', { via: 'distribute_all', status: 'assigned', assignedAt: t + 4_000 }, { first_ring: null, taken: 4_000, borrower_answered: null }],
    ['by hand is no speed of the desk', { via: 'manual', status: 'assigned', assignedAt: t + 600_000 }, { first_ring: null, taken: null, borrower_answered: null }],
    ['a clock running behind counts 0', { firstRingAt: t - 5 }, { first_ring: 0, taken: null, borrower_answered: null }],
  ])('%s', (_name, over, expected) => expect(stageDelays(aLead({ createdAt: t, ...over }))).toEqual(expected));
});

describe('report figures from a known week (America/New_York, DST starts Sunday 2025-03-09)', () => {
  // Monday 2025-03-03 10:00 EST = 15:00Z. Four ring-all leads with known delays, one lead of
  // campaign c2 (provider LendingTree) by Distribute All, two exceptions and one open lead.
  const leads: LeadFact[] = [
    ringAllLead('2025-03-03T15:00:00Z', 'ann', 200, 5_000, 15_000),
    ringAllLead('2025-03-03T15:10:00Z', 'ann', 400, 7_000, 25_000),
    ringAllLead('2025-03-03T16:00:00Z', 'bob', 600, 9_000, null),
    ringAllLead('2025-03-03T16:20:00Z', 'bob', 800, 11_000, 45_000),
    aLead({ createdAt: ms('2025-03-03T17:00:00Z'), campaignId: 'c2', leadProvider: 'LendingTree', status: 'assigned', via: 'distribute_all', agentId: 'cid', assignedAt: ms('2025-03-03T17:00:03Z') }),
    aLead({ createdAt: ms('2025-03-04T04:30:00Z'), status: 'exception', failureReason: FAILURE_REASONS.noAgentsAnswered, firstRingAt: ms('2025-03-04T04:30:00.500Z') }),
    // 23:30 local on the short DST day: still Sunday 2025-03-09 (04:30Z on the 10th is 00:30 EDT the 10th).
    aLead({ createdAt: ms('2025-03-10T03:30:00Z'), status: 'exception', failureReason: FAILURE_REASONS.noAvailableAgents }),
    aLead({ createdAt: ms('2025-03-10T04:30:00Z'), status: 'new', leadProvider: null }),
  ];
  const calls: CallFact[] = [
    aCall({ startedAt: ms('2025-03-03T15:00:00.200Z'), purpose: 'ring_all_agent', userId: 'ann', answeredAt: ms('2025-03-03T15:00:03.200Z'), result: 'won', talkSeconds: 40 }),
    aCall({ startedAt: ms('2025-03-03T15:00:00.200Z'), purpose: 'ring_all_agent', userId: 'bob', result: 'cancelled' }),
    aCall({ startedAt: ms('2025-03-03T16:00:00.600Z'), purpose: 'ring_all_agent', userId: 'bob', answeredAt: ms('2025-03-03T16:00:05.600Z'), result: 'won', talkSeconds: 50 }),
    aCall({ startedAt: ms('2025-03-03T16:00:00.600Z'), purpose: 'ring_all_agent', userId: 'ann', result: 'no_answer' }),
    aCall({ startedAt: ms('2025-03-03T15:00:05Z'), purpose: 'borrower', userId: 'ann', answeredAt: ms('2025-03-03T15:00:15Z'), result: 'completed', talkSeconds: 120, fromNumber: '+15125550101', toNumber: '+15125559999', callerIdReason: 'local_presence' }),
    aCall({ startedAt: ms('2025-03-03T16:00:09Z'), purpose: 'borrower', userId: 'bob', result: 'no_answer', fromNumber: '+15125550101', toNumber: '+17375550000', callerIdReason: 'local_presence' }),
    aCall({ startedAt: ms('2025-03-03T18:00:00Z'), purpose: 'inbound_agent', direction: 'inbound', userId: 'ann', answeredAt: ms('2025-03-03T18:00:04Z'), result: 'answered', talkSeconds: 60, campaignId: null, leadProvider: null }),
  ];
  const week = days(NY, leads, calls);

  it('files each fact under its local day (the 23:30 lead of the 23-hour day stays on Sunday)', () => {
    expect(week.map((d) => d.day)).toEqual(['2025-03-03', '2025-03-09', '2025-03-10']);
  });

  it('counts outcomes and the contact rate', () => {
    const o = outcomeFigures(week, {});
    expect(o.leads).toBe(8);
    expect(o.reached).toBe(3);
    expect(o.contactRate).toBeCloseTo(3 / 8);
    expect(Object.fromEntries(o.outcomes.map((r) => [r.outcome, r.leads]))).toEqual({
      ring_all: 4, distribute_all: 1, manual: 0, default_agent: 0, no_available_agents: 1, no_agents_answered: 1, no_agents_clicked: 0, fatal_error: 0, open: 1,
    });
    // The 04:30Z lead of 2025-03-04 is 23:30 EST on Monday the 3rd.
    expect(o.byDay.map((d) => [d.day, d.leads, d.reached])).toEqual([['2025-03-03', 6, 3], ['2025-03-09', 1, 0], ['2025-03-10', 1, 0]]);
  });

  it.each<[string, object, number]>([
    ['campaign', { campaignIds: new Set(['c2']) }, 1],
    ['lead provider', { leadProviders: new Set(['Zillow']) }, 6],
    ['no lead provider', { leadProviders: new Set(['']) }, 1],
    ['agent', { agentIds: new Set(['bob']) }, 2],
    ['agent and campaign', { agentIds: new Set(['bob']), campaignIds: new Set(['c2']) }, 0],
  ])('filters by %s', (_name, filter, expected) => expect(outcomeFigures(week, filter).leads).toBe(expected));

  it('reads speed percentiles per stage', () => {
    const s = speedFigures(week, {});
    // First ring: 200, 400, 500 (the exception), 600, 800 → bins of 100 ms, p50 = rank 3 → 550.
    expect(s.stages).toEqual([
      { stage: 'first_ring', leads: 5, p50Ms: 550, p90Ms: 850, p99Ms: 850 },
      // Taken: 3 s (Distribute All), 5, 7, 9, 11 s.
      { stage: 'taken', leads: 5, p50Ms: 7_500, p90Ms: 11_000, p99Ms: 11_000 },
      // Borrower answered: 15, 25, 45 s.
      { stage: 'borrower_answered', leads: 3, p50Ms: 25_000, p90Ms: 47_500, p99Ms: 47_500 },
    ]);
    expect(s.histogram.find((h) => h.bin === '< 1 s')).toMatchObject({ firstRing: 5, taken: 0 });
    expect(s.histogram.find((h) => h.bin === '5–10 s')).toMatchObject({ taken: 3 });
    expect(s.histogram.reduce((n, h) => n + h.taken, 0)).toBe(5);
  });

  it('trends by local hour of the day', () => {
    const s = speedFigures(week, {});
    const hour = (h: number) => s.byHour[h];
    expect(hour(10)).toMatchObject({ leads: 2, taken: 2, takenP50Ms: 5_500 });
    expect(hour(11)).toMatchObject({ leads: 2, taken: 2 });
    expect(hour(12)).toMatchObject({ leads: 1, taken: 1, takenP50Ms: 3_250 });
    expect(hour(23)).toMatchObject({ leads: 2, firstRing: 1 });
    expect(hour(0)).toMatchObject({ leads: 1 });
    expect(s.byHour.reduce((n, h) => n + h.leads, 0)).toBe(8);
    expect(s.byDay.map((d) => [d.day, d.leads, d.firstRing])).toEqual([['2025-03-03', 6, 5], ['2025-03-09', 1, 0], ['2025-03-10', 1, 0]]);
  });

  it('sums agents from their legs and leads', () => {
    const rows = agentFigures(week, {}, new Map([['ann', 'Ann Agent'], ['bob', 'Bob Broker']]));
    expect(rows.map((r) => r.name)).toEqual(['Ann Agent', 'Bob Broker', 'cid']);
    expect(rows[0]).toEqual({ agentId: 'ann', name: 'Ann Agent', leads: 2, offered: 2, answered: 1, won: 1, missed: 1, answerRate: 0.5, avgAnswerMs: 3_000, inboundOffered: 1, inboundAnswered: 1, outboundCalls: 0, talkSeconds: 180 });
    // Bob's first leg was cancelled (Ann took the lead while it rang): no miss.
    expect(rows[1]).toMatchObject({ offered: 2, answered: 1, won: 1, missed: 0, avgAnswerMs: 5_000, talkSeconds: 0 });
    expect(agentFigures(week, { campaignIds: new Set(['c1']) }, new Map()).find((r) => r.agentId === 'ann')).toMatchObject({ inboundOffered: 0, talkSeconds: 120 });
  });

  it('sums caller ID numbers per area code', () => {
    const l = localPresenceFigures(week, {});
    expect(l.numbers).toEqual([
      { number: '+15125550101', reason: 'local_presence', calls: 2, answered: 1, answerRate: 0.5, talkSeconds: 120, recentCalls: 0, recentAnswerRate: null, earlierCalls: 2, earlierAnswerRate: 0.5, dropped: false },
    ]);
    expect(l.areaCodes.map((a) => [a.areaCode, a.calls, a.answered])).toEqual([['512', 1, 1], ['737', 1, 0]]);
    expect(l.byDay).toEqual([{ day: '2025-03-03', number: '+15125550101', calls: 2, answered: 1, answerRate: 0.5 }]);
  });
});

describe('a caller ID number that stopped getting answered', () => {
  // 20 days of 10 calls a day from +15125550102: 6 answered a day for 13 days, then 1 a day.
  const calls: CallFact[] = [];
  for (let d = 0; d < 20; d++) {
    for (let i = 0; i < 10; i++) {
      const start = ms(`2025-04-${String(d + 1).padStart(2, '0')}T15:00:00Z`) + i * 60_000;
      const answered = i < (d < 13 ? 6 : 1);
      calls.push(aCall({ startedAt: start, purpose: 'borrower', answeredAt: answered ? start + 5_000 : null, result: answered ? 'completed' : 'no_answer', fromNumber: '+15125550102', toNumber: '+15125558888', callerIdReason: 'local_presence' }));
    }
  }
  const period = days(NY, [], calls);

  it('stands out: answered less than half as often in the last 7 days', () => {
    const [row] = localPresenceFigures(period, {}).numbers;
    expect(row).toMatchObject({ calls: 200, answered: 85, recentCalls: 70, recentAnswerRate: 0.1, earlierCalls: 130, earlierAnswerRate: 0.6, dropped: true });
  });

  it('does not stand out on a period shorter than the comparison', () => {
    expect(localPresenceFigures(period.slice(0, 7), {}).numbers[0].dropped).toBe(false);
  });
});
