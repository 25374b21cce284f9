import { Type, type TProperties } from 'typebox';
import { errors } from '../../platform/http/errors.ts';
import { defaulted } from '../../platform/http/typebox-schemas.ts';
import { listQueryProperties, type ListQuery } from '../../platform/list/paging.ts';
import type { DayRange } from '../../platform/calendar/days.ts';
import { SORT_TYPES, type SortType } from '../../platform/calendar/periods.ts';

/** Query parameters of the views, named and typed as in Hydrogen's specification. */
export const param = {
  start_date: Type.Optional(Type.String({ format: 'date', description: 'First day included (YYYY-MM-DD)' })),
  end_date: Type.Optional(Type.String({ format: 'date', description: 'Last day included (YYYY-MM-DD)' })),
  start_date_time: Type.Optional(Type.String({ format: 'date-time', description: 'First instant included' })),
  end_date_time: Type.Optional(Type.String({ format: 'date-time', description: 'Last instant included' })),
  get_latest: Type.Optional(Type.Boolean({ description: 'Only the last date' })),
  sort_type: Type.Optional(
    Type.Enum([...SORT_TYPES], {
      description: 'One value per day (D), month (M), quarter (Q) or year (Y): the last one of each period',
    }),
  ),
  exclude_subledger: defaulted(Type.Boolean({ default: false, description: 'Leave out portfolios marked is_subledger' })),
  currency_conversion: Type.Optional(
    Type.String({
      pattern: '^[A-Z]{3}$',
      description: 'ISO 4217 code to express amounts in, converted through the stored FX rates at each date',
    }),
  ),
  /** Required: a goal's portfolios are found through one client's accounts. */
  client_id: Type.String({ format: 'uuid', description: 'The client whose accounts hold the goal' }),
  portfolio_goal: defaulted(
    Type.Boolean({
      default: false,
      description: "Find the goal's portfolios through portfolio_goal records (counted at their weight) instead of the accounts' goals",
    }),
  ),
  is_current_weight: defaulted(Type.Boolean({ default: true, description: "Weigh the models by current_weight; false uses strategic_weight" })),
};

/** Paging and ordering parameters, as every list has them, with a view's default order. */
export function pagingParams(maxPageSize: number, defaultOrder: string) {
  const { page, size, order_by, ascending } = listQueryProperties(maxPageSize, defaultOrder);
  return { page, size, order_by, ascending };
}

/** Paging, ordering and filter parameters, with a view's default order and an example filter of its records. */
export function listParams(maxPageSize: number, defaultOrder: string) {
  return {
    ...pagingParams(maxPageSize, defaultOrder),
    filter: Type.Optional(Type.String({ maxLength: 4000, description: 'RSQL filter, e.g. amount=gt=1000' })),
  };
}

/** A view's query string; a parameter is optional as its schema says, and others are let through. */
export function query<P extends TProperties>(properties: P) {
  return Type.Object(properties, { additionalProperties: true });
}

export interface RangeQuery {
  start_date?: string;
  end_date?: string;
}

/** The days asked for; a range that ends before it starts is refused. */
export function rangeOf(q: RangeQuery): DayRange {
  if (q.start_date && q.end_date && q.start_date > q.end_date) {
    throw errors.invalidField({ field: 'start_date', problem: `must not be after end_date (${q.end_date})` });
  }
  return { start: q.start_date?.slice(0, 10), end: q.end_date?.slice(0, 10) };
}

export interface SeriesQuery extends RangeQuery {
  get_latest?: boolean;
  sort_type?: SortType;
  currency_conversion?: string;
  exclude_subledger?: boolean;
  client_id?: string;
  portfolio_goal?: boolean;
  is_current_weight?: boolean;
}

export type ViewListQuery = ListQuery & RangeQuery & { currency_conversion?: string; get_latest?: boolean; client_id?: string; portfolio_goal?: boolean };
