// When a telemarketing call may reach a borrower, per US state: the calling hours by day of the
// week, whether legal holidays are off-limits, and the most calls one number may get in a period.
// One row per state, DC and territory (US_STATES). A state with no stricter law of its own has the
// federal rule: 8 a.m. to 9 p.m. at the called party's location, every day (47 C.F.R.
// § 64.1200(c)(1), TCPA).
//
// Compiled 2026-12-03 from the statutes named on each row and checked against three practitioner
// compilations: Drop Cowboy, "State Calling Restrictions Guide" (updated 2025-11-01); ClickPoint
// Software, "Telemarketing Calling Restrictions & Hours by State" (reviewed 2025-07); DNC.com,
// "Restricted Call Dates" (2023–2025). Where they differ the stricter reading is kept (noted on the
// row). This is not legal advice: laws change and have exemptions (consent, established business
// relationships) that Leadline does not judge. docs/compliance.md says how to get a row changed.

/** `HH:MM`–`HH:MM` local time, end excluded; null = no calls that day. */
export type DayHours = readonly [start: string, end: string] | null;

export interface StateCallingRuleRow {
  /** Monday to Friday. */
  weekdays: DayHours;
  saturday: DayHours;
  sunday: DayHours;
  /** No calls on the legal holidays of federal law (observed dates included), see holidays.util. */
  noCallsOnHolidays: boolean;
  /** At most `count` calls to one number within any `hours` hours. */
  maxCalls: { count: number; hours: number } | null;
  /** The law the row comes from. */
  law: string;
  /** Where the compilations disagree or a limit of ours applies. */
  note?: string;
}

export const CALLING_RULES_COMPILED_ON = '2026-12-03';

const FEDERAL_LAW = '47 C.F.R. § 64.1200(c)(1) (TCPA)';
const FEDERAL: StateCallingRuleRow = { weekdays: ['08:00', '21:00'], saturday: ['08:00', '21:00'], sunday: ['08:00', '21:00'], noCallsOnHolidays: false, maxCalls: null, law: FEDERAL_LAW };
const every = (hours: DayHours, law: string, more: Partial<StateCallingRuleRow> = {}): StateCallingRuleRow => ({
  weekdays: hours,
  saturday: hours,
  sunday: hours,
  noCallsOnHolidays: false,
  maxCalls: null,
  law,
  ...more,
});
const THREE_A_DAY = { count: 3, hours: 24 };

