import type { Static, TObject } from 'typebox';

/**
 * Everything the engine needs to serve one Nucleus entity: storage, validation, filters,
 * serialization and documentation are all derived from this.
 */
export interface EntityDeclaration<S extends TObject = TObject, N extends string = string> {
  /** The stem of its table name, and its path segment under /nucleus/v1 unless `path` says otherwise. */
  name: N;
  /**
   * Where it is served under /nucleus/v1 when that is not its name, e.g. "resource/institution";
   * the id parameter is still `{name}_id`.
   */
  path?: string;
  /** Name of the definition in Hydrogen's specification (used in the OpenAPI document). */
  title: string;
  /** OpenAPI tag the operations are grouped under. */
  tag: string;
  /**
   * The entity's own fields. The engine adds id, secondary_id, metadata, create_date and
   * update_date to every entity, so they are not declared here.
   */
  schema: S;
  /** Field path to the entity it must point at, e.g. "account_type_id" or "clients[].client_id". */
  references?: Record<string, string>;
  /** Sets of fields whose values must be unique inside a tenant. */
  unique?: string[][];
  /**
   * Extra indexes, each over fields in order, for reads that pick records by the first fields
   * and take them in the order of the last (e.g. a portfolio's records by date).
   */
  indexes?: string[][];
  /** Accepted on write, stored only as a bcrypt hash, never returned or filterable. */
  secrets?: string[];
  /** Service name in Hydrogen's webhook enum, when changes to this entity raise events. */
  webhookService?: string;
  /**
   * Records of this entity exist only for the record they point at, and are deleted with it
   * instead of blocking its deletion (an account's permission list).
   */
  dependent?: boolean;
  /**
   * The references through which a record belongs to a client, when not all of them: naming
   * a client in an account's permission list does not make the list that client's to change.
   */
  ownedThrough?: string[];
  /** Fields only administrators may set, such as the roles a client logs in with. */
  administeredFields?: string[];
  /** The operations the specification lists for it; all five when omitted. */
  operations?: EntityOperation[];
}

export type EntityOperation = 'create' | 'list' | 'get' | 'update' | 'delete';

export const ALL_OPERATIONS: EntityOperation[] = ['create', 'list', 'get', 'update', 'delete'];

/** The entity's collection path under /nucleus/v1, without a leading slash. */
export function entityPath(declaration: EntityDeclaration): string {
  return declaration.path ?? declaration.name;
}

/** Keeps the entity's name and schema in its type, so its record type follows from the declaration. */
export function defineEntity<const N extends string, S extends TObject>(declaration: EntityDeclaration<S, N>): EntityDeclaration<S, N> {
  return declaration;
}

/** The fields the engine adds to every record (a type, not an interface, so a record is also a plain Doc). */
export type ServerFields = {
  id: string;
  secondary_id?: string;
  metadata?: Record<string, string>;
  create_date: string;
  update_date: string;
};

/** A record of a declared entity as stored and returned: its own fields and the engine's. */
export type RecordOf<D extends EntityDeclaration> = Static<D['schema']> & ServerFields;

/** Each declared entity's record type by entity name, for a list of declarations. */
export type RecordsByName<D extends EntityDeclaration> = { [E in D as E['name']]: RecordOf<E> };
