import type { UsState } from '@leadline/domain';
import type { User } from '../database/entities';
import { dateColumn, jsonColumn } from '../database/prepared-sql';

// What every plain-SQL call path (a ring-all round's start, inbound routing) reads of an agent it
// may ring, and how those columns come back from each database. No database access here.

/** The columns, of `app_user` aliased `u`; a path adds its own after them. */
export const RINGABLE_USER_COLUMNS = 'u.id, u.name, u.extension, u.work_phone_type, u.work_phone, u.sip_username, u.logged_in, u.calls_on, u.on_call_since, u.state_licences, u.last_call_ended_at';

export type RingableUser = Pick<User, 'id' | 'name' | 'extension' | 'workPhoneType' | 'workPhone' | 'sipUsername' | 'loggedIn' | 'callsOn' | 'onCallSince' | 'stateLicences' | 'lastCallEndedAt'>;

export interface RingableUserRow {
  id: string;
  name: string;
  extension: string | null;
  work_phone_type: User['workPhoneType'];
  work_phone: string | null;
  sip_username: string | null;
  /** 0/1 on SQLite, booleans on PostgreSQL. */
  logged_in: number | boolean;
  calls_on: number | boolean;
  /** Epoch milliseconds on SQLite (MikroORM's datetime there), Date on PostgreSQL. */
  on_call_since: number | string | Date | null;
  /** JSON text on SQLite, parsed on PostgreSQL (jsonb). */
  state_licences: string | UsState[];
  last_call_ended_at: number | string | Date | null;
}

export function ringableUserFromRow(r: RingableUserRow): RingableUser {
  return {
    id: r.id,
    name: r.name,
    extension: r.extension,
    workPhoneType: r.work_phone_type,
    workPhone: r.work_phone,
    sipUsername: r.sip_username,
    loggedIn: !!r.logged_in,
    callsOn: !!r.calls_on,
    onCallSince: dateColumn(r.on_call_since),
    stateLicences: jsonColumn<UsState[]>(r.state_licences),
    lastCallEndedAt: dateColumn(r.last_call_ended_at),
  };
}
