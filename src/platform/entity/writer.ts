import type { ValidateFunction } from 'ajv';
import type { Database, Queryable } from '../db/database.ts';
import { ApiError } from '../http/api-error.ts';
import { bodyAjv, describeAjvErrors } from '../http/validation.ts';
import type { AuthContext } from '../auth/tokens.ts';
import type { EntityDeclaration } from './declaration.ts';
import type { Doc, EntityStore, StoredRecord } from './store.ts';

export type WriteAction = 'create' | 'update' | 'delete';

/** Where a write came from, for the audit trail and for webhooks. */
export interface WriteOrigin {
  auth: AuthContext;
  method: string;
  url: string;
  requestId: string;
  body?: unknown;
}

export interface WriteEvent {
  declaration: EntityDeclaration;
  action: WriteAction;
  /** The record after the write; for a delete, the record as it was. */
  record: StoredRecord;
  /** The record before an update. */
  previous?: StoredRecord;
  origin: WriteOrigin;
}

/**
 * Runs inside the write's own transaction, so whatever it records (an outbox event, an audit
 * row) commits or rolls back together with the change.
 */
export type WriteHook = (tx: Queryable, event: WriteEvent) => Promise<void>;

/**
 * The one path every write takes, whether from a single request or a bulk job: validation,
 * storage and the write hooks, in one transaction.
 */
export class EntityWriter {
  private readonly validators = new Map<string, { create: ValidateFunction; update: ValidateFunction }>();
  private readonly hooks: WriteHook[] = [];

  constructor(
    private readonly db: Database,
    private readonly stores: Map<string, EntityStore>,
  ) {}

  addHook(hook: WriteHook): void {
    this.hooks.push(hook);
  }

  store(entity: string): EntityStore {
    const store = this.stores.get(entity);
    if (!store) throw ApiError.notFound(`No entity named ${entity}`);
    return store;
  }

  private validate(store: EntityStore, kind: 'create' | 'update', body: unknown): Doc {
    let validators = this.validators.get(store.declaration.name);
    if (!validators) {
      validators = { create: bodyAjv.compile(store.schemas.create), update: bodyAjv.compile(store.schemas.update) };
      this.validators.set(store.declaration.name, validators);
    }
    const copy = structuredClone(body);
    const validate = validators[kind];
    if (!validate(copy)) {
      const problems = describeAjvErrors(validate.errors ?? []);
      const first = problems[0];
      throw new ApiError(400, 'invalid_request', `Invalid request body: ${first.field ? `${first.field} ` : ''}${first.message}`, first.field || undefined, problems);
    }
    return copy as Doc;
  }

  private async runHooks(tx: Queryable, event: WriteEvent): Promise<void> {
    for (const hook of this.hooks) await hook(tx, event);
  }

  async create(entity: string, body: unknown, origin: WriteOrigin): Promise<StoredRecord> {
    const store = this.store(entity);
    const doc = this.validate(store, 'create', body);
    return this.db.transaction(async (tx) => {
      const record = await store.create(tx, origin.auth.tenantId, doc);
      await this.runHooks(tx, { declaration: store.declaration, action: 'create', record, origin });
      return record;
    });
  }

  async update(entity: string, id: string, body: unknown, origin: WriteOrigin): Promise<StoredRecord> {
    const store = this.store(entity);
    const doc = this.validate(store, 'update', body);
    return this.db.transaction(async (tx) => {
      const { record, previous } = await store.update(tx, origin.auth.tenantId, id, doc);
      await this.runHooks(tx, { declaration: store.declaration, action: 'update', record, previous, origin });
      return record;
    });
  }

  async remove(entity: string, id: string, origin: WriteOrigin): Promise<void> {
    const store = this.store(entity);
    await this.db.transaction(async (tx) => {
      const record = await store.remove(tx, origin.auth.tenantId, id);
      await this.runHooks(tx, { declaration: store.declaration, action: 'delete', record, origin });
    });
  }
}
