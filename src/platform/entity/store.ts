import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/database.ts';
import { errors } from '../http/errors.ts';
import { hashSecret } from '../auth/passwords.ts';
import { compileFilter, SqlParams } from '../list/filter.ts';
import { compileFieldPath, SQL_CAST } from '../list/field-paths.ts';
import { offsetOf, pageOf, type ListQuery, type Page } from '../list/paging.ts';
import type { RowScope } from '../acl/access-control.ts';
import type { EntityDeclaration } from './declaration.ts';
import { deriveSchemas, SERVER_FIELD_NAMES, type EntitySchemas, type JsonSchema } from './schemas.ts';
import { tableName, uniqueIndexName } from './tables.ts';
import { withIndexedTextLimits } from './index-limits.ts';
import { rowCountSql } from './row-counts.ts';
import { WriteStatement } from './write-statement.ts';

export type Doc = Record<string, unknown>;
export type StoredRecord = { id: string; create_date: string; update_date: string } & Doc;

interface Row {
  id: string;
  create_date: Date | string;
  update_date: Date | string;
  doc: Doc;
}

function iso(value: Date | string): string {
  return value instanceof Date ? value.toISOString() : new Date(value).toISOString();
}

const UNIQUE_VIOLATION = '23505';

/** Matches of a filtered list few enough to read and sort them all for a page (see list). */
const FEW_MATCHES = 10_000;

/**
 * Generic persistence for every declared entity. Each call is scoped to one tenant: the
 * tenant id is part of every statement's WHERE clause or inserted row.
 */
export class EntityStore {
  readonly schemas: EntitySchemas;
  readonly table: string;
  private readonly hidden: Set<string>;

  constructor(readonly declaration: EntityDeclaration) {
    this.schemas = withIndexedTextLimits(declaration, deriveSchemas(declaration));
    this.table = tableName(declaration);
    this.hidden = new Set(['metadata', ...(declaration.secrets ?? [])]);
  }

  serialize(row: Row): StoredRecord {
    return this.recordOf(row.id, iso(row.create_date), iso(row.update_date), row.doc);
  }

  private recordOf(id: string, createDate: string, updateDate: string, stored: Doc): StoredRecord {
    const doc = { ...stored };
    for (const secret of this.declaration.secrets ?? []) delete doc[secret];
    return { id, create_date: createDate, update_date: updateDate, ...doc };
  }

  /** A body as it is stored: server fields dropped, secrets hashed, values in their canonical form. */
  async document(body: Doc): Promise<Doc> {
    const doc: Doc = {};
    for (const [key, value] of Object.entries(body)) {
      if (SERVER_FIELD_NAMES.includes(key) || value === undefined) continue;
      doc[key] = value;
    }
    for (const secret of this.declaration.secrets ?? []) {
      if (typeof doc[secret] === 'string') doc[secret] = await hashSecret(doc[secret] as string);
    }
    canonicalize(doc, this.schemas.create);
    return doc;
  }

  /**
   * Every id a record points at must exist in the same tenant; checked in the write's
   * transaction before its statement, since the lock must be held until commit.
   */
  private checkReferences(write: WriteStatement, tenantId: string, doc: Doc): void {
    for (const [path, target] of Object.entries(this.declaration.references ?? {})) {
      for (const { field, id } of referencedIds(doc, path)) {
        write.beforehand(async (tx) => {
          // KEY SHARE holds the target until commit, so a concurrent delete cannot orphan this record.
          const rows = await tx.query(`SELECT 1 FROM nucleus_${target} WHERE tenant_id = $1 AND id = $2 FOR KEY SHARE`, [tenantId, id]);
          if (rows.length === 0) {
            throw errors.referenceNotFound({ field, target, id });
          }
        });
      }
    }
  }

  private uniqueConflict(error: unknown): void {
    const { code, table, constraint = '' } = error as { code?: string; table?: string; constraint?: string };
    if (code !== UNIQUE_VIOLATION || table !== this.table) return;
    const fields = (this.declaration.unique ?? []).find((set) => constraint === uniqueIndexName(this.declaration, set));
    const field = fields?.join(', ') ?? 'unique field';
    throw errors.duplicate({ reason: `Another ${this.declaration.name} already has this ${field}`, field: fields?.[0] });
  }

