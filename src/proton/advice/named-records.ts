import type { AuthContext } from '../../platform/auth/tokens.ts';
import type { EntityName } from '../../platform/entity/entity-records.ts';
import { requireRecords, type NucleusAccess } from '../nucleus-records.ts';

/**
 * Every Nucleus id a request names must be readable by the caller (404 otherwise), also the
 * ones an operation ends up not reading because an earlier field took precedence: an id is
 * never silently ignored.
 */
export async function requireNamed(nucleus: NucleusAccess, auth: AuthContext, ids: Partial<Record<EntityName, string | null>>): Promise<void> {
  for (const [entity, id] of Object.entries(ids) as [EntityName, string | null | undefined][]) {
    if (id) await requireRecords(nucleus, auth, entity, [id]);
  }
}
