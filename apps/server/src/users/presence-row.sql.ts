import type { SqlDialect } from '../database/portable-schema';
import { placeholder as ph } from '../database/prepared-sql';
import type { RingableUserRow } from './ringable-user.sql';

// What an agent's presence is derived from, and the extension their BLF light is published under,
// as plain SQL (UserRepository.presenceRows runs it: on every change of an agent's line). No
// database access here.

export interface PresenceRow {
  id: string;
  orgId: string;
  extension: string | null;
  loggedIn: boolean;
  callsOn: boolean;
  onCall: boolean;
}

/** The same columns as a ringable user's, and they come back the same way from each database. */
export type PresenceSqlRow = Pick<RingableUserRow, 'id' | 'extension' | 'logged_in' | 'calls_on' | 'on_call_since'> & { org_id: string };

const COLUMNS = 'id, org_id, extension, logged_in, calls_on, on_call_since';

/** Param: the user's id, or (`of: 'org'`) the org's. */
export const presenceSql = (dialect: SqlDialect, of: 'user' | 'org') => `select ${COLUMNS} from app_user where ${of === 'user' ? 'id' : 'org_id'} = ${ph(dialect, 1)}`;

export function presenceFromRow(r: PresenceSqlRow): PresenceRow {
  return { id: r.id, orgId: r.org_id, extension: r.extension, loggedIn: !!r.logged_in, callsOn: !!r.calls_on, onCall: r.on_call_since !== null };
}