  /** Adds a new record of `doc` (made by document()) to `write`; returns the record as it will read once written. */
  addInsert(write: WriteStatement, tenantId: string, doc: Doc): StoredRecord {
    this.checkReferences(write, tenantId, doc);
    const id = randomUUID();
    const now = new Date().toISOString();
    const text = JSON.stringify(doc);
    const p = write.params;
    const at = p.add(now);
    write.add(
      `INSERT INTO ${this.table} (tenant_id, id, create_date, update_date, doc) VALUES (${p.add(tenantId)}, ${p.add(id)}, ${at}, ${at}, ${p.add(text)}::jsonb)`,
      (error) => this.uniqueConflict(error),
    );
    return this.recordOf(id, now, now, readBack(text));
  }

  /**
   * Adds a change of the record `previous`, read under lockForWrite, to `write`: only the
   * fields of `changes` (made by document()) are set, and a nested object or array is
   * replaced whole. Returns the record as it will read once written.
   */
  addUpdate(write: WriteStatement, tenantId: string, previous: StoredRecord, changes: Doc): StoredRecord {
    this.checkReferences(write, tenantId, changes);
    const now = new Date().toISOString();
    const text = JSON.stringify(changes);
    const p = write.params;
    write.add(
      `UPDATE ${this.table} SET doc = doc || ${p.add(text)}::jsonb, update_date = ${p.add(now)}
       WHERE tenant_id = ${p.add(tenantId)} AND id = ${p.add(previous.id)}`,
      (error) => this.uniqueConflict(error),
    );
    // The secrets a record hides are hidden again once merged, so the record shown stands for the document.
    const { id, create_date, update_date: _, ...doc } = previous;
    return this.recordOf(id, create_date, now, readBack(JSON.stringify({ ...doc, ...changes })));
  }

  /**
   * Adds records another server held, with the ids and dates they had there, to `write`: each
   * inserted, or replaced whole where the tenant has it. Their references and unique fields are
   * the caller's to have settled (the importer holds back a record whose reference is missing,
   * and writes one by one to learn which took a unique value).
   */
  addUpsert(write: WriteStatement, tenantId: string, rows: { id: string; createDate: string; updateDate: string; doc: Doc }[]): StoredRecord[] {
    const p = write.params;
    write.add(
      `INSERT INTO ${this.table} (tenant_id, id, create_date, update_date, doc)
       SELECT ${p.add(tenantId)}, r.id, r.create_date, r.update_date, r.doc::jsonb
         FROM unnest(${p.add(rows.map((r) => r.id))}::uuid[], ${p.add(rows.map((r) => r.createDate))}::timestamptz[],
                     ${p.add(rows.map((r) => r.updateDate))}::timestamptz[], ${p.add(rows.map((r) => JSON.stringify(r.doc)))}::text[]) AS r(id, create_date, update_date, doc)
       ON CONFLICT (tenant_id, id) DO UPDATE SET create_date = excluded.create_date, update_date = excluded.update_date, doc = excluded.doc`,
    );
    return rows.map((r) => this.recordOf(r.id, r.createDate, r.updateDate, readBack(JSON.stringify(r.doc))));
  }

  /** Adds the removal of a record, read under lockForWrite, to `write`; dependent records go with it. */
  addDelete(write: WriteStatement, tenantId: string, id: string): void {
    write.beforehand((tx) => this.refuseIfReferenced(tx, tenantId, id));
    const p = write.params;
    write.add(`DELETE FROM ${this.table} WHERE tenant_id = ${p.add(tenantId)} AND id = ${p.add(id)}`);
  }

  /** A new record, written inside the open transaction `tx` without write hooks. */
  async create(tx: Queryable, tenantId: string, body: Doc): Promise<StoredRecord> {
    const write = new WriteStatement();
    const record = this.addInsert(write, tenantId, await this.document(body));
    await write.apply(tx);
    return record;
  }

  /** A change of a record, written inside the open transaction `tx` without write hooks. */
  async update(tx: Queryable, tenantId: string, id: string, body: Doc): Promise<{ record: StoredRecord; previous: StoredRecord }> {
    const previous = await this.lockForWrite(tx, tenantId, id);
    const write = new WriteStatement();
    const record = this.addUpdate(write, tenantId, previous, await this.document(body));
    await write.apply(tx);
    return { record, previous };
  }

