import { ApiError } from '../http/api-error.ts';
import { compileFieldPath, SQL_CAST, type FieldContext, type PathCompilers, type ScalarKind } from '../list/field-paths.ts';
import type { JsonSchema } from '../entity/schemas.ts';
import type { EntityName, FieldOf } from '../entity/entity-records.ts';

/** A field, or a path into one of its objects ("bank_credit.amount"). */
export type FieldPath<N extends EntityName> = FieldOf<N> | `${FieldOf<N>}.${string}`;

/** A field's SQL: its value as text (the form the expression indexes are built on) and its kind. */
export interface FieldSql {
  text: string;
  kind: ScalarKind;
  /** Read from the JSON document rather than from one of the table's own columns. */
  inDocument: boolean;
}

/**
 * SQL expressions for one entity's fields, in a statement that knows its table as `alias`.
 * Each comes from the engine's field compiler, as list filters do, so a read names fields the
 * declaration has and gets them in the form its indexes serve; a name the entity lacks is a
 * bug, not a client's error.
 */
export class FieldExpressions<N extends EntityName> {
  private readonly context: FieldContext;

  constructor(
    readonly entity: N,
    record: JsonSchema,
    readonly alias: string,
  ) {
    this.context = { record, hidden: new Set(), parameter: 'filter', alias };
  }

  /** The field's value and kind; fails for a field the entity does not have, or one inside a list. */
  sql(path: FieldPath<N>): FieldSql {
    let found: FieldSql | undefined;
    let listed = false;
    this.compile(path, {
      leaf: (text, kind, inDocument, inList) => {
        found = { text, kind, inDocument };
        listed = inList !== undefined;
        return text;
      },
    });
    if (!found || listed) throw new Error(`${this.entity}.${path} is not one value of a record`);
    return found;
  }

  /** The value as text. */
  text(path: FieldPath<N>): string {
    return this.sql(path).text;
  }

  /** The value in its SQL type (numeric, boolean, date, timestamptz, uuid or text). */
  value(path: FieldPath<N>): string {
    const { text, kind, inDocument } = this.sql(path);
    return inDocument && kind !== 'string' ? `(${text})::${SQL_CAST[kind]}` : text;
  }

  /** The day (YYYY-MM-DD) of a date or date-time, as text. */
  day(path: FieldPath<N>): string {
    return `left(${this.text(path)}, 10)`;
  }

  /** The field as JSON, whatever it holds. */
  json(path: FieldPath<N>): string {
    return this.compile(path, { leaf: (text) => text, whole: (json) => json });
  }

  /** The engine's field compiler, whose refusal of a field is the client's error there and a bug here. */
  private compile(path: string, compilers: PathCompilers): string {
    try {
      return compileFieldPath(path, this.context, compilers);
    } catch (error) {
      if (error instanceof ApiError) throw new Error(`${this.entity} has no field ${path}: ${error.message}`);
      throw error;
    }
  }

  /** A column of the table itself (id, create_date, update_date), through the alias. */
  column(name: 'id' | 'create_date' | 'update_date'): string {
    return `${this.alias}.${name}`;
  }
}
