import type { Queryable } from '../db/database.ts';
import { errors } from '../http/errors.ts';

/**
 * A sandbox tenant is for building and testing: money movement there is simulated, and its
 * super-admin may wipe its data. A production tenant refuses both.
 */
export const ENVIRONMENTS = ['sandbox', 'production'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

export function isEnvironment(value: string): value is Environment {
  return (ENVIRONMENTS as readonly string[]).includes(value);
}

export async function tenantEnvironment(db: Queryable, tenantId: string): Promise<Environment> {
  const [row] = await db.query<{ environment: Environment }>('SELECT environment FROM tenant WHERE id = $1', [tenantId]);
  return row?.environment ?? 'production';
}

/** Refuses `what` (a sentence's subject) in a production tenant. */
export async function requireSandbox(db: Queryable, tenantId: string, what: string): Promise<void> {
  if ((await tenantEnvironment(db, tenantId)) === 'sandbox') return;
  throw errors.sandboxOnly({ reason: `${what} is for sandbox tenants only, and this tenant is a production tenant` });
}
