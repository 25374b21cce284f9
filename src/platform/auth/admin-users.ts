import type { Database, Queryable } from '../db/database.ts';
import { ApiError } from '../http/api-error.ts';
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

function serialize(row: Row): AdminUser {
  return {
    // bigint arrives as text; ids stay far below 2^53.
    id: Number(row.id),
    username: row.username,
    authorities: row.authorities.join(','),
    tenant: row.tenant,
    ...(Object.fromEntries(ADMIN_FLAGS.map((flag) => [flag, row[flag]])) as Record<AdminFlag, boolean>),
    create_date: iso(row.create_date),
    update_date: iso(row.update_date),
  };
}

function duplicateUsername(error: unknown): never {
  const e = error as { code?: string; constraint?: string };
  if (e.code === '23505' && e.constraint === 'admin_user_username_key') {
    throw new ApiError(409, 'duplicate', 'Another admin user of this tenant already has this username', 'username');
  }
  throw error;
}

function notFound(id: string): ApiError {
  return ApiError.notFound(`No admin user with id ${id}`);
}

/** Admin ids are integers that fit a bigint; anything else simply names no admin user. */
function validId(id: string): boolean {
  return /^\d{1,18}$/.test(id);
}

export async function createAdminUser(
  db: Queryable,
  tenantId: string,
  input: AdminUserChanges & { username: string; password: string; authorities: string[] },
): Promise<AdminUser> {
  const flags = ADMIN_FLAGS.filter((flag) => input[flag] !== undefined);
  const values = [tenantId, input.username, await hashSecret(input.password), input.authorities, ...flags.map((f) => input[f])];
  let created: { id: string }[];
  try {
    created = await db.query<{ id: string }>(
      `INSERT INTO admin_user (tenant_id, username, password_hash, authorities${flags.map((f) => `, ${f}`).join('')})
       VALUES ($1, $2, $3, $4${flags.map((_, i) => `, $${i + 5}`).join('')}) RETURNING id`,
      values,
    );
  } catch (error) {
    return duplicateUsername(error);
  }
  return getAdminUser(db, tenantId, String(created[0].id));
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

/**
 * Applies the fields given. A new password, new authorities or an account flag that now bars
 * logging in ends the user's live tokens in the same transaction.
 */
export async function updateAdminUser(
  db: Database,
  tenantId: string,
  id: string,
  changes: AdminUserChanges,
  /** Refuses the change (by throwing) after seeing the user as stored. */
  allow: (current: AdminUser) => void = () => {},
): Promise<AdminUser> {
  const passwordHash = changes.password === undefined ? undefined : await hashSecret(changes.password);
  const tokens = tokenCacheOf(db);
  return db.transaction(async (tx) => {
    allow(serialize(await findRow(tx, tenantId, id, true)));
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
    return serialize(updated);
  });
}

export async function deleteAdminUser(
  db: Database,
  tenantId: string,
  id: string,
  allow: (current: AdminUser) => void = () => {},
): Promise<void> {
  const tokens = tokenCacheOf(db);
  await db.transaction(async (tx) => {
    allow(serialize(await findRow(tx, tenantId, id, true)));
    await tx.query('DELETE FROM admin_user WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
    await revokeUserTokens(tx, tokens, tenantId, { adminUserId: id });
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
