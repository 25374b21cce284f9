import type { Actor } from '../audit/actor.ts';
import { recordAudit } from '../audit/admin-audit.ts';
import { createTenant, type Tenant } from '../auth/credentials.ts';
import type { Database } from '../db/database.ts';
import type { Environment } from './environment.ts';

/** A new tenant whose audit trail starts with its creation. */
export async function createManagedTenant(db: Database, name: string, environment: Environment | undefined, actor: Actor): Promise<Tenant> {
  return db.transaction(async (tx) => {
    const tenant = await createTenant(tx, name, environment);
    await recordAudit(tx, tenant.id, actor, { action: 'tenant_created', details: { name: tenant.name, environment: tenant.environment } });
    return tenant;
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