export const STATE_CALLING_RULE_ROWS: Readonly<Record<string, StateCallingRuleRow>> = {
  AL: { weekdays: ['08:00', '20:00'], saturday: ['08:00', '20:00'], sunday: null, noCallsOnHolidays: true, maxCalls: null, law: 'Ala. Admin. Code r. 770-X-6 (PSC telephone solicitation rules); holidays Ala. Code § 1-3-8' },
  AK: FEDERAL,
  AZ: FEDERAL,
  AR: FEDERAL,
  CA: FEDERAL,
  CO: FEDERAL,
  CT: every(['09:00', '20:00'], 'Conn. Gen. Stat. § 42-288a'),
  DE: FEDERAL,
  DC: FEDERAL,
  FL: every(['08:00', '20:00'], 'Fla. Stat. § 501.616(6)', { maxCalls: THREE_A_DAY, note: 'at most 3 calls in 24 hours on the same subject, whatever number they come from' }),
  GA: FEDERAL,
  HI: FEDERAL,
  ID: FEDERAL,
  IL: FEDERAL,
  IN: FEDERAL,
  IA: FEDERAL,
  KS: FEDERAL,
  KY: every(['10:00', '21:00'], 'Ky. Rev. Stat. § 367.46955(15)'),
  LA: { weekdays: ['08:00', '20:00'], saturday: ['08:00', '20:00'], sunday: null, noCallsOnHolidays: true, maxCalls: null, law: 'La. R.S. 45:811; LPSC General Order R-29617 § V(A)', note: 'the PSC also closes days the governor proclaims (e.g. the day after Christmas): not in this table' },
  ME: FEDERAL,
  MD: every(['08:00', '20:00'], 'Md. Code, Com. Law § 14-4503 (Stop the Spam Calls Act of 2023)', { maxCalls: THREE_A_DAY }),
  MA: every(['08:00', '20:00'], 'Mass. Gen. Laws ch. 159C; 201 CMR 12.02'),
  MI: every(['09:00', '21:00'], 'Mich. Comp. Laws § 445.111b'),
  MN: every(['09:00', '21:00'], 'Minn. Stat. § 325E.27'),
  MS: { weekdays: ['08:00', '20:00'], saturday: ['08:00', '20:00'], sunday: null, noCallsOnHolidays: true, maxCalls: null, law: 'Miss. Code Ann. § 77-3-725; holidays § 3-3-7', note: 'one compilation lists no holiday rule: the stricter reading is kept' },
  MO: FEDERAL,
  MT: FEDERAL,
  NE: FEDERAL,
  NV: every(['09:00', '20:00'], 'Nev. Rev. Stat. § 228.590'),
  NH: FEDERAL,
  NJ: FEDERAL,
  NM: every(['09:00', '21:00'], 'N.M. Stat. § 57-12-22'),
  NY: FEDERAL,
  NC: FEDERAL,
  ND: FEDERAL,
  OH: FEDERAL,
  OK: every(['08:00', '20:00'], 'Okla. Stat. tit. 15, § 775C.4 (Telephone Solicitation Act of 2022)', { maxCalls: THREE_A_DAY }),
  OR: FEDERAL,
  PA: { weekdays: ['08:00', '21:00'], saturday: ['08:00', '21:00'], sunday: ['13:30', '21:00'], noCallsOnHolidays: true, maxCalls: null, law: '73 P.S. § 2245.2 (Telemarketer Registration Act)', note: 'compilations differ on Sunday hours: the stricter 13:30 start is kept' },
  RI: { weekdays: ['09:00', '18:00'], saturday: ['10:00', '17:00'], sunday: null, noCallsOnHolidays: true, maxCalls: null, law: 'R.I. Gen. Laws § 5-61-3.5' },
  SC: FEDERAL,
  SD: FEDERAL,
  TN: FEDERAL,
  TX: { weekdays: ['09:00', '21:00'], saturday: ['09:00', '21:00'], sunday: ['12:00', '21:00'], noCallsOnHolidays: false, maxCalls: null, law: 'Tex. Bus. & Com. Code § 301.051' },
  UT: { weekdays: ['08:00', '21:00'], saturday: ['08:00', '21:00'], sunday: null, noCallsOnHolidays: true, maxCalls: null, law: 'Utah Code § 13-26-5 (Telephone Fraud Prevention Act)' },
  VT: FEDERAL,
  VA: FEDERAL,
  WA: every(['08:00', '20:00'], 'Wash. Rev. Code § 80.36.390'),
  WV: FEDERAL,
  WI: FEDERAL,
  WY: FEDERAL,
  PR: FEDERAL,
  VI: FEDERAL,
  GU: FEDERAL,
  AS: FEDERAL,
  MP: FEDERAL,
};

/** The federal rule, for a borrower whose state is unknown (and the rows above that have no law of their own). */
export const FEDERAL_CALLING_RULE_ROW: StateCallingRuleRow = FEDERAL;

/**
 * Canada (a borrower reached by a Canadian area code): the CRTC Unsolicited Telecommunications
 * Rules, Telemarketing Rules Part III, rule 6: 9:00–21:30 on weekdays, 10:00–18:00 on weekends.
 */
export const CANADA_CALLING_RULE_ROW: StateCallingRuleRow = {
  weekdays: ['09:00', '21:30'],
  saturday: ['10:00', '18:00'],
  sunday: ['10:00', '18:00'],
  noCallsOnHolidays: false,
  maxCalls: null,
  law: 'CRTC Unsolicited Telecommunications Rules, Part III, rule 6',
};
