import { randomBytes, randomUUID } from 'node:crypto';
import { SYSTEM } from '../audit/actor.ts';
import { recordAudit } from '../audit/admin-audit.ts';
import type { Database, Queryable } from '../db/database.ts';
import { hashSecret, verifySecret, verifyNothing } from './passwords.ts';
import type { Authority } from './authorities.ts';
import { throttledLogin } from './login-throttle.ts';
import { canonicalAddress, checkAllowed, compileAllowlist } from '../credentials/allowlist.ts';
import { DEFAULT_APPS } from '../credentials/apps.ts';
import type { Environment } from '../tenant/environment.ts';

export interface Tenant {
  id: string;
  name: string;
  environment: Environment;
  /** Requests per rate-limit window for each of its credentials that sets none; null: the environment's default. */
  rate_limit: number | null;
  /** The installation's own tenant, made at first start: its super-admins manage every tenant. */
  is_operator: boolean;
  create_date: string;
}

export interface ApiCredential {
  id: string;
  tenant_id: string;
  client_id: string;
  name: string;
  authorities: string[];
  /** The APIs its tokens may call (apps.ts). */
  apps: string[];
  is_active: boolean;
  create_date: string;
}

/** A credential as created: the only moment its secret exists in clear text. */
export interface IssuedCredential extends ApiCredential {
  client_secret: string;
}

export function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}

function toIso(row: { create_date: unknown }): string {
  return new Date(row.create_date as string).toISOString();
}

/** A new tenant is a sandbox unless asked otherwise (docs/environments.md says why). */
export async function createTenant(db: Queryable, name: string, environment: Environment = 'sandbox'): Promise<Tenant> {
  const rows = await db.query<Tenant>(
    'INSERT INTO tenant (id, name, environment) VALUES ($1, $2, $3) RETURNING id, name, environment, rate_limit, is_operator, create_date',
    [randomUUID(), name, environment],
  );
  return { ...rows[0], create_date: toIso(rows[0]) };
}

export async function findTenant(db: Queryable, idOrName: string): Promise<Tenant | undefined> {
  const rows = await db.query<Tenant>('SELECT id, name, environment, rate_limit, is_operator, create_date FROM tenant WHERE id::text = $1 OR name = $1', [idOrName]);
  return rows[0] ? { ...rows[0], create_date: toIso(rows[0]) } : undefined;
}

export async function listTenants(db: Queryable): Promise<Tenant[]> {
  const rows = await db.query<Tenant>('SELECT id, name, environment, rate_limit, is_operator, create_date FROM tenant ORDER BY create_date, name');
  return rows.map((r) => ({ ...r, create_date: toIso(r) }));
}

export interface CredentialRequest {
  name: string;
  authorities: Authority[];
  clientId?: string;
  clientSecret?: string;
  /** Every API unless given (DEFAULT_APPS). */
  apps?: string[];
  /** Checked entries (allowlist.ts validateAllowlist); none allows every address. */
  allowedIps?: string[];
}

const COLUMNS = 'id, tenant_id, client_id, name, authorities, apps, is_active, create_date';

export async function createCredential(db: Queryable, tenantId: string, request: CredentialRequest): Promise<IssuedCredential> {
  const clientId = request.clientId ?? `dt_${randomBytes(12).toString('hex')}`;
  const clientSecret = request.clientSecret ?? randomSecret();
  const rows = await db.query<ApiCredential>(
    `INSERT INTO api_credential (tenant_id, id, client_id, secret_hash, name, authorities, apps, allowed_ips)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     RETURNING ${COLUMNS}`,
    [tenantId, randomUUID(), clientId, await hashSecret(clientSecret), request.name, request.authorities, request.apps ?? DEFAULT_APPS, request.allowedIps ?? []],
  );
  return { ...rows[0], create_date: toIso(rows[0]), client_secret: clientSecret };
}

export async function listCredentials(db: Queryable, tenantId?: string): Promise<ApiCredential[]> {
  const rows = await db.query<ApiCredential>(
    `SELECT ${COLUMNS} FROM api_credential
     WHERE $1::uuid IS NULL OR tenant_id = $1::uuid ORDER BY create_date, client_id`,
    [tenantId ?? null],
  );
  return rows.map((r) => ({ ...r, create_date: toIso(r) }));
}

