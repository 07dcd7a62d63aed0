import { EntityManager, UniqueConstraintViolationException } from '@mikro-orm/knex';
import { Injectable } from '@nestjs/common';
import { AuthUser } from '../auth/auth-user';
import { Org, User } from '../database/entities';
import { PreparedSql, preparedSql } from '../database/prepared-sql';
import { presenceFromRow, PresenceRow, presenceSql, PresenceSqlRow } from './presence-row.sql';
import type { Page } from '@leadline/contracts';
export type { Page };

@Injectable()
export class UserRepository {
  /**
   * Presence is recomputed on every change of an agent's line (twice per ring-all leg): plain SQL,
   * nothing hydrated (docs/benchmarks.md, "Ring All: ARI's password check").
   */
  private readonly reader: PreparedSql;
  private readonly presenceSql: { user: string; org: string };

  constructor(private readonly em: EntityManager) {
    this.reader = preparedSql(em, 'users');
    this.presenceSql = { user: presenceSql(this.reader.dialect, 'user'), org: presenceSql(this.reader.dialect, 'org') };
  }

  async findAuthUser(id: string): Promise<AuthUser | null> {
    const user = await this.em.findOne(User, { id }, { fields: ['id', 'org', 'role', 'email'] });
    return user ? { id: user.id, orgId: user.org.id, role: user.role, email: user.email } : null;
  }

  async findForLogin(email: string): Promise<{ user: User; passwordHash: string } | null> {
    const user = await this.em.findOne(User, { email }, { populate: ['passwordHash'] });
    return user ? { user, passwordHash: user.passwordHash } : null;
  }

  get(orgId: string, id: string): Promise<User | null> {
    return this.em.findOne(User, { id, org: orgId });
  }

  emailTaken(email: string, exceptId?: string): Promise<number> {
    return this.em.count(User, { email, ...(exceptId ? { id: { $ne: exceptId } } : {}) });
  }

  /** The extensions an org's users have. */
  async extensions(orgId: string): Promise<string[]> {
    // A fork: read what is committed, without flushing a new user whose insert was just refused.
    const rows = await this.em.fork().find(User, { org: orgId, extension: { $ne: null } }, { fields: ['extension'] });
    return rows.map((u) => u.extension!);
  }

  extensionTaken(orgId: string, extension: string, exceptId?: string): Promise<User | null> {
    return this.em.findOne(User, { org: orgId, extension, ...(exceptId ? { id: { $ne: exceptId } } : {}) });
  }

  /** A user by id, outside requests. */
  byId(id: string): Promise<User | null> {
    return this.em.fork().findOne(User, { id });
  }

  /** The user whose desk phone is this PJSIP endpoint (runs outside requests). */
  bySipUsername(sipUsername: string): Promise<User | null> {
    return this.em.fork().findOne(User, { sipUsername });
  }

  /** The user of an org with this extension (runs outside requests). */
  byExtension(orgId: string, extension: string): Promise<User | null> {
    return this.em.fork().findOne(User, { org: orgId, extension });
  }

  /** A user with the encrypted SIP password loaded, for a provisioning file. */
  withSipPassword(orgId: string, id: string): Promise<User | null> {
    return this.em.findOne(User, { id, org: orgId }, { populate: ['sipPasswordEnc'] });
  }

  sipUsernameTaken(sipUsername: string): Promise<number> {
    return this.em.count(User, { sipUsername });
  }

  async list(orgId: string, page: number, pageSize: number): Promise<Page<User>> {
    const [items, total] = await this.em.findAndCount(User, { org: orgId }, { orderBy: { name: 'asc', id: 'asc' }, limit: pageSize, offset: (page - 1) * pageSize });
    return { items, total, page, pageSize };
  }

  /** The org's users as the directory shows them: id, name and extension only, by name. */
  async directory(orgId: string): Promise<{ id: string; name: string; extension: string | null }[]> {
    const rows = await this.em.fork().find(User, { org: orgId }, { fields: ['id', 'name', 'extension'], orderBy: { name: 'asc', id: 'asc' } });
    return rows.map((u) => ({ id: u.id, name: u.name, extension: u.extension ?? null }));
  }

  /** Every user with a PJSIP endpoint, with its secret, for re-syncing Asterisk (runs outside requests). */
  withDeskPhones(): Promise<User[]> {
    return this.em.fork().find(User, { sipUsername: { $ne: null } }, { populate: ['sipMd5Cred'] });
  }

  /** What presence is derived from, for one user or a whole org (runs outside requests). */
  async presenceRows(filter: { userId: string } | { orgId: string }): Promise<PresenceRow[]> {
    const rows = 'userId' in filter ? await this.reader.all<PresenceSqlRow>('presence_user', this.presenceSql.user, [filter.userId]) : await this.reader.all<PresenceSqlRow>('presence_org', this.presenceSql.org, [filter.orgId]);
    return rows.map(presenceFromRow);
  }

  /** First start only (runs outside requests). */
  async hasAnyOrg(): Promise<boolean> {
    return (await this.em.fork().count(Org, {})) > 0;
  }

  /** First start only: the org and its first admin in one transaction. */
  async createOrgWithAdmin(org: Org, admin: User): Promise<void> {
    await this.em.fork().transactional(async (em) => {
      em.persist([org, admin]);
    });
  }

  orgRef(orgId: string): Org {
    return this.em.getReference(Org, orgId);
  }

  /**
   * Inserts a new user; null, or which unique value another user took first (nothing saved). A
   * native insert outside the unit of work, so a refused insert leaves nothing in it for the retry.
   */
  async insertNew(user: User): Promise<'extension' | 'email' | null> {
    try {
      await this.em.insert(user);
      return null;
    } catch (err) {
      if (!(err instanceof UniqueConstraintViolationException)) throw err;
      if (err.message.includes('extension')) return 'extension';
      if (err.message.includes('email')) return 'email';
      throw err;
    }
  }

  async save(...entities: object[]): Promise<void> {
    for (const e of entities) this.em.persist(e);
    await this.em.flush();
  }

  async remove(user: User): Promise<void> {
    await this.em.removeAndFlush(user);
  }
}
