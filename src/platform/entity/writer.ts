import type { Database, Queryable } from '../db/database.ts';
import { ApiError } from '../http/api-error.ts';
import { compileInputCheck, type InputCheck } from '../http/validation.ts';
import type { LeniencyOptions } from '../http/lenient-input.ts';
import type { AuthContext } from '../auth/tokens.ts';
import type { EntityDeclaration } from './declaration.ts';
import type { AccessControl } from '../acl/access-control.ts';
import type { Doc, EntityStore, StoredRecord } from './store.ts';

export type WriteAction = 'create' | 'update' | 'delete';

/** Where a write came from, for the audit trail and for webhooks. */
export interface WriteOrigin {
  auth: AuthContext;
  method: string;
  url: string;
  requestId: string;
  body?: unknown;
  /** Set when the write is one item of a bulk request, so hooks can tell the items apart. */
  bulk?: { id: string; item: number };
}

export interface WriteEvent {
  declaration: EntityDeclaration;
  action: WriteAction;
  /** The record after the write; for a delete, the record as it was. */
  record: StoredRecord;
  /** The record before an update. */
  previous?: StoredRecord;
  /** The fields an update's body set: the only sign that a secret, never shown in a record, was changed. */
  changedFields?: string[];
  origin: WriteOrigin;
}

/**
 * Runs inside the write's own transaction, so whatever it records (an outbox event, an audit
 * row) commits or rolls back together with the change.
 */
export type WriteHook = (tx: Queryable, event: WriteEvent) => Promise<void>;

/**
 * Entity-specific work on a body that passed its schema, done before the transaction opens so
 * that slow checks (a DNS lookup) hold no locks: refuse the body by throwing an ApiError, or
 * complete it in place, e.g. with a server-generated field. An update's body holds only the
 * fields sent.
 */
export type WritePreparer = (doc: Doc, context: PrepareContext) => Promise<void>;

export interface PrepareContext {
  action: 'create' | 'update';
  tenantId: string;
  /** The record an update changes. */
  id?: string;
}

/** The writes offered to the work of writeTogether, inside its one transaction. */
export interface TogetherWrites {
  create(entity: string, body: unknown): Promise<StoredRecord>;
  update(entity: string, id: string, body: unknown): Promise<StoredRecord>;
}

/**
 * The one path every write takes, whether from a single request or a bulk job: validation,
 * storage and the write hooks, in one transaction.
 */
export class EntityWriter {
  private readonly validators = new Map<string, { create: InputCheck; update: InputCheck }>();
  private readonly hooks: WriteHook[] = [];
  private readonly preparers = new Map<string, WritePreparer[]>();

  constructor(
    private readonly db: Database,
    private readonly stores: Map<string, EntityStore>,
    readonly acl: AccessControl,
    private readonly leniency: LeniencyOptions,
  ) {}

  addHook(hook: WriteHook): void {
    this.hooks.push(hook);
  }

  addPreparer(entity: string, preparer: WritePreparer): void {
    this.preparers.set(entity, [...(this.preparers.get(entity) ?? []), preparer]);
  }

  store(entity: string): EntityStore {
    const store = this.stores.get(entity);
    if (!store) throw ApiError.notFound(`No entity named ${entity}`);
    return store;
  }

  /** A bulk item or a route's body, read and checked as every API reads its input (see validation.ts). */
  private validate(store: EntityStore, kind: 'create' | 'update', body: unknown): Doc {
    let validators = this.validators.get(store.declaration.name);
    if (!validators) {
      validators = {
        create: compileInputCheck(store.schemas.create, 'body', this.leniency),
        update: compileInputCheck(store.schemas.update, 'body', this.leniency),
      };
      this.validators.set(store.declaration.name, validators);
    }
    const result = validators[kind](structuredClone(body));
    if ('error' in result) throw result.error;
    return result.value as Doc;
  }

