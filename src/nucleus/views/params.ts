import { Type, type TProperties } from 'typebox';
import { errors } from '../../platform/http/errors.ts';
import type { ListQuery } from '../../platform/list/paging.ts';
import type { DayRange } from '../../platform/calendar/days.ts';
import { SORT_TYPES, type SortType } from '../../platform/calendar/periods.ts';

/** Query parameters of the views, named and typed as in Hydrogen's specification. */
export const param = {
  start_date: Type.String({ format: 'date', description: 'First day included (YYYY-MM-DD)' }),
  end_date: Type.String({ format: 'date', description: 'Last day included (YYYY-MM-DD)' }),
  start_date_time: Type.String({ format: 'date-time', description: 'First instant included' }),
  end_date_time: Type.String({ format: 'date-time', description: 'Last instant included' }),
  get_latest: Type.Boolean({ description: 'Only the last date' }),
  sort_type: Type.Enum([...SORT_TYPES], {
    description: 'One value per day (D), month (M), quarter (Q) or year (Y): the last one of each period',
  }),
  exclude_subledger: Type.Boolean({ default: false, description: 'Leave out portfolios marked is_subledger' }),
  currency_conversion: Type.String({
    pattern: '^[A-Z]{3}$',
    description: 'ISO 4217 code to express amounts in, converted through the stored FX rates at each date',
  }),
  client_id: Type.String({ format: 'uuid', description: 'The client whose accounts hold the goal' }),
  portfolio_goal: Type.Boolean({
    default: false,
    description: "Find the goal's portfolios through portfolio_goal records (counted at their weight) instead of the accounts' goals",
  }),
  is_current_weight: Type.Boolean({ default: true, description: "Weigh the models by current_weight; false uses strategic_weight" }),
};

/** Paging, ordering and filter parameters, with a view's default order. */
export function listParams(maxPageSize: number, defaultOrder: string, withFilter = true): TProperties {
  return {
    page: Type.Integer({ minimum: 0, default: 0, description: 'Zero-based page number' }),
    size: Type.Integer({ minimum: 1, maximum: maxPageSize, default: 25, description: 'Records per page' }),
    order_by: Type.String({ default: defaultOrder, description: 'Field to sort by; nested fields with dots' }),
    ascending: Type.Boolean({ default: false }),
    ...(withFilter ? { filter: Type.String({ maxLength: 4000, description: 'RSQL filter, e.g. amount=gt=1000' }) } : {}),
  };
}

export function query(properties: TProperties, required: string[] = []) {
  const optional = Object.fromEntries(
    Object.entries(properties).map(([name, schema]) => [name, required.includes(name) ? schema : Type.Optional(schema)]),
  );
  return Type.Object(optional, { additionalProperties: true });
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
