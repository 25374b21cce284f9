import { setTimeout as sleep } from 'node:timers/promises';
import type { Database } from '../db/database.ts';
import type { AuthContext } from '../auth/tokens.ts';
import { ApiError, errorBody } from '../http/api-error.ts';
import { errors } from '../http/errors.ts';
import type { EntityWriter, WriteHook, WriteOrigin } from '../entity/writer.ts';
import { done, handBack, type JobKind } from '../jobs/kind.ts';
import { exponentialBackoff } from '../jobs/retry.ts';
import { pendingItems, setBulkStatus, settleItem, type BulkAction } from './store.ts';
import { UUID } from '../entity/uuid.ts';

export const BULK_JOB = 'bulk';

/**
 * What a bulk job needs to act as the original caller: who (never the token itself, which
 * may expire or be revoked before the job runs) and which request.
 */
export interface BulkJobPayload {
  bulkId: string;
  entity: string;
  action: BulkAction;
  origin: Omit<WriteOrigin, 'body' | 'bulk'>;
}

export function callerOf(auth: AuthContext): AuthContext {
  return { tenantId: auth.tenantId, credentialId: auth.credentialId, clientId: auth.clientId, authorities: auth.authorities, scopes: auth.scopes };
}

/** Thrown inside an item's write transaction when the item was settled already, to roll the write back. */
class ItemAlreadySettled extends Error {}

/**
 * Records a bulk item's success in the same transaction as its write. That makes each item
 * apply at most once even when a job is resumed after a crash, or two workers race for it.
 */
export const settleBulkItemHook: WriteHook = (event, write) => {
  const item = event.origin.bulk;
  if (!item) return;
  write.afterwards(async (tx) => {
    const settled = await settleItem(tx, event.origin.auth.tenantId, item.id, item.item, { recordId: event.record.id });
    if (!settled) throw new ItemAlreadySettled(`bulk ${item.id} item ${item.item} was already settled`);
  });
};

function targetId(input: Record<string, unknown>): string {
  const id = input.id;
  if (id === undefined) throw errors.invalidField({ field: 'id', problem: 'is required: the id of the record to change' });
  if (typeof id !== 'string' || !UUID.test(id)) throw errors.invalidField({ field: 'id', problem: 'must be a UUID' });
  return id;
}

async function applyItem(writer: EntityWriter, payload: BulkJobPayload, position: number, input: Record<string, unknown>): Promise<void> {
  const origin: WriteOrigin = { ...payload.origin, body: input, bulk: { id: payload.bulkId, item: position } };
  if (payload.action === 'create') await writer.create(payload.entity, input, origin);
  // The update schema accepts (and ignores) id, so the item goes through as sent.
  else if (payload.action === 'update') await writer.update(payload.entity, targetId(input), input, origin);
  else await writer.remove(payload.entity, targetId(input), origin);
}


/**
 * Applies a bulk's pending items in order, each through the EntityWriter as its own write.
 * A refused item (any ApiError) is recorded and the job goes on; anything else is a fault of
 * the server or the database, so the job stops and is retried from the first pending item.
 */
export function bulkJobKind(db: Database, writer: EntityWriter, itemDelayMs: number): JobKind<BulkJobPayload> {
  return {
    kind: BULK_JOB,
    // Doubling from 1 s to 5 min; the fifth failure in a row fails the bulk.
    retry: exponentialBackoff({ firstMs: 1000, maxMs: 300_000, retries: 4 }),
    // Short, so a job whose process died is resumed within seconds of a restart; a live worker renews it every third of that.
    leaseMs: 10_000,
    concurrency: 4,
    async run(job, { signal }) {
      const { tenantId, payload } = job;
      await setBulkStatus(db, tenantId, payload.bulkId, 'In Progress', 'Queued');
      for (const item of await pendingItems(db, tenantId, payload.bulkId)) {
        if (itemDelayMs > 0) await sleep(itemDelayMs);
        if (signal.aborted) return handBack();
        try {
          await applyItem(writer, payload, item.position, item.input as Record<string, unknown>);
        } catch (error) {
          if (error instanceof ItemAlreadySettled) continue;
          if (!(error instanceof ApiError)) throw error;
          await settleItem(db, tenantId, payload.bulkId, item.position, { error: errorBody(error, payload.origin.requestId) });
        }
      }
      return done((tx) => setBulkStatus(tx, tenantId, payload.bulkId, 'Complete'));
    },
    async failed(tx, job) {
      await setBulkStatus(tx, job.tenantId, job.payload.bulkId, 'Failed');
    },
  };
}
