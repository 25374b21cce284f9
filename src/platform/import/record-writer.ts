import type { Database, Queryable } from '../db/database.ts';
import type { AuthContext } from '../auth/tokens.ts';
import { entityPath } from '../entity/declaration.ts';
import { referencedIds, type Doc, type EntityStore, type StoredRecord } from '../entity/store.ts';
import { uniqueIndexName } from '../entity/tables.ts';
import type { EntityWriter, ImportedRecord, WriteOrigin } from '../entity/writer.ts';
import { ApiError } from '../http/api-error.ts';
import { errors } from '../http/errors.ts';
import { clearPending, saveCheckpoint, savePending, type Checkpoint, type PendingRecord } from './checkpoint.ts';
import type { SourceRecord } from './source-reader.ts';
import { unreadableFields } from './unreadable-fields.ts';
import { importOrder } from './import-order.ts';
import { UUID } from '../entity/uuid.ts';

const UNIQUE_VIOLATION = '23505';

export interface Refusal {
  entity: string;
  id: string;
  reason: string;
}

export interface BatchResult {
  created: number;
  updated: number;
  unchanged: number;
  refused: Refusal[];
  pending: PendingRecord[];
  /** Ids written (or, in a dry run, that would be), completed or not. */
  written: string[];
  /** Those of `written` that were not in the tenant before. */
  createdIds: string[];
  /** Fields the source did not give, per record written: a secret the team must set again. */
  notImported: { entity: string; id: string; field: string }[];
}

interface Candidate {
  record: SourceRecord;
  doc: Doc;
  id: string;
  createDate: string;
  updateDate: string;
  previous?: StoredRecord & { stored: Doc };
}

export interface ImportRun {
  tenantId: string;
  /** The source's base URL, as checkpoints are kept by it. */
  source: string;
  runId: string;
  dryRun: boolean;
}

/**
 * Writes a source's records into a tenant with the ids and dates they had there: the import
 * privilege, which no API route offers. Each record passes what any write passes (the create
 * schema, the caller's role, the entity's preparers, every reference in the tenant, unique
 * fields) and goes through the entity writer, whose hooks add what any write brings (an
 * audit_log record, marked as an import; a card transaction's spending) and leave out what an
 * import must not (webhooks, since the team's systems already know these records). A page is
 * one transaction: its records, what their hooks add, the records held back and the checkpoint
 * commit together.
 */
export class RecordWriter {
  /** In a dry run nothing is written, so what would have been stands in for it when references are checked. */
  private readonly wouldExist = new Map<string, Set<string>>();
  /** Per entity, the reference paths that close a cycle, which a record is first written without. */
  private readonly deferrable: Map<string, Set<string>>;

  constructor(
    private readonly db: Database,
    private readonly writer: EntityWriter,
    stores: EntityStore[],
    private readonly auth: AuthContext,
    private readonly run: ImportRun,
  ) {
    this.deferrable = new Map(importOrder(stores.map((s) => s.declaration)).map((step) => [step.entity, new Set(step.deferred)]));
  }

  private store(entity: string): EntityStore {
    return this.writer.store(entity);
  }

  /** The record as a create body, checked as the API checks one; the fields only the server sets are checked here. */
  private validated(store: EntityStore, record: SourceRecord): { doc: Doc; id: string; createDate: string; updateDate: string } {
    const { id, create_date, update_date, ...body } = record;
    if (typeof id !== 'string' || !UUID.test(id)) throw errors.invalidField({ field: 'id', problem: 'must be a UUID' });
    const createDate = new Date(create_date);
    const updateDate = new Date(update_date);
    if (typeof create_date !== 'string' || Number.isNaN(createDate.getTime())) throw errors.invalidField({ field: 'create_date', problem: 'must be a date-time' });
    if (typeof update_date !== 'string' || Number.isNaN(updateDate.getTime())) throw errors.invalidField({ field: 'update_date', problem: 'must be a date-time' });
    // A secret a source shows is at best its hash, which would be hashed again as if it were the secret.
    for (const secret of store.declaration.secrets ?? []) delete body[secret];
    const doc = this.writer.checkedWhole(store.declaration.name, body, this.auth);
    return { doc, id: id.toLowerCase(), createDate: createDate.toISOString(), updateDate: updateDate.toISOString() };
  }

