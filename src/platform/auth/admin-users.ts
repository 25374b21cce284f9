import type { Actor } from '../audit/actor.ts';
import { recordAudit } from '../audit/admin-audit.ts';
import type { Database, Queryable } from '../db/database.ts';
import { ApiError } from '../http/api-error.ts';
import { errors } from '../http/errors.ts';
import type { ColumnField } from '../list/field-paths.ts';
import type { ListQuery, Page } from '../list/paging.ts';
import { pageColumnTable } from '../list/column-page.ts';
import { hashSecret } from './passwords.ts';
import { tokenCacheOf } from './token-cache.ts';
import { revokeUserTokens } from './tokens.ts';

export const ADMIN_FLAGS = [
  'is_enabled',
  'is_account_non_locked',
  'is_account_non_expired',
  'is_credentials_non_expired',
  'is_2fa',
  'is_2fa_verified',
] as const;

export type AdminFlag = (typeof ADMIN_FLAGS)[number];

/** An admin user as the API shows it (Hydrogen's AdminClient), never with its password. */
export interface AdminUser extends Record<AdminFlag, boolean> {
  id: number;
  username: string;
  /** Comma-separated, as Hydrogen's AdminClient carries them. */
  authorities: string;
  /** The tenant's name. */
  tenant: string;
  create_date: string;
  update_date: string;
}

/** What a login needs to know about an admin user. */
export interface AdminLogin {
  id: string;
  passwordHash: string;
  authorities: string[];
  /** False when any of the account flags bars a login. */
  canLogIn: boolean;
  /** is_2fa: a password alone does not log this user in (mfa/). */
  requiresSecondFactor: boolean;
}

export interface AdminUserChanges extends Partial<Record<AdminFlag, boolean>> {
  username?: string;
  /** In clear text; stored only as its bcrypt hash. */
  password?: string;
  authorities?: string[];
}

interface Row extends Record<AdminFlag, boolean> {
  id: string;
  username: string;
  password_hash: string;
  authorities: string[];
  tenant: string;
  create_date: Date | string;
  update_date: Date | string;
}

const SELECT = `SELECT id, username, password_hash, authorities, ${ADMIN_FLAGS.join(', ')}, create_date, update_date,
  (SELECT name FROM tenant WHERE tenant.id = admin_user.tenant_id) AS tenant FROM admin_user`;

/** What filter and order_by may name; the table has typed columns, not an entity document. */
const COLUMNS: Record<string, ColumnField> = {
  id: { column: 'id', kind: 'number' },
  username: { column: 'username', kind: 'string' },
  authorities: { column: "array_to_string(authorities, ',')", kind: 'string' },
  ...Object.fromEntries(ADMIN_FLAGS.map((flag) => [flag, { column: flag, kind: 'boolean' as const }])),
  create_date: { column: 'create_date', kind: 'date-time' },
  update_date: { column: 'update_date', kind: 'date-time' },
};

function iso(value: Date | string): string {
  return new Date(value).toISOString();
}

function canLogIn(row: Row): boolean {
  return row.is_enabled && row.is_account_non_locked && row.is_account_non_expired && row.is_credentials_non_expired;
}

function flagsOf(user: Record<AdminFlag, boolean>): Record<AdminFlag, boolean> {
  return Object.fromEntries(ADMIN_FLAGS.map((flag) => [flag, user[flag]])) as Record<AdminFlag, boolean>;
}

function serialize(row: Row): AdminUser {
  return {
    // bigint arrives as text; ids stay far below 2^53.
    id: Number(row.id),
    username: row.username,
    authorities: row.authorities.join(','),
    tenant: row.tenant,
    ...flagsOf(row),
    create_date: iso(row.create_date),
    update_date: iso(row.update_date),
  };
}

function duplicateUsername(error: unknown): never {
  const e = error as { code?: string; constraint?: string };
  if (e.code === '23505' && e.constraint === 'admin_user_username_key') {
    throw errors.duplicate({ reason: 'Another admin user of this tenant already has this username', field: 'username' });
  }
  throw error;
}

function notFound(id: string): ApiError {
  return errors.notFound({ reason: `No admin user with id ${id}` });
}

/** Admin ids are integers that fit a bigint; anything else simply names no admin user. */
function validId(id: string): boolean {
  return /^\d{1,18}$/.test(id);
}

export async function createAdminUser(
  db: Database,
  tenantId: string,
  input: AdminUserChanges & { username: string; password: string; authorities: string[] },
  actor: Actor,
): Promise<AdminUser> {
  const flags = ADMIN_FLAGS.filter((flag) => input[flag] !== undefined);
  const values = [tenantId, input.username, await hashSecret(input.password), input.authorities, ...flags.map((f) => input[f])];
  return db.transaction(async (tx) => {
    let created: { id: string }[];
    try {
      created = await tx.query<{ id: string }>(
        `INSERT INTO admin_user (tenant_id, username, password_hash, authorities${flags.map((f) => `, ${f}`).join('')})
         VALUES ($1, $2, $3, $4${flags.map((_, i) => `, $${i + 5}`).join('')}) RETURNING id`,
        values,
      );
    } catch (error) {
      return duplicateUsername(error);
    }
    const user = await getAdminUser(tx, tenantId, String(created[0].id));
    await recordAudit(tx, tenantId, actor, {
      action: 'admin_user_created',
      subject: { adminUserId: String(user.id) },
      details: { username: user.username, authorities: user.authorities.split(','), ...flagsOf(user) },
    });
    return user;
  });
}

async function findRow(db: Queryable, tenantId: string, id: string, lock = false): Promise<Row> {
  if (!validId(id)) throw notFound(id);
  const rows = await db.query<Row>(`${SELECT} WHERE tenant_id = $1 AND id = $2${lock ? ' FOR UPDATE' : ''}`, [tenantId, id]);
  if (!rows[0]) throw notFound(id);
  return rows[0];
}

