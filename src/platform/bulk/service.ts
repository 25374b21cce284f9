import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyRequest } from 'fastify';
import type { Database } from '../db/database.ts';
import { errors } from '../http/errors.ts';
import type { ErrorBody } from '../http/api-error.ts';
import type { AuthContext } from '../auth/tokens.ts';
import type { EntityWriter } from '../entity/writer.ts';
import { ALL_OPERATIONS } from '../entity/declaration.ts';
import type { JobEngine } from '../jobs/engine.ts';
import { BULK_JOB, callerOf, type BulkJobPayload } from './processor.ts';
import { MAX_BULK_ITEMS } from './schemas.ts';
import { bulkItems, findBulk, insertBulk, type BulkAction, type BulkItem, type BulkRecord, type BulkStatus } from './store.ts';

const WAIT_POLL_MS = 50;

export interface BulkStatusView {
  id: string;
  status: BulkStatus;
  progress: { total: number; processed: number; succeeded: number; failed: number };
  success: Record<string, { id: string }>;
  error: Record<string, ErrorBody>;
}

export class BulkService {
  constructor(
    private readonly db: Database,
    private readonly writer: EntityWriter,
    private readonly jobs: JobEngine,
  ) {}

  /**
   * What is refused at once: an entity that does not exist or does not offer the action, a
   * caller whose roles do not allow writing it at all, and a body that is not 1 to 100
   * records. The rest (each item's fields, references, ownership) is checked item by item by
   * the job. Run before the body schema, so the message names the body and says what is expected.
   */
  checkRequest(auth: AuthContext, entity: string, action: BulkAction, body: unknown): void {
    const { declaration } = this.writer.store(entity);
    if (!(declaration.operations ?? ALL_OPERATIONS).includes(action)) {
      throw errors.methodNotAllowed({ reason: `${entity} records cannot be ${action === 'create' ? 'created' : `${action}d`} through the API` });
    }
    this.writer.acl.checkWriteRole(auth, entity, {});
    const items = itemsOf(body);
    if (!items) throw errors.invalidField({ field: 'data', problem: `must be a JSON array of 1 to ${MAX_BULK_ITEMS} records, or one record` });
    if (items.length === 0 || items.length > MAX_BULK_ITEMS) {
      throw errors.invalidField({ field: 'data', problem: `must hold 1 to ${MAX_BULK_ITEMS} records; it holds ${items.length}` });
    }
    const bad = items.findIndex((item) => typeof item !== 'object' || item === null || Array.isArray(item));
    if (bad !== -1) throw errors.invalidField({ field: `data[${bad}]`, problem: 'must be a JSON object' });
  }

  /** Stores a checked request and its job in one transaction, then nudges the worker. */
  async submit(request: FastifyRequest, entity: string, action: BulkAction): Promise<BulkRecord> {
    const items = itemsOf(request.body) ?? [];
    const { auth } = request;
    const record = await this.db.transaction(async (tx) => {
      const record = await insertBulk(tx, { tenantId: auth.tenantId, credentialId: auth.credentialId, clientId: auth.clientId, entity, action, items });
      const payload: BulkJobPayload = {
        bulkId: record.id,
        entity,
        action,
        origin: { auth: callerOf(auth), method: request.method, url: request.url, requestId: String(request.id) },
      };
      await this.jobs.enqueue(tx, { tenantId: auth.tenantId, id: record.id, kind: BULK_JOB, payload });
      return record;
    });
    // Started now, wherever the worker runs, rather than at its next poll.
    this.jobs.nudge();
    return record;
  }

  /** A bulk of the caller's tenant; a token acting for a client sees only the bulks sent for that client. */
  async find(auth: AuthContext, id: string): Promise<BulkRecord> {
    const record = await findBulk(this.db, auth.tenantId, id, auth.clientId);
    if (!record) throw errors.notFound({ reason: `No bulk transaction with id ${id}` });
    return record;
  }

  async items(auth: AuthContext, id: string): Promise<BulkItem[]> {
    await this.find(auth, id);
    return bulkItems(this.db, auth.tenantId, id);
  }

  async status(auth: AuthContext, id: string): Promise<BulkStatusView> {
    const record = await this.find(auth, id);
    const items = await bulkItems(this.db, auth.tenantId, id);
    const success: BulkStatusView['success'] = {};
    const error: BulkStatusView['error'] = {};
    for (const item of items) {
      if (item.state === 'succeeded') success[item.position] = { id: item.record_id! };
      // Only a failed item has an error, and every failed item has one (settleItem).
      else if (item.error) error[item.position] = item.error;
    }
    const succeeded = Object.keys(success).length;
    const failed = Object.keys(error).length;
    return {
      id: record.id,
      status: record.status,
      progress: { total: record.item_count, processed: succeeded + failed, succeeded, failed },
      success,
      error,
    };
  }

  /** Polls until the bulk is Complete or Failed; past `timeoutMs` answers 504 naming the bulk to follow. */
  async waitUntilDone(auth: AuthContext, id: string, timeoutMs: number): Promise<BulkRecord> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const record = await this.find(auth, id);
      if (record.status === 'Complete' || record.status === 'Failed') return record;
      if (Date.now() > deadline) {
        throw errors.bulkPending({ reason: `The items are still being applied; follow GET /nucleus/v1/bulk/status/${id}` });
      }
      await sleep(WAIT_POLL_MS);
    }
  }
}

/**
 * The records of a bulk body. Hydrogen's specification types the PUT body as one object
 * where POST and DELETE take a list; a single object is read as a list of one.
 */
function itemsOf(body: unknown): unknown[] | undefined {
  if (Array.isArray(body)) return body;
  if (typeof body === 'object' && body !== null) return [body];
  return undefined;
}
