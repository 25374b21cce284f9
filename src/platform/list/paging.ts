import { Type, type Static, type TObject, type TProperties } from 'typebox';
import { defaulted } from '../http/typebox-schemas.ts';
import { errors } from '../http/errors.ts';

/** Paging, ordering and filter parameters of a list, with Hydrogen's defaults and the list's default order_by. */
export function listQueryProperties(maxPageSize: number, defaultOrderBy = 'update_date') {
  return {
    page: defaulted(Type.Integer({ minimum: 0, default: 0, description: 'Zero-based page number' })),
    size: defaulted(Type.Integer({ minimum: 1, maximum: maxPageSize, default: 25, description: 'Records per page' })),
    order_by: defaulted(Type.String({ default: defaultOrderBy, description: 'Field to sort by; nested fields with dots' })),
    ascending: defaulted(Type.Boolean({ default: false })),
    filter: Type.Optional(Type.String({ maxLength: 4000, description: 'RSQL filter, e.g. last_name==Smith;income=gt=50000' })),
  };
}

/**
 * Query-string schema shared by every list operation, with Hydrogen's defaults. A list whose
 * records have a more telling order than their last change (create_date for records never
 * changed, a name) names it as its default order_by. A list with query filters of its own
 * (beside the RSQL filter) passes their parameters.
 */
export function listQuerySchema<Filters extends TProperties = {}>(maxPageSize: number, defaultOrderBy = 'update_date', filters?: Filters) {
  return Type.Object({ ...listQueryProperties(maxPageSize, defaultOrderBy), ...(filters as Filters) }, { additionalProperties: true });
}

export type ListQuery = Static<TObject<ReturnType<typeof listQueryProperties>>>;

export interface SortOrder {
  direction: 'ASC' | 'DESC';
  property: string;
  ignore_case: boolean;
  null_handling: 'NATIVE';
  ascending: boolean;
  descending: boolean;
}

export interface Page<T> {
  content: T[];
  first: boolean;
  last: boolean;
  number_of_elements: number;
  total_elements: number;
  total_pages: number;
  size: number;
  number: number;
  sort: SortOrder[];
}

export function pageOf<T>(content: T[], total: number, query: ListQuery): Page<T> {
  const totalPages = Math.ceil(total / query.size);
  return {
    content,
    first: query.page === 0,
    last: query.page >= totalPages - 1,
    number_of_elements: content.length,
    total_elements: total,
    total_pages: totalPages,
    size: query.size,
    number: query.page,
    sort: [
      {
        direction: query.ascending ? 'ASC' : 'DESC',
        property: query.order_by,
        ignore_case: false,
        null_handling: 'NATIVE',
        ascending: query.ascending,
        descending: !query.ascending,
      },
    ],
  };
}

/** An offset past what PostgreSQL can address is refused rather than overflowing. */
export function offsetOf(query: ListQuery): number {
  const offset = query.page * query.size;
  if (!Number.isSafeInteger(offset) || offset > 2_147_483_647) {
    throw errors.invalidField({ field: 'page', problem: 'is too large' });
  }
  return offset;
}
