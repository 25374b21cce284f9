import type { Queryable } from '../platform/db/database.ts';
import { ApiError } from '../platform/http/api-error.ts';

/**
 * Proton reads Nucleus records only through their ids in a request. Every id must name a
 * record of the caller's tenant; an unknown id, or an entity Nucleus does not serve yet, is
 * a 404 rather than a silently smaller balance.
 */
export async function requireRecords(db: Queryable, tenantId: string, entity: string, ids: readonly string[] | null | undefined): Promise<void> {
  if (!ids || ids.length === 0) return;
  const table = `nucleus_${entity}`;
  const [exists] = await db.query<{ present: boolean }>('SELECT to_regclass($1) IS NOT NULL AS present', [table]);
  const found = new Set<string>();
  if (exists?.present) {
    const rows = await db.query<{ id: string }>(`SELECT id::text AS id FROM ${table} WHERE tenant_id = $1 AND id = ANY($2::uuid[])`, [tenantId, [...ids]]);
    for (const row of rows) found.add(row.id.toLowerCase());
  }
  const missing = ids.find((id) => !found.has(id.toLowerCase()));
  if (missing !== undefined) throw ApiError.notFound(`No ${entity} with id ${missing}`);
}

/** The Nucleus ids a calculator request may carry, by field. */
export interface NucleusReferences {
  account_ids?: string[] | null;
  aggregation_account_ids?: string[] | null;
  client_id?: string | null;
}

export async function requireReferences(db: Queryable, tenantId: string, body: NucleusReferences): Promise<void> {
  await requireRecords(db, tenantId, 'account', body.account_ids);
  await requireRecords(db, tenantId, 'aggregation_account', body.aggregation_account_ids);
  if (body.client_id) await requireRecords(db, tenantId, 'client', [body.client_id]);
}