  private async existing(db: Queryable, store: EntityStore, ids: string[]): Promise<Map<string, StoredRecord & { stored: Doc }>> {
    const rows = await db.query<{ id: string; create_date: Date; update_date: Date; doc: Doc }>(
      `SELECT id, create_date, update_date, doc FROM ${store.table} WHERE tenant_id = $1 AND id = ANY($2::uuid[])`,
      [this.run.tenantId, ids],
    );
    return new Map(rows.map((row) => [row.id, { ...store.serialize(row), stored: row.doc }]));
  }

  /**
   * Writes one page of an entity's records, or says what it would write. Records whose
   * references are not in the tenant yet are held back (import_pending) for a later pass,
   * or written without a reference that closes a cycle and held back to be completed.
   * `completing` writes held-back records even where the tenant has them at the same date.
   */
  async write(entity: string, records: SourceRecord[], checkpoint?: Checkpoint, completing = false): Promise<BatchResult> {
    const store = this.store(entity);
    const result: BatchResult = { created: 0, updated: 0, unchanged: 0, refused: [], pending: [], written: [], createdIds: [], notImported: [] };
    const valid: { record: SourceRecord; doc: Doc; id: string; createDate: string; updateDate: string }[] = [];
    // A source may list a record twice when it changes between two pages; its last reading wins.
    const latest = new Map(records.map((record) => [String(record.id).toLowerCase(), record]));
    for (const record of latest.values()) {
      try {
        valid.push({ record, ...this.validated(store, record) });
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        result.refused.push({ entity, id: String(record.id), reason: error.message });
      }
    }
    const found = await this.existing(this.db, store, valid.map((v) => v.id));
    const candidates: Candidate[] = [];
    for (const item of valid) {
      const previous = found.get(item.id);
      if (previous && previous.update_date === item.updateDate && !completing) {
        result.unchanged++;
        continue;
      }
      try {
        await this.writer.prepare(entity, item.doc, { action: previous ? 'update' : 'create', tenantId: this.run.tenantId, ...(previous ? { id: item.id } : {}) });
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        result.refused.push({ entity, id: item.id, reason: error.message });
        continue;
      }
      const secrets = store.declaration.secrets ?? [];
      const unreadable = unreadableFields(store.declaration).filter((field) => secrets.includes(field) || item.record[field] === undefined);
      const doc = await store.document(item.doc);
      // What the source cannot show is kept as this tenant has it, rather than replaced by a
      // value generated now (a webhook's secret) or lost (a password).
      for (const field of unreadable) {
        if (previous?.stored[field] !== undefined) doc[field] = previous.stored[field];
        else result.notImported.push({ entity, id: item.id, field });
      }
      candidates.push({ ...item, doc, ...(previous ? { previous } : {}) });
    }
    if (this.run.dryRun) {
      const accepted = await this.resolveReferences(this.db, store, candidates, result);
      const ids = this.wouldExist.get(entity) ?? new Set<string>();
      for (const c of accepted) ids.add(c.id);
      this.wouldExist.set(entity, ids);
      this.count(accepted, result);
      return result;
    }
    await this.db.transaction(async (tx) => {
      const accepted = await this.resolveReferences(tx, store, candidates, result);
      const written = await this.upsert(tx, store, accepted, result);
      this.count(written, result);
      await savePending(tx, this.run.tenantId, this.run.source, result.pending);
      const partial = new Set(result.pending.map((p) => p.record.id));
      await clearPending(tx, this.run.tenantId, result.written.filter((id) => !partial.has(id)));
      if (checkpoint) await saveCheckpoint(tx, this.run.tenantId, this.run.source, entity, checkpoint);
    });
    return result;
  }

  private count(written: Candidate[], result: BatchResult): void {
    for (const c of written) {
      if (c.previous) result.updated++;
      else {
        result.created++;
        result.createdIds.push(c.id);
      }
      result.written.push(c.id);
    }
  }