  /** One record; a scope narrows what counts as found, so records outside it are a plain 404. */
  get(db: Queryable, tenantId: string, id: string, scope?: RowScope): Promise<StoredRecord> {
    return this.read(db, tenantId, id, scope, '');
  }

  /**
   * A record about to be changed or deleted, locked until the transaction `tx` ends. NO KEY
   * UPDATE keeps other writes off it but lets records pointing at it be written meanwhile (their
   * KEY SHARE), as the change itself would.
   */
  lockForWrite(tx: Queryable, tenantId: string, id: string, scope?: RowScope): Promise<StoredRecord> {
    return this.read(tx, tenantId, id, scope, ' FOR NO KEY UPDATE');
  }

  private async read(db: Queryable, tenantId: string, id: string, scope: RowScope | undefined, lock: string): Promise<StoredRecord> {
    const params = new SqlParams([tenantId, id]);
    const visible = scope ? ` AND ${scope(params, this.table)}` : '';
    const rows = await db.query<Row>(
      `SELECT id, create_date, update_date, doc FROM ${this.table} WHERE tenant_id = $1 AND id = $2${visible}${lock}`,
      params.values,
    );
    if (rows.length === 0) throw errors.notFound({ reason: `No ${this.declaration.name} with id ${id}` });
    return this.serialize(rows[0]);
  }

  /** Records elsewhere that point at this one; set by the registry once all stores exist. */
  referrers: { store: EntityStore; path: string }[] = [];

  /**
   * A record that others still point at is kept: deleting it would leave them dangling.
   * Dependent records (declared so) go with it instead.
   */
  private async refuseIfReferenced(db: Queryable, tenantId: string, id: string): Promise<void> {
    for (const { store, path } of this.referrers) {
      const match = [tenantId, JSON.stringify(containing(path, id.toLowerCase()))];
      if (store.declaration.dependent) {
        await db.query(`DELETE FROM ${store.table} WHERE tenant_id = $1 AND doc @> $2::jsonb`, match);
        continue;
      }
      const rows = await db.query(`SELECT id FROM ${store.table} WHERE tenant_id = $1 AND doc @> $2::jsonb LIMIT 1`, match);
      if (rows.length > 0) {
        throw errors.referenced({ reason: `This ${this.declaration.name} is still referenced by ${store.declaration.name} ${(rows[0] as { id: string }).id} (${path}); delete or change that first` });
      }
    }
  }

  /**
   * One page of the tenant's records. `scope` narrows the list before the caller's filter
   * applies: to what the caller may see, or for views such as "the transactions of these
   * portfolios"; it adds its own values through the params it is given.
   */
  async list(db: Queryable, tenantId: string, query: ListQuery, scope?: RowScope): Promise<Page<StoredRecord>> {
    const params = new SqlParams([tenantId]);
    const record = this.schemas.record;
    const scoped = scope ? `(${scope(params, this.table)})` : 'true';
    const filtered = query.filter ? compileFilter(query.filter, record, this.hidden, params) : 'true';
    const where = `${scoped} AND ${filtered}`;
    const orderContext = { record, hidden: this.hidden, parameter: 'order_by' as const };
    // Only a field of the document can be missing: the columns are NOT NULL, and sorting them
    // without NULLS LAST lets a page be read in the order of their index instead of sorting all rows.
    let nulls = '';
    const orderExpr = compileFieldPath(query.order_by, orderContext, {
      leaf: (text, kind, inDocument) => {
        if (inDocument) nulls = ' NULLS LAST';
        return `(${text})::${SQL_CAST[kind]}`;
      },
    });
    if (orderExpr.startsWith('EXISTS')) throw errors.invalidField({ field: 'order_by', problem: `cannot sort by a field inside a list (${query.order_by})` });
    const direction = query.ascending ? 'ASC' : 'DESC';
    // Unscoped and unfiltered, the list is all the tenant's rows, whose number is kept as they
    // change (row-counts.ts): counting them would cost a scan of the tenant on every page.
    const whole = !scope && !query.filter;
    const matching = `SELECT id, create_date, update_date, doc FROM ${this.table} WHERE tenant_id = $1 AND ${where}`;
    const countRows = await db.query<{ count: string }>(
      whole ? rowCountSql(this.table, '$1') : `SELECT count(*) AS count FROM ${this.table} WHERE tenant_id = $1 AND ${where}`,
      params.values,
    );
    const total = Number(countRows[0].count);
    const limit = params.add(query.size);
    const offset = params.add(offsetOf(query));
    // With LIMIT, the planner likes to walk the index of the order until enough rows pass the
    // filter, expecting them spread evenly; when they gather far from where the walk starts (a
    // range of creation dates, newest updates first), it reads most of the tenant. The count
    // just told how many there are: when few, reading them all through the filter's index and
    // sorting them costs about what counting them did. OFFSET 0 keeps the planner from that walk.
    const fenced = !whole && total <= FEW_MATCHES;
    const rows = await db.query<Row>(
      `${fenced ? `SELECT * FROM (${matching} OFFSET 0) AS matching` : matching}
       ORDER BY ${orderExpr} ${direction}${nulls}, id ${direction}
       LIMIT ${limit} OFFSET ${offset}`,
      params.values,
    );
    return pageOf(rows.map((r) => this.serialize(r)), total, query);
  }
}