interface StoredSecrets {
  secret_hash: string;
  /** Null unless a rotation left it in its grace period. */
  previous_secret_hash: string | null;
  allowed_ips: string[];
}

async function findCredentialWithSecrets(db: Queryable, clientId: string): Promise<(ApiCredential & StoredSecrets) | undefined> {
  const rows = await db.query<ApiCredential & StoredSecrets>(
    `SELECT ${COLUMNS}, secret_hash, allowed_ips,
       CASE WHEN previous_secret_expires_at > now() THEN previous_secret_hash END AS previous_secret_hash
     FROM api_credential WHERE client_id = $1`,
    [clientId],
  );
  return rows[0];
}

/** Which of a credential's secrets a caller presented. */
type SecretSlot = 'secret' | 'previous_secret';

/** The credential's last use and the presented secret's, so an operator can tell when an old secret stops being used. */
async function recordSecretUse(db: Queryable, credential: ApiCredential, slot: SecretSlot, address: string): Promise<void> {
  await db.query(
    `UPDATE api_credential SET last_used_at = now(), last_used_ip = $3, ${slot}_last_used_at = now(), ${slot}_last_used_ip = $3
     WHERE tenant_id = $1 AND id = $2`,
    [credential.tenant_id, credential.id, address],
  );
}

/**
 * The active credential these match, or undefined. An unknown or inactive client id costs a
 * comparison too, so response times do not tell which client ids exist. Wrong secrets are
 * throttled as failed passwords are (login-throttle.ts), counted per credential and source
 * address: guessing from one address is slowed and then locked out there, while a stranger
 * elsewhere cannot lock a tenant's integration out of its own address. A secret rotated out
 * is accepted until its grace period ends. A caller outside the credential's IP allowlist is
 * refused with ip_not_allowed, but only once its secret proved right: the list is not
 * revealed to someone guessing.
 */
export async function verifyCredential(db: Queryable, clientId: string, clientSecret: string, sourceAddress: string): Promise<ApiCredential | undefined> {
  const credential = await findCredentialWithSecrets(db, clientId);
  if (!credential || !credential.is_active) {
    await verifyNothing(clientSecret);
    return undefined;
  }
  const { secret_hash: hash, previous_secret_hash: previousHash, allowed_ips: allowedIps, ...rest } = credential;
  // No username holds a NUL (every API refuses one), so this key is never a user's.
  const key = `\u0000credential ${credential.id} ${sourceAddress}`;
  const slot = await throttledLogin(db, credential.tenant_id, key, clientSecret, async (): Promise<SecretSlot | false> => {
    if (await verifySecret(clientSecret, hash)) return 'secret';
    if (previousHash !== null && (await verifySecret(clientSecret, previousHash))) return 'previous_secret';
    return false;
  });
  if (!slot) return undefined;
  const address = canonicalAddress(sourceAddress);
  checkAllowed(compileAllowlist(allowedIps), address);
  await recordSecretUse(db, rest, slot, address);
  return rest;
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
 * transaction so two processes starting together cannot both create one. The credential is
 * the first entry of the tenant's audit trail: every later action traces back to it.
 */
export async function bootstrapFirstTenant(db: Database, settings: BootstrapSettings): Promise<BootstrapResult | undefined> {
  return db.transaction(async (tx) => {
    await tx.query('LOCK TABLE tenant IN EXCLUSIVE MODE');
    const existing = await tx.query('SELECT 1 FROM tenant LIMIT 1');
    if (existing.length > 0) return undefined;
    const created = await createTenant(tx, 'default');
    await tx.query('UPDATE tenant SET is_operator = true WHERE id = $1', [created.id]);
    const tenant = { ...created, is_operator: true };
    const generated = !settings.adminClientId || !settings.adminClientSecret;
    const credential = await createCredential(tx, tenant.id, {
      name: 'super admin',
      authorities: ['ROLE_SUPER_ADMIN'],
      clientId: settings.adminClientId,
      clientSecret: settings.adminClientSecret,
    });
    await recordAudit(tx, tenant.id, SYSTEM, {
      action: 'credential_created',
      subject: { credentialId: credential.id, credentialClientId: credential.client_id },
      details: { name: credential.name, authorities: credential.authorities, apps: credential.apps, allowed_ips: [] },
    });
    return { tenant, credential, generated };
  });
}
