import type { Queryable } from '../db/database.ts';
import type { AuthContext } from '../auth/tokens.ts';
import type { AccessControl, RowScope } from '../acl/access-control.ts';
import { errors } from '../http/errors.ts';
import { SqlParams } from '../list/filter.ts';
import type { ListQuery, Page } from '../list/paging.ts';
import type { EntityStore } from '../entity/store.ts';
import type { EntityName, EntityRecord } from '../entity/entity-records.ts';
import { FieldExpressions } from './fields.ts';
import { compileWhere, type Where } from './where.ts';

/** A record's own fields, as its document holds them. */
export type DocOf<N extends EntityName> = Omit<EntityRecord<N>, 'id' | 'create_date' | 'update_date'>;

/** A stored record as computations read it: its id and its fields. */
export interface Row<N extends EntityName> {
  id: string;
  doc: DocOf<N>;
}

/**
 * One read of an entity's rows. `where` holds the plain conditions; `and` adds SQL over the
 * fields' expressions for what a Where cannot say; `firstPer` keeps the first row in `order`
 * of each group of rows alike in its expressions (the latest balance of each account).
 */
export interface Read<N extends EntityName> {
  where?: Where<N>;
  and?: (f: FieldExpressions<N>, params: SqlParams) => string;
  columns?: (f: FieldExpressions<N>) => string;
  firstPer?: (f: FieldExpressions<N>) => string;
  group?: (f: FieldExpressions<N>) => string;
  order?: (f: FieldExpressions<N>) => string;
  limit?: number;
}

/** The stores and database every reader reads through. */
export interface ReadSources {
  db: Queryable;
  stores: ReadonlyMap<string, EntityStore>;
}

const ROW = 'r';

/**
 * Every read of entity records outside the entity routes goes through here. Each statement is
 * confined to one tenant, and a reader made for a caller also to the rows the access rules let
 * that caller see, so a view or a calculation never sums or lists what a plain read would hide.
 * Which of the two a reader is, is said where it is made.
 */
export class EntityReader {
  private constructor(
    readonly db: Queryable,
    readonly tenantId: string,
    private readonly stores: ReadonlyMap<string, EntityStore>,
    private readonly visible: (entity: string) => RowScope | undefined,
  ) {}

  /** A reader on behalf of the caller: their tenant, and only what their access rules let them read. */
  static asCaller(sources: ReadSources & { acl: AccessControl }, auth: AuthContext): EntityReader {
    return new EntityReader(sources.db, auth.tenantId, sources.stores, (entity) => sources.acl.readScope(auth, entity));
  }

  /**
   * A reader of a whole tenant, for work the server does on its own account (a card
   * authorization's limits cover every card of a holder, whoever asks).
   */
  static tenantWide(sources: ReadSources, tenantId: string): EntityReader {
    return new EntityReader(sources.db, tenantId, sources.stores, () => undefined);
  }

  /** The same reader over another connection, such as a transaction's. */
  within(db: Queryable): EntityReader {
    return new EntityReader(db, this.tenantId, this.stores, this.visible);
  }

  store(entity: string): EntityStore {
    const store = this.stores.get(entity);
    if (!store) throw new Error(`no entity named ${entity}`);
    return store;
  }

  /** The SQL expressions of an entity's fields, for a statement that knows its table as `alias`. */
  fields<N extends EntityName>(entity: N, alias: string): FieldExpressions<N> {
    return new FieldExpressions(entity, this.store(entity).schemas.record, alias);
  }