/** The ids found at a reference path, each with the field it was found in. */
export function referencedIds(doc: Doc, path: string): { field: string; id: string }[] {
  const arrayAt = path.indexOf('[].');
  if (arrayAt === -1) {
    const value = doc[path];
    return typeof value === 'string' ? [{ field: path, id: value }] : [];
  }
  const listName = path.slice(0, arrayAt);
  const rest = path.slice(arrayAt + 3);
  const list = doc[listName];
  if (!Array.isArray(list)) return [];
  return list.flatMap((item, index) =>
    item && typeof item === 'object'
      ? referencedIds(item as Doc, rest).map((r) => ({ field: `${listName}[${index}].${r.field}`, id: r.id }))
      : [],
  );
}

/** Key order of a jsonb object: shorter keys first, then by their bytes. */
function jsonbKeyOrder(a: string, b: string): number {
  if (NON_ASCII.test(a) || NON_ASCII.test(b)) {
    const x = Buffer.from(a);
    const y = Buffer.from(b);
    return x.length - y.length || Buffer.compare(x, y);
  }
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

const NON_ASCII = /[^\x00-\x7F]/;

function inJsonbOrder(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(inJsonbOrder);
  if (value === null || typeof value !== 'object') return value;
  const object = value as Doc;
  return Object.fromEntries(Object.keys(object).sort(jsonbKeyOrder).map((key) => [key, inJsonbOrder(object[key])]));
}

/**
 * The document of JSON text as PostgreSQL will read it back once stored as jsonb, which keeps
 * no key order of its own: a write's record is known before it is sent, so it is sent with its
 * hooks' work in one statement, and hooks see (and webhooks carry) the keys in the order reads give.
 */
function readBack(text: string): Doc {
  return inJsonbOrder(JSON.parse(text)) as Doc;
}

/** The JSON a record holding `id` at `path` contains, for a containment (@>) search. */
function containing(path: string, id: string): Doc {
  const arrayAt = path.indexOf('[].');
  if (arrayAt === -1) return { [path]: id };
  return { [path.slice(0, arrayAt)]: [containing(path.slice(arrayAt + 3), id)] };
}

/**
 * Date-times (UTC, ISO 8601) and UUIDs (lower case) are stored in one canonical form, so equal
 * values compare, index and match access rules as equal.
 */
function canonicalize(value: unknown, schema: JsonSchema | undefined): unknown {
  if (!schema) return value;
  if (typeof value === 'string') {
    if (schema.format === 'date-time') return new Date(value).toISOString();
    if (schema.format === 'uuid') return value.toLowerCase();
    return value;
  }
  if (Array.isArray(value)) return value.map((item) => canonicalize(item, schema.items));
  if (value !== null && typeof value === 'object') {
    const record = value as Doc;
    for (const [key, property] of Object.entries(schema.properties ?? {})) {
      if (record[key] !== undefined) record[key] = canonicalize(record[key], property);
    }
  }
  return value;
}