  private async prepare(entity: string, doc: Doc, context: PrepareContext): Promise<void> {
    for (const preparer of this.preparers.get(entity) ?? []) await preparer(doc, context);
  }

  private async runHooks(tx: Queryable, event: WriteEvent): Promise<void> {
    for (const hook of this.hooks) await hook(tx, event);
  }

  /** The checks a body passes before any transaction opens: its schema, the caller's role, the preparers. */
  private async checked(entity: string, action: 'create' | 'update', body: unknown, origin: WriteOrigin, id?: string): Promise<{ store: EntityStore; doc: Doc }> {
    const store = this.store(entity);
    const doc = this.validate(store, action, body);
    this.acl.checkWriteRole(origin.auth, entity, doc);
    await this.prepare(entity, doc, { action, tenantId: origin.auth.tenantId, ...(id ? { id } : {}) });
    return { store, doc };
  }

  private async inserted(tx: Queryable, store: EntityStore, doc: Doc, origin: WriteOrigin): Promise<StoredRecord> {
    await this.acl.checkOwnedWrite(tx, origin.auth, store.declaration.name, null, doc);
    const record = await store.create(tx, origin.auth.tenantId, doc);
    await this.runHooks(tx, { declaration: store.declaration, action: 'create', record, origin });
    return record;
  }

  private async updated(tx: Queryable, store: EntityStore, id: string, doc: Doc, origin: WriteOrigin): Promise<StoredRecord> {
    const entity = store.declaration.name;
    const before = await store.get(tx, origin.auth.tenantId, id, this.acl.readScope(origin.auth, entity));
    await this.acl.checkOwnedWrite(tx, origin.auth, entity, id, before);
    await this.acl.checkOwnedWrite(tx, origin.auth, entity, id, { ...before, ...doc });
    const { record, previous } = await store.update(tx, origin.auth.tenantId, id, doc);
    await this.runHooks(tx, { declaration: store.declaration, action: 'update', record, previous, changedFields: Object.keys(doc), origin });
    return record;
  }

  async create(entity: string, body: unknown, origin: WriteOrigin): Promise<StoredRecord> {
    const { store, doc } = await this.checked(entity, 'create', body, origin);
    return this.db.transaction((tx) => this.inserted(tx, store, doc, origin));
  }

  /**
   * Writes that stand or fall together, for an operation that stores several records it
   * computed (orders and their tracks, the portfolios of a subscription). Each goes through
   * validation, the access checks and the write hooks as a single create or update does
   * (preparers included, though here inside the transaction); `work` may write records that
   * point at those it wrote before.
   */
  async writeTogether<T>(origin: WriteOrigin, work: (write: TogetherWrites) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) =>
      work({
        create: async (entity, body) => {
          const { store, doc } = await this.checked(entity, 'create', body, origin);
          return this.inserted(tx, store, doc, origin);
        },
        update: async (entity, id, body) => {
          const { store, doc } = await this.checked(entity, 'update', body, origin, id);
          return this.updated(tx, store, id, doc, origin);
        },
      }),
    );
  }

  async update(entity: string, id: string, body: unknown, origin: WriteOrigin): Promise<StoredRecord> {
    const { store, doc } = await this.checked(entity, 'update', body, origin, id);
    return this.db.transaction((tx) => this.updated(tx, store, id, doc, origin));
  }

  async remove(entity: string, id: string, origin: WriteOrigin): Promise<void> {
    const store = this.store(entity);
    this.acl.checkWriteRole(origin.auth, entity, {});
    await this.db.transaction(async (tx) => {
      const before = await store.get(tx, origin.auth.tenantId, id, this.acl.readScope(origin.auth, entity));
      await this.acl.checkOwnedWrite(tx, origin.auth, entity, id, before);
      const record = await store.remove(tx, origin.auth.tenantId, id);
      await this.runHooks(tx, { declaration: store.declaration, action: 'delete', record, origin });
    });
  }
}
