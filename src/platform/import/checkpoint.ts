import type { Queryable } from '../db/database.ts';
import type { SourceRecord } from './source-reader.ts';

/**
 * Where reading an entity of a source stands: every record updated before `since` is in,
 * and of those updated exactly at `since`, the ids in `seenAtSince`; `page` counts the pages
 * read at `since` that held nothing newer (records updated in the same millisecond).
 */
export interface Checkpoint {
  since: string | null;
  seenAtSince: string[];
  page: number;
}

export const START: Checkpoint = { since: null, seenAtSince: [], page: 0 };

export async function loadCheckpoint(db: Queryable, tenantId: string, source: string, entity: string): Promise<Checkpoint> {
  const rows = await db.query<{ since: Date | null; seen_at_since: string[]; page: number }>(
    'SELECT since, seen_at_since, page FROM import_checkpoint WHERE tenant_id = $1 AND source = $2 AND entity = $3',
    [tenantId, source, entity],
  );
  if (rows.length === 0) return START;
  const { since, seen_at_since, page } = rows[0];
  return { since: since ? since.toISOString() : null, seenAtSince: seen_at_since, page };
}

/** Saved in the transaction that writes the page's records, so a run stopped at any point resumes exactly. */
export async function saveCheckpoint(tx: Queryable, tenantId: string, source: string, entity: string, checkpoint: Checkpoint): Promise<void> {
  await tx.query(
    `INSERT INTO import_checkpoint (tenant_id, source, entity, since, seen_at_since, page, update_date)
     VALUES ($1, $2, $3, $4, $5, $6, now())
     ON CONFLICT (tenant_id, source, entity) DO UPDATE SET since = excluded.since, seen_at_since = excluded.seen_at_since,
       page = excluded.page, update_date = excluded.update_date`,
    [tenantId, source, entity, checkpoint.since, JSON.stringify(checkpoint.seenAtSince), checkpoint.page],
  );
}

/**
 * The checkpoint once a page read at `checkpoint` has been handled, and the records of it not
 * handled before. `last`: the source said no page follows, so a page of records all updated
 * at `since` is not one to skip next time, since records written later will be listed on it.
 */
export function advance(checkpoint: Checkpoint, records: SourceRecord[], last: boolean): { next: Checkpoint; fresh: SourceRecord[] } {
  const seen = new Set(checkpoint.seenAtSince);
  const fresh = records.filter((r) => !(iso(r.update_date) === checkpoint.since && seen.has(r.id)));
  const newest = records.reduce<string | null>((max, r) => (max === null || iso(r.update_date) > max ? iso(r.update_date) : max), null);
  if (newest === null) return { next: checkpoint, fresh };
  if (newest !== checkpoint.since) {
    const atNewest = records.filter((r) => iso(r.update_date) === newest).map((r) => r.id);
    return { next: { since: newest, seenAtSince: atNewest, page: 0 }, fresh };
  }
  const seenNow = [...new Set([...seen, ...records.map((r) => r.id)])];
  return { next: { since: newest, seenAtSince: seenNow, page: last ? checkpoint.page : checkpoint.page + 1 }, fresh };
}

function iso(value: string): string {
  return new Date(value).toISOString();
}

export interface PendingRecord {
  entity: string;
  record: SourceRecord;
  reason: string;
  missingEntity: string;
  missingId: string;
}

/** Records held back because what they point at is not in the tenant yet; every run tries them again. */
export async function savePending(tx: Queryable, tenantId: string, source: string, pending: PendingRecord[]): Promise<void> {
  if (pending.length === 0) return;
  await tx.query(
    `INSERT INTO import_pending (tenant_id, id, source, entity, record, reason, missing_entity, missing_id)
     SELECT $1, p.id, $2, p.entity, p.record::jsonb, p.reason, p.missing_entity, p.missing_id
       FROM unnest($3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::uuid[]) AS p(id, entity, record, reason, missing_entity, missing_id)
     ON CONFLICT (tenant_id, id) DO UPDATE SET source = excluded.source, entity = excluded.entity, record = excluded.record,
       reason = excluded.reason, missing_entity = excluded.missing_entity, missing_id = excluded.missing_id, update_date = now()`,
    [
      tenantId,
      source,
      pending.map((p) => p.record.id),
      pending.map((p) => p.entity),
      pending.map((p) => JSON.stringify(p.record)),
      pending.map((p) => p.reason),
      pending.map((p) => p.missingEntity),
      pending.map((p) => p.missingId),
    ],
  );
}

export async function clearPending(tx: Queryable, tenantId: string, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await tx.query('DELETE FROM import_pending WHERE tenant_id = $1 AND id = ANY($2::uuid[])', [tenantId, ids]);
}

export async function loadPending(db: Queryable, tenantId: string, source: string, entity: string): Promise<PendingRecord[]> {
  const rows = await db.query<{ record: SourceRecord; reason: string; missing_entity: string; missing_id: string }>(
    'SELECT record, reason, missing_entity, missing_id FROM import_pending WHERE tenant_id = $1 AND source = $2 AND entity = $3 ORDER BY id',
    [tenantId, source, entity],
  );
  return rows.map((r) => ({ entity, record: r.record, reason: r.reason, missingEntity: r.missing_entity, missingId: r.missing_id }));
}
