import type { Database } from '../platform/db/database.ts';
import type { AccessControl } from '../platform/acl/access-control.ts';
import type { AuthContext } from '../platform/auth/tokens.ts';
import { errors } from '../platform/http/errors.ts';
import type { EntityStore } from '../platform/entity/store.ts';
import type { EntityName } from '../platform/entity/entity-records.ts';
import { EntityReader } from '../platform/read/entity-reader.ts';
import type { EntityWriter } from '../platform/entity/writer.ts';

/** How Proton reaches Nucleus: the database, through the same access rules as any read. */
export interface NucleusAccess {
  db: Database;
  acl: AccessControl;
  stores: ReadonlyMap<string, EntityStore>;
  /** For the few records an operation keeps (a card authorization's audit_log record). */
  writer: EntityWriter;
}

/**
 * Proton reads Nucleus records only through their ids in a request. Every id must name a
 * record the caller may read; an unknown id, or one outside the caller's reach, is a 404
 * rather than a silently smaller balance, and never tells the two apart.
 */
export async function requireRecords(
  nucleus: NucleusAccess,
  auth: AuthContext,
  entity: EntityName,
  ids: readonly string[] | null | undefined,
): Promise<void> {
  if (!ids || ids.length === 0) return;
  const rows = await EntityReader.asCaller(nucleus, auth).rows<EntityName, { id: string }>(entity, {
    where: { id: { in: ids } },
    columns: (f) => `${f.column('id')}::text AS id`,
  });
  const found = new Set(rows.map((row) => row.id.toLowerCase()));
  const missing = ids.find((id) => !found.has(id.toLowerCase()));
  if (missing !== undefined) throw errors.notFound({ reason: `No ${entity} with id ${missing}` });
}

/** The Nucleus ids a calculator request may carry, by field. */
export interface NucleusReferences {
  account_ids?: string[] | null;
  aggregation_account_ids?: string[] | null;
  client_id?: string | null;
}

export async function requireReferences(nucleus: NucleusAccess, auth: AuthContext, body: NucleusReferences): Promise<void> {
  await requireRecords(nucleus, auth, 'account', body.account_ids);
  await requireRecords(nucleus, auth, 'aggregation_account', body.aggregation_account_ids);
  if (body.client_id) await requireRecords(nucleus, auth, 'client', [body.client_id]);
}
