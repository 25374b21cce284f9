import type { Database, Queryable } from '../db/database.ts';
import { ApiError } from '../http/api-error.ts';
import { errors } from '../http/errors.ts';
import { compileInputCheck, type InputCheck } from '../http/validation.ts';
import type { LeniencyOptions } from '../http/lenient-input.ts';
import type { AuthContext } from '../auth/tokens.ts';
import type { EntityDeclaration } from './declaration.ts';
import type { AccessControl } from '../acl/access-control.ts';
import type { Doc, EntityStore, StoredRecord } from './store.ts';
import { WriteStatement } from './write-statement.ts';

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
  /** Set when the importer wrote the record with the id and dates it had at `source` (src/platform/import). */
  import?: { source: string; run: string };
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
 * Called once a write is planned, before anything is sent, with the record as the write will
 * leave it. Whatever it records (an outbox event, an audit row) it adds to the write's own
 * statement, so that it commits or rolls back together with the change; work that must read
 * inside the transaction it hands to `write.afterwards`.
 */
export type WriteHook = (event: WriteEvent, write: WriteStatement) => void | Promise<void>;

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

/** A record another server held, as the importer writes it (EntityWriter.importStatement). */
export interface ImportedRecord {
  id: string;
  createDate: string;
  updateDate: string;
  /** As the store keeps it (EntityStore.document). */
  doc: Doc;
  /** The record as this tenant had it, when it had it. */
  previous?: StoredRecord;
  origin: WriteOrigin;
}

/** The writes offered to the work of writeTogether, inside its one transaction. */
export interface TogetherWrites {
  create(entity: string, body: unknown): Promise<StoredRecord>;
  update(entity: string, id: string, body: unknown): Promise<StoredRecord>;
}

