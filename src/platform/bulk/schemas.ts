import { errorSchema } from '../openapi/shared-schemas.ts';

export const MAX_BULK_ITEMS = 100;

const bulkRecord = { type: 'object', additionalProperties: true } as const;

/** A list of records, or (as Hydrogen's specification types the PUT body) one record alone. */
export const bulkBodySchema = {
  description: `1 to ${MAX_BULK_ITEMS} records, each as its single request would send it; for updates and deletes each carries the "id" of its record. One record may be sent alone, as a bulk of one.`,
  anyOf: [{ type: 'array', minItems: 1, maxItems: MAX_BULK_ITEMS, items: bulkRecord }, bulkRecord],
} as const;

const statusSchema = {
  type: 'string',
  enum: ['Queued', 'In Progress', 'Complete', 'Failed'],
  description: 'Queued: not started. In Progress: items are being applied. Complete: every item was applied or refused. Failed: the job stopped for a server fault; items not yet applied never will be.',
} as const;

/** The answer to a bulk request: the bulk record, before any item is applied. */
export const bulkTransactionSchema = {
  type: 'object',
  title: 'BulkTransaction',
  properties: {
    id: { type: 'string', format: 'uuid' },
    status: statusSchema,
    create_date: { type: 'string', format: 'date-time' },
    update_date: { type: 'string', format: 'date-time' },
  },
  required: ['id', 'status', 'create_date', 'update_date'],
} as const;

const progressSchema = {
  type: 'object',
  properties: {
    total: { type: 'integer', description: 'Items in the request' },
    processed: { type: 'integer', description: 'Items applied or refused so far' },
    succeeded: { type: 'integer' },
    failed: { type: 'integer' },
  },
  required: ['total', 'processed', 'succeeded', 'failed'],
} as const;

/** One bulk in the list: what was asked and how far it got, without each item's outcome. */
export const bulkSummarySchema = {
  type: 'object',
  title: 'BulkTransactionSummary',
  properties: {
    id: { type: 'string', format: 'uuid' },
    entity: { type: 'string' },
    action: { type: 'string', enum: ['create', 'update', 'delete'] },
    status: statusSchema,
    item_count: { type: 'integer' },
    progress: progressSchema,
    create_date: { type: 'string', format: 'date-time' },
    update_date: { type: 'string', format: 'date-time' },
  },
  required: ['id', 'entity', 'action', 'status', 'item_count', 'progress', 'create_date', 'update_date'],
} as const;

/** Outcomes are keyed by the item's position in the request, counted from 0. */
export const bulkStatusSchema = {
  type: 'object',
  title: 'BulkTransactionVO',
  properties: {
    id: { type: 'string', format: 'uuid' },
    status: statusSchema,
    progress: progressSchema,
    success: {
      type: 'object',
      description: 'Applied items by position: the id of the record created, updated or deleted.',
      additionalProperties: { type: 'object', properties: { id: { type: 'string', format: 'uuid' } }, required: ['id'] },
    },
    error: {
      type: 'object',
      description: 'Refused items by position: the error its single request would have answered with.',
      additionalProperties: errorSchema,
    },
  },
  required: ['id', 'status', 'progress', 'success', 'error'],
} as const;
