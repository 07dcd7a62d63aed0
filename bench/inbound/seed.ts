// Fills the stopped server's SQLite file with an org's worth of data in one transaction, with
// better-sqlite3 and the columns of the initial migration: users (most logged out, some logged in
// and available, licensed anywhere but the routed state), and prospects with their normalised
// phones (`prospect_phone`) and one application each. Creating them through the REST API would
// take hours (argon2 per user). Returns the callers the bench dials and what each must match.
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { LOAN_PURPOSES, normalizePhone, US_STATES } from '@leadline/domain';
import areaCodes from '../../libs/domain/src/data/nanp-area-codes.json';

/** What a caller's number finds in the database, i.e. which routing rule the call exercises. */
export type CallerKind = 'lead-state' | 'repeat-lead' | 'lead-no-state' | 'no-lead';

export const CALLER_KINDS: CallerKind[] = ['lead-state', 'repeat-lead', 'lead-no-state', 'no-lead'];

export const KIND_DESCRIPTION: Record<CallerKind, string> = {
  'lead-state': 'matches one lead with an application and property state TX → TX by the lead',
  'repeat-lead': 'matches two leads (two campaigns); the most recent application has property state TX → TX by the lead',
  'lead-no-state': 'matches one lead without a property state; Texas area code → TX by the area code',
  'no-lead': 'matches nothing; Texas area code → TX by the area code',
};

export interface Caller {
  kind: CallerKind;
  phone: string;
  /** The prospect InboundRepository.matchLead must return (null: no match). */
  prospectId: string | null;
}

export interface SeedOptions {
  dbFile: string;
  /** Users in the database when done (the ones already there count). */
  users: number;
  applications: number;
  /** Share of the added users logged in (0..1); 90 % of those have calls on. */
  loggedInShare: number;
  /** The state the measured calls route to: the seeded users hold every licence but this one. */
  routedState: string;
  /** Callers kept per kind. */
  callersPerKind: number;
  seed: number;
}

export interface SeedResult {
  orgId: string;
  users: number;
  addedUsers: number;
  loggedIn: number;
  /** Logged in, calls on, not on a call: what InboundRepository.available returns. */
  available: number;
  campaigns: number;
  prospects: number;
  phones: number;
  applications: number;
  /** Phones shared by two prospects (repeat leads in another campaign). */
  repeatPhones: number;
  callers: Record<CallerKind, Caller[]>;
  ms: number;
  dbBytes: number;
}

