// Users through the REST API.
import { EntityManager } from '@mikro-orm/core';
import { TokenService } from '../../apps/server/src/auth/token.service';
import { Org, User } from '../../apps/server/src/database/entities';
import type { ApiClient, TestServer } from '../harness/server';

export type Role = 'admin' | 'manager' | 'agent';

export interface UserView {
  id: string;
  name: string;
  email: string;
  role: Role;
  workPhoneType: string | null;
  workPhone: string | null;
  sipUsername: string | null;
  callsOn: boolean;
  loggedIn: boolean;
  showIncomingCallDetails: boolean;
  provisioning?: 'pending';
  sipAccount?: { server: string; port: number; transport: string; username: string; password?: string };
  [more: string]: unknown;
}

/** A created user plus the clear password it was created with. */
export type CreatedUser = UserView & { password: string };

let userCounter = 0;

/** A user body with a unique email and a valid password; role agent by default. */
export function aUser(overrides: Record<string, unknown> = {}): Record<string, unknown> & { email: string; password: string } {
  const n = ++userCounter;
  const role = (overrides.role as string | undefined) ?? 'agent';
  return {
    name: `${role[0].toUpperCase()}${role.slice(1)} ${n}`,
    email: `${role}${n}.${Date.now().toString(36)}@it.test`,
    role,
    password: `it-password-${n}-${Math.random().toString(36).slice(2, 8)}`,
    ...overrides,
  } as Record<string, unknown> & { email: string; password: string };
}

/** Creates a user (as an admin) and returns its view with the password. */
export async function createUser(server: ApiClient, token: string, overrides: Record<string, unknown> = {}): Promise<CreatedUser> {
  const body = aUser(overrides);
  const res = await server.request('POST', '/api/users', { token, body });
  if (res.status !== 201) throw new Error(`POST /api/users: ${res.status} ${JSON.stringify(res.body)}`);
  return { ...(res.body as UserView), password: body.password };
}

/** Logs a created user in; returns the bearer token. */
export function loginAs(server: ApiClient, user: Pick<CreatedUser, 'email' | 'password'>): Promise<string> {
  return server.login(user.email, user.password);
}

/**
 * A user's bearer token as a login issues it, from the server's own token service without the
 * password check: for specs that need many logged-in users, where one (deliberately slow) argon2
 * check each would be most of their time. Logging in itself: auth-roles.spec.ts.
 */
export async function issueToken(server: TestServer, userId: string): Promise<string> {
  const user = await server.app.get(EntityManager).fork().findOneOrFail(User, { id: userId });
  return server.app.get(TokenService).issue({ sub: user.id, org: user.org.id, role: user.role });
}

/** Moves a created user into a second org of their own (written straight to the database: the API makes one org). */
export async function moveToNewOrg(server: TestServer, userId: string, orgName = 'Other Lending'): Promise<string> {
  const em = server.app.get(EntityManager).fork();
  const org = new Org();
  org.name = orgName;
  await em.persistAndFlush(org);
  await em.nativeUpdate(User, { id: userId }, { org: org.id });
  return org.id;
}