  /** Rows of one entity, as `{ id, doc }` unless `columns` says otherwise. */
  async rows<N extends EntityName, T = Row<N>>(entity: N, read: Read<N> = {}): Promise<T[]> {
    const params = new SqlParams([this.tenantId]);
    const f = this.fields(entity, ROW);
    const conditions = [`${ROW}.tenant_id = $1`, compileWhere(read.where ?? {}, f, params)];
    if (read.and) conditions.push(`(${read.and(f, params)})`);
    const scope = this.visible(entity);
    if (scope) conditions.push(`(${scope(params, ROW)})`);
    const columns = read.columns ? read.columns(f) : `${ROW}.id::text AS id, ${ROW}.doc`;
    const distinct = read.firstPer ? `DISTINCT ON (${read.firstPer(f)}) ` : '';
    const tail = [
      read.group ? `GROUP BY ${read.group(f)}` : '',
      read.order ? `ORDER BY ${read.order(f)}` : '',
      read.limit !== undefined ? `LIMIT ${Math.trunc(read.limit)}` : '',
    ].join(' ');
    return this.db.query<T>(`SELECT ${distinct}${columns} FROM ${this.store(entity).table} ${ROW} WHERE ${conditions.join(' AND ')} ${tail}`, params.values);
  }

  /** Records as the API returns them. */
  async records<N extends EntityName>(entity: N, read: Omit<Read<N>, 'columns' | 'group'> = {}): Promise<EntityRecord<N>[]> {
    const store = this.store(entity);
    const rows = await this.rows<N, { id: string; create_date: Date | string; update_date: Date | string; doc: Record<string, unknown> }>(entity, {
      ...read,
      columns: () => `${ROW}.id::text AS id, ${ROW}.create_date, ${ROW}.update_date, ${ROW}.doc`,
    });
    return rows.map((row) => store.serialize(row) as unknown as EntityRecord<N>);
  }

  /** The record first created of those meeting `where`, or undefined. */
  async first<N extends EntityName>(entity: N, where: Where<N>): Promise<EntityRecord<N> | undefined> {
    const [record] = await this.records(entity, { where, order: (f) => `${f.column('create_date')}, ${f.column('id')}`, limit: 1 });
    return record;
  }

  /** The records of an entity with the given ids (missing ones are left out). */
  byIds<N extends EntityName>(entity: N, ids: readonly string[]): Promise<Row<N>[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.rows(entity, { and: (f, p) => `${f.column('id')} = ANY(${p.add([...ids])}::uuid[])` });
  }

  /**
   * A statement that reads tables more than once, such as index probes in a LATERAL join.
   * `readable(entity, alias)` is the condition every read of an entity's table (known as
   * `alias`) must meet: the tenant ($1) and, for a caller, the rows they may see.
   */
  query<T>(build: (params: SqlParams, readable: (entity: EntityName, alias: string) => string) => string): Promise<T[]> {
    const params = new SqlParams([this.tenantId]);
    const sql = build(params, (entity, alias) => {
      const scope = this.visible(entity);
      return `${alias}.tenant_id = $1${scope ? ` AND (${scope(params, alias)})` : ''}`;
    });
    return this.db.query<T>(sql, params.values);
  }

  /** One record as the API returns it; 404 when the reader has none with this id. */
  async get<N extends EntityName>(entity: N, id: string): Promise<EntityRecord<N>> {
    return (await this.store(entity).get(this.db, this.tenantId, id, this.visible(entity))) as unknown as EntityRecord<N>;
  }

  /** One record's fields; 404 like get. */
  async doc<N extends EntityName>(entity: N, id: string): Promise<DocOf<N>> {
    const [row] = await this.byIds(entity, [id]);
    if (!row) throw errors.notFound({ reason: `No ${entity} with id ${id}` });
    return row.doc;
  }

  /** A page of an entity's records, narrowed by `scope` before the caller's filter. */
  list(entity: EntityName, query: ListQuery, scope: RowScope): Promise<Page<Record<string, unknown>>> {
    const visible = this.visible(entity);
    const both: RowScope = (params, alias) => (visible ? `(${scope(params, alias)}) AND (${visible(params, alias)})` : scope(params, alias));
    return this.store(entity).list(this.db, this.tenantId, query, both);
  }
}
