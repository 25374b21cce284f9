import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/database.ts';
import type { ErrorBody } from '../http/api-error.ts';
import { errorOfCode } from '../http/errors.ts';
import { pageColumnTable, type ColumnTable } from '../list/column-page.ts';
import type { ListQuery, Page } from '../list/paging.ts';

export type BulkAction = 'create' | 'update' | 'delete';
export type BulkStatus = 'Queued' | 'In Progress' | 'Complete' | 'Failed';

export interface BulkRecord {
  id: string;
  entity: string;
  action: BulkAction;
  status: BulkStatus;
  item_count: number;
  create_date: string;
  update_date: string;
}

export interface BulkItem {
  position: number;
  state: 'pending' | 'succeeded' | 'failed';
  /** The record created, changed or deleted, once the item succeeded. */
  record_id: string | null;
  error: ErrorBody | null;
}

interface BulkRow extends Omit<BulkRecord, 'create_date' | 'update_date'> {
  create_date: Date | string;
  update_date: Date | string;
}

function iso(value: Date | string): string {
  return new Date(value).toISOString();
}

function toRecord(row: BulkRow): BulkRecord {
  return { ...row, item_count: Number(row.item_count), create_date: iso(row.create_date), update_date: iso(row.update_date) };
}

const COLUMNS = 'id, entity, action, status, item_count, create_date, update_date';

export interface NewBulk {
  tenantId: string;
  credentialId: string;
  /** The Nucleus client a user token acted for; null for an application token. */
  clientId: string | null;
  entity: string;
  action: BulkAction;
  items: unknown[];
}

export async function insertBulk(tx: Queryable, bulk: NewBulk): Promise<BulkRecord> {
  const rows = await tx.query<BulkRow>(
    `INSERT INTO bulk_transaction (tenant_id, id, entity, action, status, item_count, credential_id, client_id)
     VALUES ($1, $2, $3, $4, 'Queued', $5, $6, $7) RETURNING ${COLUMNS}`,
    [bulk.tenantId, randomUUID(), bulk.entity, bulk.action, bulk.items.length, bulk.credentialId, bulk.clientId],
  );
  const record = toRecord(rows[0]);
  await tx.query(
    `INSERT INTO bulk_item (tenant_id, bulk_id, position, input)
     SELECT $1, $2, e.n - 1, e.input FROM jsonb_array_elements($3::jsonb) WITH ORDINALITY AS e(input, n)`,
    [bulk.tenantId, record.id, JSON.stringify(bulk.items)],
  );
  return record;
}

/** With a clientId, only a bulk sent acting for that client is found. */
export async function findBulk(db: Queryable, tenantId: string, id: string, clientId: string | null): Promise<BulkRecord | undefined> {
  const rows = await db.query<BulkRow>(
    `SELECT ${COLUMNS} FROM bulk_transaction WHERE tenant_id = $1 AND id = $2 AND ($3::uuid IS NULL OR client_id = $3)`,
    [tenantId, id, clientId],
  );
  return rows[0] && toRecord(rows[0]);
}

export async function bulkItems(db: Queryable, tenantId: string, bulkId: string): Promise<BulkItem[]> {
  const rows = await db.query<BulkItem>(
    'SELECT position, state, record_id, error FROM bulk_item WHERE tenant_id = $1 AND bulk_id = $2 ORDER BY position',
    [tenantId, bulkId],
  );
  return rows.map((r) => ({ ...r, position: Number(r.position), error: r.error && typed(r.error) }));
}

/**
 * An item refused before error bodies had a type was stored without one, which the status
 * schema requires: it takes its code's type from the catalogue.
 */
function typed(error: ErrorBody): ErrorBody {
  if (error.type) return error;
  return { ...error, type: errorOfCode(error.code)?.type ?? (error.status >= 500 ? 'api_error' : 'invalid_request_error') };
}

