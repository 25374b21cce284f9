import type { Actor } from '../audit/actor.ts';
import { recordAudit } from '../audit/admin-audit.ts';
import { createCredential, createTenant, type Tenant } from '../auth/credentials.ts';
import { getManagedCredential, type ManagedCredential } from '../credentials/credential-view.ts';
import type { Database, Queryable } from '../db/database.ts';
import { errors } from '../http/errors.ts';
import type { Environment } from './environment.ts';

async function createAuditedTenant(tx: Queryable, name: string, environment: Environment | undefined, actor: Actor): Promise<Tenant> {
  let tenant: Tenant;
  try {
    tenant = await createTenant(tx, name, environment);
  } catch (error) {
    const e = error as { code?: string; constraint?: string };
    if (e.code === '23505' && e.constraint === 'tenant_name_key') throw errors.duplicate({ reason: `A tenant named "${name}" already exists`, field: 'name' });
    throw error;
  }
  await recordAudit(tx, tenant.id, actor, { action: 'tenant_created', details: { name: tenant.name, environment: tenant.environment } });
  return tenant;
}

/** A new tenant whose audit trail starts with its creation. */
export async function createManagedTenant(db: Database, name: string, environment: Environment | undefined, actor: Actor): Promise<Tenant> {
  return db.transaction((tx) => createAuditedTenant(tx, name, environment, actor));
}

/**
 * A new tenant and its first super-admin credential, for the installation's operators: both
 * or neither, and both at the head of the new tenant's audit trail.
 */
export async function createTenantWithAdministrator(
  db: Database,
  input: { name: string; environment?: Environment; credentialName: string },
  actor: Actor,
): Promise<{ tenant: Tenant; credential: ManagedCredential & { client_secret: string } }> {
  return db.transaction(async (tx) => {
    const tenant = await createAuditedTenant(tx, input.name, input.environment, actor);
    const created = await createCredential(tx, tenant.id, { name: input.credentialName, authorities: ['ROLE_SUPER_ADMIN'] });
    const credential = await getManagedCredential(tx, tenant.id, created.id);
    await recordAudit(tx, tenant.id, actor, {
      action: 'credential_created',
      subject: { credentialId: credential.id, credentialClientId: credential.client_id },
      details: { name: credential.name, authorities: credential.authorities, apps: credential.apps, allowed_ips: credential.allowed_ips, rate_limit: null },
    });
    return { tenant, credential: { ...credential, client_secret: created.client_secret } };
  });
}

/**
 * Makes the tenant a sandbox or a production tenant. The row is locked so the recorded "from"
 * is what the change replaced; setting the environment it already has records nothing.
 */
export async function setTenantEnvironment(db: Database, tenantId: string, environment: Environment, actor: Actor): Promise<void> {
  await db.transaction(async (tx) => {
    const [current] = await tx.query<{ environment: Environment }>('SELECT environment FROM tenant WHERE id = $1 FOR UPDATE', [tenantId]);
    if (current.environment === environment) return;
    await tx.query('UPDATE tenant SET environment = $2 WHERE id = $1', [tenantId, environment]);
    await recordAudit(tx, tenantId, actor, { action: 'tenant_environment_changed', details: { from: current.environment, to: environment } });
  });
}

/** Sets the limit the tenant's credentials have when they set none (null: the environment's default); an unchanged limit records nothing. */
export async function setTenantRateLimit(db: Database, tenantId: string, rateLimit: number | null, actor: Actor): Promise<void> {
  await db.transaction(async (tx) => {
    const [current] = await tx.query<{ rate_limit: number | null }>('SELECT rate_limit FROM tenant WHERE id = $1 FOR UPDATE', [tenantId]);
    if (current.rate_limit === rateLimit) return;
    await tx.query('UPDATE tenant SET rate_limit = $2 WHERE id = $1', [tenantId, rateLimit]);
    await recordAudit(tx, tenantId, actor, { action: 'tenant_rate_limit_changed', details: { from: current.rate_limit, to: rateLimit } });
  });
}