export async function getAdminUser(db: Queryable, tenantId: string, id: string): Promise<AdminUser> {
  return serialize(await findRow(db, tenantId, id));
}

export function listAdminUsers(db: Queryable, tenantId: string, query: ListQuery): Promise<Page<AdminUser>> {
  return pageColumnTable(db, { select: SELECT, from: 'admin_user', qualifier: '', columns: COLUMNS }, tenantId, query, serialize);
}

/** The fields whose value the change replaced, as from and to; a password is only ever said to have changed. */
function changedFields(before: AdminUser, after: AdminUser, passwordChanged: boolean): Record<string, unknown> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  if (after.username !== before.username) changes.username = { from: before.username, to: after.username };
  if (after.authorities !== before.authorities) changes.authorities = { from: before.authorities.split(','), to: after.authorities.split(',') };
  for (const flag of ADMIN_FLAGS) if (after[flag] !== before[flag]) changes[flag] = { from: before[flag], to: after[flag] };
  return { ...(Object.keys(changes).length > 0 ? { changes } : {}), ...(passwordChanged ? { password_changed: true } : {}) };
}

/**
 * Applies the fields given. A new password, new authorities or an account flag that now bars
 * logging in ends the user's live tokens in the same transaction, which also records what
 * changed as `action`; a change that replaced nothing records nothing.
 */
async function applyChanges(
  db: Database,
  tenantId: string,
  id: string,
  changes: AdminUserChanges,
  actor: Actor,
  action: 'admin_user_updated' | 'admin_user_password_changed',
  allow: (current: AdminUser) => void,
): Promise<AdminUser> {
  const passwordHash = changes.password === undefined ? undefined : await hashSecret(changes.password);
  const tokens = tokenCacheOf(db);
  return db.transaction(async (tx) => {
    const current = serialize(await findRow(tx, tenantId, id, true));
    allow(current);
    const sets: string[] = ['update_date = now()'];
    const values: unknown[] = [tenantId, id];
    const set = (column: string, value: unknown) => {
      values.push(value);
      sets.push(`${column} = $${values.length}`);
    };
    if (changes.username !== undefined) set('username', changes.username);
    if (passwordHash !== undefined) set('password_hash', passwordHash);
    if (changes.authorities !== undefined) set('authorities', changes.authorities);
    for (const flag of ADMIN_FLAGS) if (changes[flag] !== undefined) set(flag, changes[flag]);
    let updated: Row;
    try {
      await tx.query(`UPDATE admin_user SET ${sets.join(', ')} WHERE tenant_id = $1 AND id = $2`, values);
      updated = await findRow(tx, tenantId, id);
    } catch (error) {
      return duplicateUsername(error);
    }
    if (passwordHash !== undefined || changes.authorities !== undefined || !canLogIn(updated)) {
      await revokeUserTokens(tx, tokens, tenantId, { adminUserId: id });
    }
    const user = serialize(updated);
    const details = changedFields(current, user, passwordHash !== undefined);
    if (Object.keys(details).length > 0) await recordAudit(tx, tenantId, actor, { action, subject: { adminUserId: id }, details });
    return user;
  });
}

/** An administrator's change to a user (PUT /admin/v1/client/{id}). */
export function updateAdminUser(
  db: Database,
  tenantId: string,
  id: string,
  changes: AdminUserChanges,
  actor: Actor,
  /** Refuses the change (by throwing) after seeing the user as stored. */
  allow: (current: AdminUser) => void = () => {},
): Promise<AdminUser> {
  return applyChanges(db, tenantId, id, changes, actor, 'admin_user_updated', allow);
}

/** A new password given by someone who proved the current one; it also ends an expiry of the credentials. */
export function changeAdminPassword(db: Database, tenantId: string, id: string, password: string, actor: Actor): Promise<AdminUser> {
  return applyChanges(db, tenantId, id, { password, is_credentials_non_expired: true }, actor, 'admin_user_password_changed', () => {});
}

export async function deleteAdminUser(
  db: Database,
  tenantId: string,
  id: string,
  actor: Actor,
  allow: (current: AdminUser) => void = () => {},
): Promise<void> {
  const tokens = tokenCacheOf(db);
  await db.transaction(async (tx) => {
    const current = serialize(await findRow(tx, tenantId, id, true));
    allow(current);
    await tx.query('DELETE FROM admin_user WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
    await revokeUserTokens(tx, tokens, tenantId, { adminUserId: id });
    await recordAudit(tx, tenantId, actor, {
      action: 'admin_user_deleted',
      subject: { adminUserId: id },
      details: { username: current.username, authorities: current.authorities.split(',') },
    });
  });
}

function loginOf(row: Row | undefined): AdminLogin | undefined {
  return (
    row && {
      id: String(row.id),
      passwordHash: row.password_hash,
      authorities: row.authorities,
      canLogIn: canLogIn(row),
      requiresSecondFactor: row.is_2fa,
    }
  );
}

export async function findAdminLogin(db: Queryable, tenantId: string, username: string): Promise<AdminLogin | undefined> {
  return loginOf((await db.query<Row>(`${SELECT} WHERE tenant_id = $1 AND username = $2`, [tenantId, username]))[0]);
}

/** The user as it stands when a second factor completes its login, which may be minutes after the password. */
export async function findAdminLoginById(db: Queryable, tenantId: string, id: string): Promise<AdminLogin | undefined> {
  return loginOf((await db.query<Row>(`${SELECT} WHERE tenant_id = $1 AND id = $2`, [tenantId, id]))[0]);
}
