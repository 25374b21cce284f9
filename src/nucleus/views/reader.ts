import type { Queryable } from '../../platform/db/database.ts';
import type { AuthContext } from '../../platform/auth/tokens.ts';
import type { AccessControl, RowScope } from '../../platform/acl/access-control.ts';
import { errors } from '../../platform/http/errors.ts';
import { SqlParams } from '../../platform/list/filter.ts';
import type { ListQuery, Page } from '../../platform/list/paging.ts';
import type { Doc, EntityStore, StoredRecord } from '../../platform/entity/store.ts';
import { EntityReader } from '../../platform/read/entity-reader.ts';

/** A stored record as the views compute with it: its id and its fields. */
export interface Row {
  id: string;
  doc: Doc;
}

/** A condition over the rows of one table, known in SQL by `alias`; it adds its values to the params. */
export type Condition = (params: SqlParams, alias: string) => string;

/**
 * Every read the views make goes through here, on behalf of one caller: each statement is
 * confined to the caller's tenant and to the rows the access rules let the caller see, so
 * a view never sums or lists what a plain read would hide.
 */
export class ViewReader {
  /** The same reads through the platform's typed reader, which replaces this one. */
  readonly entities: EntityReader;

  constructor(
    readonly db: Queryable,
    readonly auth: AuthContext,
    private readonly stores: ReadonlyMap<string, EntityStore>,
    private readonly acl?: AccessControl,
  ) {
    this.entities = acl ? EntityReader.asCaller({ db, stores, acl }, auth) : EntityReader.tenantWide({ db, stores }, auth.tenantId);
  }

  get tenantId(): string {
    return this.auth.tenantId;
  }

  store(entity: string): EntityStore {
    const store = this.stores.get(entity);
    if (!store) throw new Error(`no entity named ${entity}`);
    return store;
  }

  private visible(entity: string): RowScope | undefined {
    return this.acl?.readScope(this.auth, entity);
  }

  /** Rows of one entity meeting a condition over the alias `r` ($1 is the tenant). */
  async select<T = Row>(entity: string, where: (params: SqlParams) => string, options: { columns?: string; tail?: string } = {}): Promise<T[]> {
    const params = new SqlParams([this.tenantId]);
    const condition = where(params);
    const scope = this.visible(entity);
    const visible = scope ? ` AND (${scope(params, 'r')})` : '';
    const columns = options.columns ?? 'r.id::text AS id, r.doc';
    return this.db.query<T>(`SELECT ${columns} FROM ${this.store(entity).table} r WHERE r.tenant_id = $1 AND (${condition})${visible} ${options.tail ?? ''}`, params.values);
  }

  /**
   * A statement that reads tables more than once, such as index probes in a LATERAL join.
   * `readable(entity, alias)` is the condition every read of an entity's table (known as
   * `alias`) must meet: the caller's tenant ($1) and the rows the access rules let it see.
   */
  query<T>(build: (params: SqlParams, readable: (entity: string, alias: string) => string) => string): Promise<T[]> {
    const params = new SqlParams([this.tenantId]);
    const sql = build(params, (entity, alias) => {
      const scope = this.visible(entity);
      return `${alias}.tenant_id = $1${scope ? ` AND (${scope(params, alias)})` : ''}`;
    });
    return this.db.query<T>(sql, params.values);
  }

  /** The records of an entity with the given ids (missing ones are left out). */
  byIds(entity: string, ids: readonly string[]): Promise<Row[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.select(entity, (p) => `r.id = ANY(${p.add([...ids])}::uuid[])`);
  }

  /** Records as the API returns them, meeting a condition like select's. */
  async records(entity: string, where: (params: SqlParams) => string, tail = ''): Promise<StoredRecord[]> {
    const store = this.store(entity);
    const rows = await this.select<{ id: string; create_date: Date | string; update_date: Date | string; doc: Doc }>(entity, where, {
      columns: 'r.id::text AS id, r.create_date, r.update_date, r.doc',
      tail,
    });
    return rows.map((row) => store.serialize(row));
  }

  /** One record as the API returns it; 404 when the caller has none with this id. */
  get(entity: string, id: string): Promise<StoredRecord> {
    return this.store(entity).get(this.db, this.tenantId, id, this.visible(entity));
  }

  /** One record's fields; 404 like get. */
  async doc(entity: string, id: string): Promise<Doc> {
    const [row] = await this.byIds(entity, [id]);
    if (!row) throw errors.notFound({ reason: `No ${entity} with id ${id}` });
    return row.doc;
  }

  /** A page of an entity's records, narrowed by `scope` before the caller's filter. */
  list(entity: string, query: ListQuery, scope: Condition): Promise<Page<StoredRecord>> {
    const visible = this.visible(entity);
    const both: RowScope = (params, alias) => (visible ? `(${scope(params, alias)}) AND (${visible(params, alias)})` : scope(params, alias));
    return this.store(entity).list(this.db, this.tenantId, query, both);
  }
}

/**
 * What the views' shared reads (portfoliosOf, latestValues, ...) accept while Proton still
 * hands them a ViewReader; they read through the typed reader either one stands for.
 */
export type AnyReader = EntityReader | ViewReader;

export function typedReader(reader: AnyReader): EntityReader {
  return reader instanceof ViewReader ? reader.entities : reader;
}
