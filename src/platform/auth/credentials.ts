import { randomBytes, randomUUID } from 'node:crypto';
import type { Database, Queryable } from '../db/database.ts';
import { hashSecret, verifySecret, verifyNothing } from './passwords.ts';
import type { Authority } from './authorities.ts';
import { throttledLogin } from './login-throttle.ts';
import type { Environment } from '../tenant/environment.ts';

export interface Tenant {
  id: string;
  name: string;
  environment: Environment;
  create_date: string;
}

export interface ApiCredential {
  id: string;
  tenant_id: string;
  client_id: string;
  name: string;
  authorities: string[];
  is_active: boolean;
  create_date: string;
}

/** A credential as created: the only moment its secret exists in clear text. */
export interface IssuedCredential extends ApiCredential {
  client_secret: string;
}

function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}

function toIso(row: { create_date: unknown }): string {
  return new Date(row.create_date as string).toISOString();
}

/** A new tenant is a sandbox unless asked otherwise (docs/environments.md says why). */
export async function createTenant(db: Queryable, name: string, environment: Environment = 'sandbox'): Promise<Tenant> {
  const rows = await db.query<Tenant>(
    'INSERT INTO tenant (id, name, environment) VALUES ($1, $2, $3) RETURNING id, name, environment, create_date',
    [randomUUID(), name, environment],
  );
  return { ...rows[0], create_date: toIso(rows[0]) };
}

export async function findTenant(db: Queryable, idOrName: string): Promise<Tenant | undefined> {
  const rows = await db.query<Tenant>('SELECT id, name, environment, create_date FROM tenant WHERE id::text = $1 OR name = $1', [idOrName]);
  return rows[0] ? { ...rows[0], create_date: toIso(rows[0]) } : undefined;
}

export async function listTenants(db: Queryable): Promise<Tenant[]> {
  const rows = await db.query<Tenant>('SELECT id, name, environment, create_date FROM tenant ORDER BY create_date, name');
  return rows.map((r) => ({ ...r, create_date: toIso(r) }));
}

export interface CredentialRequest {
  name: string;
  authorities: Authority[];
  clientId?: string;
  clientSecret?: string;
}

export async function createCredential(db: Queryable, tenantId: string, request: CredentialRequest): Promise<IssuedCredential> {
  const clientId = request.clientId ?? `dt_${randomBytes(12).toString('hex')}`;
  const clientSecret = request.clientSecret ?? randomSecret();
  const rows = await db.query<ApiCredential>(
    `INSERT INTO api_credential (tenant_id, id, client_id, secret_hash, name, authorities)
     VALUES ($1, $2, $3, $4, $5, $6)
     RETURNING id, tenant_id, client_id, name, authorities, is_active, create_date`,
    [tenantId, randomUUID(), clientId, await hashSecret(clientSecret), request.name, request.authorities],
  );
  return { ...rows[0], create_date: toIso(rows[0]), client_secret: clientSecret };
}

export async function listCredentials(db: Queryable, tenantId?: string): Promise<ApiCredential[]> {
  const rows = await db.query<ApiCredential>(
    `SELECT id, tenant_id, client_id, name, authorities, is_active, create_date FROM api_credential
     WHERE $1::uuid IS NULL OR tenant_id = $1::uuid ORDER BY create_date, client_id`,
    [tenantId ?? null],
  );
  return rows.map((r) => ({ ...r, create_date: toIso(r) }));
}

export async function findCredentialWithSecret(
  db: Queryable,
  clientId: string,
): Promise<(ApiCredential & { secret_hash: string }) | undefined> {
  const rows = await db.query<ApiCredential & { secret_hash: string }>(
    `SELECT id, tenant_id, client_id, secret_hash, name, authorities, is_active, create_date
     FROM api_credential WHERE client_id = $1`,
    [clientId],
  );
  return rows[0];
}

/**
 * The active credential these match, or undefined. An unknown or inactive client id costs a
 * comparison too, so response times do not tell which client ids exist. Wrong secrets are
 * throttled as failed passwords are (login-throttle.ts), counted per credential and source
 * address: guessing from one address is slowed and then locked out there, while a stranger
 * elsewhere cannot lock a tenant's integration out of its own address.
 */
export async function verifyCredential(db: Queryable, clientId: string, clientSecret: string, sourceAddress: string): Promise<ApiCredential | undefined> {
  const credential = await findCredentialWithSecret(db, clientId);
  if (!credential || !credential.is_active) {
    await verifyNothing(clientSecret);
    return undefined;
  }
  const { secret_hash: hash, ...rest } = credential;
  // No username holds a NUL (every API refuses one), so this key is never a user's.
  const key = `\u0000credential ${credential.id} ${sourceAddress}`;
  const verified = await throttledLogin(db, credential.tenant_id, key, clientSecret, async () => (await verifySecret(clientSecret, hash)) && rest);
  return verified || undefined;
}

export interface BootstrapSettings {
  adminClientId?: string;
  adminClientSecret?: string;
}

export interface BootstrapResult {
  tenant: Tenant;
  credential: IssuedCredential;
  /** True when the secret was generated here and must be shown to the operator once. */
  generated: boolean;
}

/**
 * On an empty database, creates the first tenant and its super-admin credential. Runs in one
 * transaction so two processes starting together cannot both create one.
 */
export async function bootstrapFirstTenant(db: Database, settings: BootstrapSettings): Promise<BootstrapResult | undefined> {
  return db.transaction(async (tx) => {
    await tx.query('LOCK TABLE tenant IN EXCLUSIVE MODE');
    const existing = await tx.query('SELECT 1 FROM tenant LIMIT 1');
    if (existing.length > 0) return undefined;
    const tenant = await createTenant(tx, 'default');
    const generated = !settings.adminClientId || !settings.adminClientSecret;
    const credential = await createCredential(tx, tenant.id, {
      name: 'super admin',
      authorities: ['ROLE_SUPER_ADMIN'],
      clientId: settings.adminClientId,
      clientSecret: settings.adminClientSecret,
    });
    return { tenant, credential, generated };
  });
}