export async function pendingItems(db: Queryable, tenantId: string, bulkId: string): Promise<{ position: number; input: unknown }[]> {
  const rows = await db.query<{ position: number; input: unknown }>(
    `SELECT position, input FROM bulk_item WHERE tenant_id = $1 AND bulk_id = $2 AND state = 'pending' ORDER BY position`,
    [tenantId, bulkId],
  );
  return rows.map((r) => ({ ...r, position: Number(r.position) }));
}

/** Moves the bulk to `status`; with `from`, only out of that status (so a repeat cannot go back). */
export async function setBulkStatus(db: Queryable, tenantId: string, id: string, status: BulkStatus, from?: BulkStatus): Promise<void> {
  await db.query(
    `UPDATE bulk_transaction SET status = $3, update_date = now()
     WHERE tenant_id = $1 AND id = $2 AND ($4::text IS NULL OR status = $4)`,
    [tenantId, id, status, from ?? null],
  );
}

/**
 * Settles a pending item; false when it was already settled. Run inside the item's write
 * transaction, so the write and its outcome commit together or not at all.
 */
export async function settleItem(
  tx: Queryable,
  tenantId: string,
  bulkId: string,
  position: number,
  outcome: { recordId: string } | { error: ErrorBody },
): Promise<boolean> {
  const rows = await tx.query(
    `UPDATE bulk_item SET state = $4, record_id = $5, error = $6::jsonb, input = NULL, update_date = now()
     WHERE tenant_id = $1 AND bulk_id = $2 AND position = $3 AND state = 'pending' RETURNING 1`,
    [
      tenantId,
      bulkId,
      position,
      'recordId' in outcome ? 'succeeded' : 'failed',
      'recordId' in outcome ? outcome.recordId : null,
      'error' in outcome ? JSON.stringify(outcome.error) : null,
    ],
  );
  return rows.length > 0;
}

export interface BulkSummary extends BulkRecord {
  progress: { total: number; processed: number; succeeded: number; failed: number };
}

interface SummaryRow extends BulkRow {
  succeeded: string;
  failed: string;
}

/** Each bulk with its items counted by state, so a list shows progress without reading every item. */
const BULK_TABLE: ColumnTable = {
  select: `SELECT b.${COLUMNS.split(', ').join(', b.')},
      (SELECT count(*) FROM bulk_item i WHERE i.tenant_id = b.tenant_id AND i.bulk_id = b.id AND i.state = 'succeeded') AS succeeded,
      (SELECT count(*) FROM bulk_item i WHERE i.tenant_id = b.tenant_id AND i.bulk_id = b.id AND i.state = 'failed') AS failed
    FROM bulk_transaction b`,
  from: 'bulk_transaction b',
  qualifier: 'b.',
  columns: {
    id: { column: 'b.id', kind: 'uuid' },
    entity: { column: 'b.entity', kind: 'string' },
    action: { column: 'b.action', kind: 'string' },
    status: { column: 'b.status', kind: 'string' },
    item_count: { column: 'b.item_count', kind: 'number' },
    create_date: { column: 'b.create_date', kind: 'date-time' },
    update_date: { column: 'b.update_date', kind: 'date-time' },
  },
};

function toSummary(row: SummaryRow): BulkSummary {
  const { succeeded, failed, ...record } = row;
  const done = { succeeded: Number(succeeded), failed: Number(failed) };
  return { ...toRecord(record), progress: { total: Number(row.item_count), processed: done.succeeded + done.failed, ...done } };
}

/** A page of the tenant's bulks; with a clientId, only those sent acting for that client. */
export function listBulks(db: Queryable, tenantId: string, clientId: string | null, query: ListQuery & { status?: BulkStatus }): Promise<Page<BulkSummary>> {
  return pageColumnTable(db, BULK_TABLE, tenantId, query, toSummary, (params) => [
    ...(clientId === null ? [] : [`b.client_id = ${params.add(clientId)}::uuid`]),
    ...(query.status === undefined ? [] : [`b.status = ${params.add(query.status)}`]),
  ]);
}