/** mulberry32: a small seeded PRNG, so every run seeds the same data. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = ['Ada', 'Ben', 'Carla', 'Dev', 'Elena', 'Frank', 'Gia', 'Hugo', 'Iris', 'Jon', 'Kim', 'Luis', 'Mia', 'Nora', 'Omar', 'Pia'];
const LAST = ['Garcia', 'Smith', 'Nguyen', 'Johnson', 'Brown', 'Lee', 'Patel', 'Miller', 'Davis', 'Lopez', 'Wilson', 'Clark'];
const PROVIDERS = ['LendingTree', 'Zillow', 'Bankrate', 'Facebook', 'Website', null];
const VIA = ['ring_all', 'distribute_all', 'manual', 'default_agent'] as const;
const DAY = 86_400_000;

export function seedDatabase(opts: SeedOptions): SeedResult {
  const started = Date.now();
  const rnd = prng(opts.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const codes: Record<string, string> = areaCodes.codes;
  const usStates = new Set<string>(US_STATES);
  const usAreaCodes = Object.keys(codes).filter((c) => usStates.has(codes[c]));
  const routedAreaCodes = usAreaCodes.filter((c) => codes[c] === opts.routedState);
  if (!routedAreaCodes.length) throw new Error(`no area code for ${opts.routedState}`);
  const licenceStates = US_STATES.filter((s) => s !== opts.routedState);
  const propertyStates = US_STATES.filter((s) => !['PR', 'VI', 'GU', 'AS', 'MP'].includes(s));

  // Distinct numbers the server's own normaliser keeps as they are (what prospect_phone holds).
  const used = new Set<string>();
  const newPhone = (areaCodesToUse: readonly string[]): string => {
    for (;;) {
      const exchange = 200 + Math.floor(rnd() * 800);
      if (exchange % 100 === 11 || exchange === 555) continue;
      const phone = `+1${pick(areaCodesToUse)}${exchange}${String(Math.floor(rnd() * 10_000)).padStart(4, '0')}`;
      if (used.has(phone) || normalizePhone(phone) !== phone) continue;
      used.add(phone);
      return phone;
    }
  };

  const db = new Database(opts.dbFile, { fileMustExist: true });
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  try {
    const org = db.prepare('select id from org order by created_at limit 1').get() as { id: string } | undefined;
    if (!org) throw new Error('the server created no org');
    const orgId = org.id;
    const existingUsers = (db.prepare('select id from app_user').all() as { id: string }[]).map((r) => r.id);
    const now = Date.now();

    const insertCampaign = db.prepare(
      `insert into campaign (id, org_id, name, description, lead_provider, distribution_type, distribution_group_id, default_agent_id, ring_timeout_seconds, offer_timeout_seconds, api_key, created_at, updated_at)
       values (?, ?, ?, null, ?, ?, null, null, 30, 60, ?, ?, ?)`,
    );
    const insertUser = db.prepare(
      `insert into app_user (id, org_id, name, email, role, password_hash, work_phone_type, work_phone, sip_username, sip_md5cred, caller_id, state_licences, filter_loan_purposes, filter_loan_amount_min, filter_loan_amount_max, filter_lead_providers, calls_on, logged_in, show_incoming_call_details, on_call_since, last_call_ended_at, created_at, updated_at)
       values (?, ?, ?, ?, ?, ?, 'external', ?, null, null, ?, ?, '[]', null, null, '[]', ?, ?, 1, null, ?, ?, ?)`,
    );
    const insertProspect = db.prepare(
      `insert into prospect (id, org_id, campaign_id, first_name, last_name, mobile_phone, home_phone, work_phone, email, property_state, loan_purpose, loan_amount, lead_provider, extra, status, ignored, ignored_at, failure_reason, failure_detail, distribution_started_at, first_ring_at, taken_at, borrower_answered_at, created_at, updated_at)
       values (?, ?, ?, ?, ?, ?, ?, null, ?, ?, ?, ?, ?, '{}', 'assigned', 0, null, null, null, ?, ?, ?, null, ?, ?)`,
    );
    const insertPhone = db.prepare('insert into prospect_phone (id, campaign_id, phone, prospect_id) values (?, ?, ?, ?)');
    const insertApplication = db.prepare('insert into application (id, prospect_id, primary_agent_id, via, assigned_by_id, created_at) values (?, ?, ?, ?, null, ?)');

    const campaignIds: string[] = [];
    const addedUsers = Math.max(0, opts.users - existingUsers.length);
    let repeatPhones = 0;
    // Per prospect, what matching needs: its phones' campaign, state, application time.
    const prospects: { id: string; campaign: number; state: string | null; appAt: number; mobile: string }[] = [];
    const byPhone = new Map<string, number[]>();

    db.transaction(() => {
      for (let c = 0; c < 5; c++) {
        const id = randomUUID();
        campaignIds.push(id);
        insertCampaign.run(id, orgId, `Seeded campaign ${c + 1}`, pick(PROVIDERS), c % 2 ? 'ring_all' : 'distribute_all', randomUUID().replace(/-/g, ''), now - 400 * DAY, now - 400 * DAY);
      }

      const agentIds = [...existingUsers];
      for (let i = 0; i < addedUsers; i++) {
        const id = randomUUID();
        agentIds.push(id);
        const isIn = rnd() < opts.loggedInShare;
        const callsOn = isIn ? rnd() < 0.9 : rnd() < 0.5;
        const licences = new Set<string>();
        const n = 1 + Math.floor(rnd() * 6);
        while (licences.size < n) licences.add(pick(licenceStates));
        const createdAt = now - Math.floor(rnd() * 700 * DAY);
        insertUser.run(
          id,
          orgId,
          `${pick(FIRST)} ${pick(LAST)} ${i}`,
          `seeded-${i}@bench.test`,
          i % 50 === 0 ? 'manager' : 'agent',
          // Never logs in: any non-empty string stands for the argon2 hash.
          'seeded-user-no-login',
          newPhone(usAreaCodes),
          newPhone(usAreaCodes),
          JSON.stringify([...licences]),
          callsOn ? 1 : 0,
          isIn ? 1 : 0,
          isIn ? now - Math.floor(rnd() * 4 * 3_600_000) : null,
          createdAt,
          createdAt,
        );
      }

      for (let i = 0; i < opts.applications; i++) {
        const id = randomUUID();
        const createdAt = now - Math.floor(rnd() * 365 * DAY);
        const state = rnd() < 0.15 ? null : pick(propertyStates);
        let campaign = Math.floor(rnd() * campaignIds.length);
        // 5 %: the same borrower again through another campaign (a repeat lead: two prospects share the phone).
        let mobile: string | undefined;
        if (i > 100 && rnd() < 0.05) {
          const earlier = prospects[Math.floor(rnd() * prospects.length)];
          if ((byPhone.get(earlier.mobile)?.length ?? 0) === 1) {
            mobile = earlier.mobile;
            if (campaign === earlier.campaign) campaign = (campaign + 1) % campaignIds.length;
            repeatPhones++;
          }
        }
        // Leads without a property state get numbers from anywhere, Texas included, like the rest.
        mobile ??= newPhone(usAreaCodes);
        const home = rnd() < 0.2 ? newPhone(usAreaCodes) : null;
        const first = pick(FIRST);
        const last = pick(LAST);
        const appAt = createdAt + 5_000 + Math.floor(rnd() * 60_000);
        insertProspect.run(
          id,
          orgId,
          campaignIds[campaign],
          first,
          last,
          mobile,
          home,
          `${first.toLowerCase()}.${last.toLowerCase()}.${i}@example.com`,
          state,
          pick(LOAN_PURPOSES),
          50_000 + Math.floor(rnd() * 95) * 10_000,
          pick(PROVIDERS),
          createdAt + 20,
          createdAt + 120,
          appAt,
          createdAt,
          appAt,
        );
        for (const phone of home ? [mobile, home] : [mobile]) {
          insertPhone.run(randomUUID(), campaignIds[campaign], phone, id);
          byPhone.set(phone, [...(byPhone.get(phone) ?? []), prospects.length]);
        }
        insertApplication.run(randomUUID(), id, pick(agentIds), pick(VIA), appAt);
        prospects.push({ id, campaign, state, appAt, mobile });
      }
    })();
    db.pragma('wal_checkpoint(TRUNCATE)');

    // The callers, and the prospect matchLead must find for each (its most recent application).
    const callers: Record<CallerKind, Caller[]> = { 'lead-state': [], 'repeat-lead': [], 'lead-no-state': [], 'no-lead': [] };
    const keep = (c: Caller) => {
      if (callers[c.kind].length < opts.callersPerKind) callers[c.kind].push(c);
    };
    for (const [phone, idx] of byPhone) {
      const chosen = idx.map((i) => prospects[i]).sort((a, b) => b.appAt - a.appAt)[0];
      if (idx.length > 1 && chosen.state === opts.routedState) keep({ kind: 'repeat-lead', phone, prospectId: chosen.id });
      else if (idx.length === 1 && chosen.state === opts.routedState) keep({ kind: 'lead-state', phone, prospectId: chosen.id });
      else if (idx.length === 1 && chosen.state === null && codes[phone.slice(2, 5)] === opts.routedState) keep({ kind: 'lead-no-state', phone, prospectId: chosen.id });
    }
    for (let i = 0; i < opts.callersPerKind; i++) keep({ kind: 'no-lead', phone: newPhone(routedAreaCodes), prospectId: null });
    for (const kind of CALLER_KINDS) if (!callers[kind].length) throw new Error(`seeding gave no "${kind}" caller (too few applications?)`);

    const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    const pageCount = db.pragma('page_count', { simple: true }) as number;
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    return {
      orgId,
      users: count('select count(*) as n from app_user'),
      addedUsers,
      loggedIn: count('select count(*) as n from app_user where logged_in = 1'),
      available: count('select count(*) as n from app_user where logged_in = 1 and calls_on = 1 and on_call_since is null'),
      campaigns: count('select count(*) as n from campaign'),
      prospects: count('select count(*) as n from prospect'),
      phones: count('select count(*) as n from prospect_phone'),
      applications: count('select count(*) as n from application'),
      repeatPhones,
      callers,
      ms: Date.now() - started,
      dbBytes: pageCount * pageSize,
    };
  } finally {
    db.close();
  }
}