  /**
   * The candidates whose every reference is in the tenant, or among the candidates kept (a
   * record pointing at another of its own page); the others are held back. Targets are locked
   * as a single write locks them, so none can be deleted before the page commits.
   */
  private async resolveReferences(tx: Queryable, store: EntityStore, candidates: Candidate[], result: BatchResult): Promise<Candidate[]> {
    const entity = store.declaration.name;
    const references = Object.entries(store.declaration.references ?? {});
    const wanted = new Map<string, Set<string>>();
    for (const c of candidates) {
      for (const [path, target] of references) {
        for (const { id } of referencedIds(c.doc, path)) {
          if (!wanted.has(target)) wanted.set(target, new Set());
          wanted.get(target)!.add(id);
        }
      }
    }
    const present = new Map<string, Set<string>>();
    for (const [target, ids] of wanted) {
      const lock = this.run.dryRun ? '' : ' FOR KEY SHARE';
      const rows = await tx.query<{ id: string }>(
        `SELECT id FROM ${this.store(target).table} WHERE tenant_id = $1 AND id = ANY($2::uuid[])${lock}`,
        [this.run.tenantId, [...ids].filter((id) => UUID.test(id))],
      );
      const have = new Set(rows.map((r) => r.id));
      for (const id of this.wouldExist.get(target) ?? []) have.add(id);
      present.set(target, have);
    }
    let kept = candidates;
    for (let changed = true; changed; ) {
      changed = false;
      const keptIds = new Set(kept.map((c) => c.id));
      const next: Candidate[] = [];
      for (const c of kept) {
        const missing = references
          .flatMap(([path, target]) => referencedIds(c.doc, path).map((r) => ({ ...r, path, target })))
          .filter(({ id, target }) => !present.get(target)!.has(id) && !(target === entity && keptIds.has(id)));
        if (missing.length === 0) {
          next.push(c);
          continue;
        }
        changed = true;
        const first = missing[0];
        result.pending.push({
          entity,
          record: c.record,
          reason: `${first.field}: no ${first.target} with id ${first.id}`,
          missingEntity: first.target,
          missingId: first.id,
        });
        // The fields that close a cycle are left out for now (never a required one: a cycle of
        // required references could not have been created at the source either).
        const deferrable = this.deferrable.get(entity)!;
        const fields = new Set(missing.map(({ path }) => path.split(/[.[]/)[0]));
        const required = new Set(store.schemas.create.required ?? []);
        if (missing.every(({ path }) => deferrable.has(path)) && [...fields].every((f) => !required.has(f))) {
          const doc = { ...c.doc };
          for (const field of fields) delete doc[field];
          next.push({ ...c, doc });
        }
      }
      kept = next;
    }
    return kept;
  }

  /** Writes the page in one statement; a unique field taken by another record refuses that record alone. */
  private async upsert(tx: Queryable, store: EntityStore, candidates: Candidate[], result: BatchResult): Promise<Candidate[]> {
    if (candidates.length === 0) return [];
    const apply = async (rows: Candidate[]) => (await this.writer.importStatement(store.declaration.name, rows.map((c) => this.imported(store, c)))).apply(tx);
    await tx.query('SAVEPOINT import_page');
    try {
      await apply(candidates);
      await tx.query('RELEASE SAVEPOINT import_page');
      return candidates;
    } catch (error) {
      if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
      await tx.query('ROLLBACK TO SAVEPOINT import_page');
    }
    const written: Candidate[] = [];
    for (const candidate of candidates) {
      await tx.query('SAVEPOINT import_record');
      try {
        await apply([candidate]);
        await tx.query('RELEASE SAVEPOINT import_record');
        written.push(candidate);
      } catch (error) {
        if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
        await tx.query('ROLLBACK TO SAVEPOINT import_record');
        result.refused.push({ entity: store.declaration.name, id: candidate.id, reason: this.uniqueReason(store, error) });
      }
    }
    return written;
  }

  /** A candidate as the writer takes it, with the origin its audit record names: the import run and the source's record. */
  private imported(store: EntityStore, c: Candidate): ImportedRecord {
    const origin: WriteOrigin = {
      auth: this.auth,
      method: 'IMPORT',
      url: `/nucleus/v1/${entityPath(store.declaration)}/${c.id}`,
      requestId: this.run.runId,
      body: c.record,
      import: { source: this.run.source, run: this.run.runId },
    };
    const record: ImportedRecord = { id: c.id, createDate: c.createDate, updateDate: c.updateDate, doc: c.doc, origin };
    if (c.previous) {
      const { stored: _, ...previous } = c.previous;
      record.previous = previous;
    }
    return record;
  }

  private uniqueReason(store: EntityStore, error: unknown): string {
    const constraint = (error as { constraint?: string }).constraint ?? '';
    const fields = (store.declaration.unique ?? []).find((set) => constraint === uniqueIndexName(store.declaration, set));
    return `Another ${store.declaration.name} already has this ${fields?.join(', ') ?? 'unique field'}`;
  }
}