/**
 * The one path every write takes, whether from a single request or a bulk job: validation,
 * storage and the write hooks, applied together (write-statement.ts).
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
    if (!store) throw errors.notFound({ reason: `No entity named ${entity}` });
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

  /** Runs the entity's preparers over a checked body; a refusal is an ApiError. */
  async prepare(entity: string, doc: Doc, context: PrepareContext): Promise<void> {
    for (const preparer of this.preparers.get(entity) ?? []) await preparer(doc, context);
  }

  private async runHooks(write: WriteStatement, event: WriteEvent): Promise<void> {
    for (const hook of this.hooks) await hook(event, write);
  }

  /** The checks a body passes before any transaction opens: its schema, the caller's role, the preparers. */
  private async checked(entity: string, action: 'create' | 'update', body: unknown, origin: WriteOrigin, id?: string): Promise<{ store: EntityStore; doc: Doc }> {
    const store = this.store(entity);
    const doc = this.validate(store, action, body);
    this.acl.checkWriteRole(origin.auth, entity, doc);
    await this.prepare(entity, doc, { action, tenantId: origin.auth.tenantId, ...(id ? { id } : {}) });
    return { store, doc };
  }

  private async insertion(store: EntityStore, doc: Doc, origin: WriteOrigin): Promise<{ write: WriteStatement; record: StoredRecord }> {
    const write = new WriteStatement();
    const record = store.addInsert(write, origin.auth.tenantId, await store.document(doc));
    await this.runHooks(write, { declaration: store.declaration, action: 'create', record, origin });
    return { write, record };
  }

  private async updated(tx: Queryable, store: EntityStore, id: string, doc: Doc, origin: WriteOrigin): Promise<StoredRecord> {
    const entity = store.declaration.name;
    const previous = await store.lockForWrite(tx, origin.auth.tenantId, id, this.acl.readScope(origin.auth, entity));
    await this.acl.checkOwnedWrite(tx, origin.auth, entity, id, previous);
    await this.acl.checkOwnedWrite(tx, origin.auth, entity, id, { ...previous, ...doc });
    const write = new WriteStatement();
    const record = store.addUpdate(write, origin.auth.tenantId, previous, await store.document(doc));
    await this.runHooks(write, { declaration: store.declaration, action: 'update', record, previous, changedFields: Object.keys(doc), origin });
    await write.apply(tx);
    return record;
  }

  /**
   * A whole record checked as a create's body is (its schema, then the caller's role), for a
   * writer that stores records whole (the importer); the preparers are its to run, since
   * whether the record is new decides how.
   */
  checkedWhole(entity: string, body: unknown, auth: AuthContext): Doc {
    const store = this.store(entity);
    const doc = this.validate(store, 'create', body);
    this.acl.checkWriteRole(auth, entity, doc);
    return doc;
  }

  /**
   * Records another server held, written with their ids and dates (src/platform/import): one
   * statement upserting them and holding what the write hooks add for each, as for any write
   * (an audit record, a spending ledger move), each with its own origin. Apply it in the
   * caller's transaction.
   */
  async importStatement(entity: string, records: ImportedRecord[]): Promise<WriteStatement> {
    const store = this.store(entity);
    const write = new WriteStatement();
    if (records.length === 0) return write;
    const tenants = new Set(records.map((r) => r.origin.auth.tenantId));
    if (tenants.size !== 1) throw new Error('an import statement writes into one tenant');
    const written = store.addUpsert(write, [...tenants][0], records);
    for (const [i, imported] of records.entries()) {
      const { previous, origin } = imported;
      const event: WriteEvent = previous
        ? { declaration: store.declaration, action: 'update', record: written[i], previous, changedFields: Object.keys(imported.doc), origin }
        : { declaration: store.declaration, action: 'create', record: written[i], origin };
      await this.runHooks(write, event);
    }
    return write;
  }

  async create(entity: string, body: unknown, origin: WriteOrigin): Promise<StoredRecord> {
    const { store, doc } = await this.checked(entity, 'create', body, origin);
    // It takes no locks, so it reads as well before the transaction, which most creates then do without.
    await this.acl.checkOwnedWrite(this.db, origin.auth, entity, null, doc);
    const { write, record } = await this.insertion(store, doc, origin);
    await write.commit(this.db);
    return record;
  }

  /**
   * Writes that stand or fall together, for an operation that stores several records it
   * computed (orders and their tracks, the portfolios of a subscription). Each goes through
   * validation, the access checks and the write hooks as a single create or update does
   * (preparers included, though here inside the transaction); `work` may write records that
   * point at those it wrote before.
   */
  writeTogether<T>(origin: WriteOrigin, work: (write: TogetherWrites) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) => this.writeWithin(tx, origin, work));
  }

  /** As writeTogether, inside a transaction the caller holds: records that must commit with the caller's own writes. */
  writeWithin<T>(tx: Queryable, origin: WriteOrigin, work: (write: TogetherWrites) => Promise<T>): Promise<T> {
    return work({
      create: async (entity, body) => {
        const { store, doc } = await this.checked(entity, 'create', body, origin);
        await this.acl.checkOwnedWrite(tx, origin.auth, entity, null, doc);
        const { write, record } = await this.insertion(store, doc, origin);
        await write.apply(tx);
        return record;
      },
      update: async (entity, id, body) => {
        const { store, doc } = await this.checked(entity, 'update', body, origin, id);
        return this.updated(tx, store, id, doc, origin);
      },
    });
  }

  async update(entity: string, id: string, body: unknown, origin: WriteOrigin): Promise<StoredRecord> {
    const { store, doc } = await this.checked(entity, 'update', body, origin, id);
    return this.db.transaction((tx) => this.updated(tx, store, id, doc, origin));
  }

  async remove(entity: string, id: string, origin: WriteOrigin): Promise<void> {
    const store = this.store(entity);
    this.acl.checkWriteRole(origin.auth, entity, {});
    await this.db.transaction(async (tx) => {
      const record = await store.lockForWrite(tx, origin.auth.tenantId, id, this.acl.readScope(origin.auth, entity));
      await this.acl.checkOwnedWrite(tx, origin.auth, entity, id, record);
      const write = new WriteStatement();
      store.addDelete(write, origin.auth.tenantId, record.id);
      await this.runHooks(write, { declaration: store.declaration, action: 'delete', record, origin });
      await write.apply(tx);
    });
  }
}
