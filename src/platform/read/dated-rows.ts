import type { SqlParams } from '../list/filter.ts';
import type { DayRange } from '../calendar/days.ts';
import type { SortType } from '../calendar/periods.ts';
import type { EntityReader } from './entity-reader.ts';
import type { EntityName, FieldOf } from '../entity/entity-records.ts';
import type { FieldPath } from './fields.ts';

/**
 * Dated records of one entity, grouped by the record they describe (a portfolio, a security,
 * a model). Dates are read as the text the store keeps: a date as YYYY-MM-DD, a date-time in
 * canonical UTC form (YYYY-MM-DDTHH:mm:ss.sssZ, as the entity store writes every date-time).
 * So the text's first ten characters are the UTC day and text order is time order, which
 * lets an index over (group field, dating field) serve both the range and the order.
 */
export interface DatedSource<N extends EntityName = EntityName> {
  entity: N;
  /** The field naming the group, e.g. portfolio_id. */
  groupField: FieldOf<N>;
  dateField: FieldOf<N>;
  /** Fields read as text (exact for numbers), by the name they are returned under. */
  fields: Record<string, FieldPath<N>>;
}

/** Declares a source, checking its field names against its entity. */
export function datedSource<N extends EntityName>(source: DatedSource<N>): DatedSource {
  return source as unknown as DatedSource;
}

export interface DatedRow {
  id: string;
  group: string;
  day: string;
  /** Orders rows of the same group and day: the dating field, then the time the row was stored. */
  at: string;
  [field: string]: string | null;
}

/** A field of the source's row known as r, as text. */
function fieldOf(reader: EntityReader, source: DatedSource): (path: string) => string {
  const fields = reader.fields(source.entity, 'r');
  return (path) => fields.text(path as FieldPath<EntityName>);
}

/** What a row (alias r) is returned as. */
function columns(field: (path: string) => string, source: DatedSource): string {
  const date = field(source.dateField);
  const at = `${date} || '|' || to_char(r.create_date AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')`;
  const fields = Object.entries(source.fields).map(([name, path]) => `${field(path)} AS "${name}"`);
  return ['r.id::text AS id', `${field(source.groupField)} AS "group"`, `left(${date}, 10) AS day`, `${at} AS at`, ...fields].join(', ');
}

/** The first day of the period a day falls in, from the day's text. */
function periodStart(day: string, sortType: Exclude<SortType, 'D'>): string {
  if (sortType === 'M') return `left(${day}, 7) || '-01'`;
  if (sortType === 'Y') return `left(${day}, 4) || '-01-01'`;
  return `left(${day}, 5) || lpad(((substr(${day}, 6, 2)::int - 1) / 3 * 3 + 1)::text, 2, '0') || '-01'`;
}

/** The day after a day (YYYY-MM-DD). */
function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

function inGroups(field: (path: string) => string, source: DatedSource, groups: readonly string[], params: SqlParams): string {
  return `${field(source.groupField)} = ANY(${params.add([...groups])}::text[])`;
}

/** Rows dated on days from `from` (included) up to `until` (excluded). */
function between(field: (path: string) => string, source: DatedSource, params: SqlParams, from?: string, until?: string): string {
  const date = field(source.dateField);
  return [from !== undefined ? `${date} >= ${params.add(from)}` : '', until !== undefined ? `${date} < ${params.add(until)}` : ''].filter(Boolean).join(' AND ') || 'true';
}

/**
 * A number's text (as jsonb gives it: no exponent, no leading zeros) is zero only as 0, 0.0,
 * 0.00 and so on. Every other number's sorts before '0' (a minus sign) or after any of those
 * up to this many decimals, so two ranges of an index over the field find the non-zero ones
 * without reading the zero ones; the cast then keeps exactly the non-zero ones.
 */
const ZERO_DECIMALS = 20;

function nonZero(field: (path: string) => string, path: string): string {
  const text = field(path);
  return `(${text} < '0' OR ${text} > '0.${'0'.repeat(ZERO_DECIMALS)}') AND ${text}::numeric <> 0`;
}

/**
 * Each group's rows on its last day before `until` (excluded): one probe of the (group,
 * dating field) index for the group's last date, one more for that day's rows.
 */
function lastDayRows(reader: EntityReader, source: DatedSource, groups: readonly string[], until: string | undefined): Promise<DatedRow[]> {
  const table = reader.store(source.entity).table;
  const field = fieldOf(reader, source);
  const group = field(source.groupField);
  const date = field(source.dateField);
  return reader.query<DatedRow>((p, readable) => {
    const visible = readable(source.entity, 'r');
    // OFFSET 0 keeps the day's rows a subquery run per group: flattened into the join, the
    // planner cannot tell how few rows the day's range holds and reads the whole table instead.
    return `SELECT day_rows.* FROM unnest(${p.add([...groups])}::text[]) g(id),
      LATERAL (SELECT max(${date}) AS date FROM ${table} r WHERE ${visible} AND ${group} = g.id AND ${between(field, source, p, undefined, until)}) last,
      LATERAL (SELECT ${columns(field, source)} FROM ${table} r
        WHERE ${visible} AND ${group} = g.id AND ${date} >= left(last.date, 10) AND ${date} <= last.date OFFSET 0) day_rows`;
  });
}

interface PeriodReduction {
  sortType: Exclude<SortType, 'D'>;
  flows: string[];
}

/**
 * Each group's last row of each period of the range, found by walking its index back a
 * period at a time (one probe per period that has rows, from the last); with `flows`, every
 * row of the range where one of those fields is not zero, as well.
 */
function periodRows(reader: EntityReader, source: DatedSource, groups: readonly string[], range: { from?: string; until?: string }, period: PeriodReduction): Promise<DatedRow[]> {
  const table = reader.store(source.entity).table;
  const field = fieldOf(reader, source);
  const date = field(source.dateField);
  return reader.query<DatedRow>((p, readable) => {
    const visible = readable(source.entity, 'r');
    const inRange = between(field, source, p, range.from, range.until);
    const lastBefore = (group: string, before?: string) => `SELECT ${columns(field, source)} FROM ${table} r
      WHERE ${visible} AND ${field(source.groupField)} = ${group} AND ${inRange}${before ? ` AND ${date} < ${before}` : ''}
      ORDER BY ${date} DESC, r.create_date DESC, r.id DESC LIMIT 1`;
    const walk = `WITH RECURSIVE walk AS (
        SELECT last.* FROM unnest(${p.add([...groups])}::text[]) g(id), LATERAL (${lastBefore('g.id')}) last
        UNION ALL
        SELECT previous.* FROM walk w, LATERAL (${lastBefore('w."group"', periodStart('w.day', period.sortType))}) previous
      )
      SELECT * FROM walk`;
    if (period.flows.length === 0) return walk;
    // A period's last row that carries a flow is already in the walk, and must count once.
    return `${walk} UNION ALL
      SELECT ${columns(field, source)} FROM ${table} r
      WHERE ${visible} AND ${inGroups(field, source, groups, p)} AND ${inRange} AND (${period.flows.map((name) => nonZero(field, source.fields[name])).join(' OR ')})
        AND r.id::text NOT IN (SELECT id FROM walk)`;
  });
}

export interface LoadOptions {
  /** Just each group's rows on its last day up to the range's end: what it stood at then. */
  latestOnly?: boolean;
  /**
   * Only the rows a series keeping the last value of each period needs: each group's last
   * row of each period, and every row where one of the `flows` fields (amounts that count on
   * their own day, such as cash flows) is not zero. The series comes out the same as from
   * every row, from far fewer.
   */
  period?: PeriodReduction;
}

/**
 * The rows a view over a range needs: every row in the range, plus each group's rows on its
 * last day before the range, so values known then can be carried into it.
 */
export async function loadDated(reader: EntityReader, source: DatedSource, groups: readonly string[], range: DayRange, options: LoadOptions = {}): Promise<DatedRow[]> {
  if (groups.length === 0) return [];
  const until = range.end === undefined ? undefined : nextDay(range.end);
  if (options.latestOnly) return lastDayRows(reader, source, groups, until);
  const seeds = range.start === undefined ? [] : await lastDayRows(reader, source, groups, range.start);
  if (options.period) return [...seeds, ...(await periodRows(reader, source, groups, { from: range.start, until }, options.period))];
  const field = fieldOf(reader, source);
  const inRange = await reader.rows<EntityName, DatedRow>(source.entity, {
    and: (_, p) => `${inGroups(field, source, groups, p)} AND ${between(field, source, p, range.start, until)}`,
    columns: () => columns(field, source),
  });
  return [...seeds, ...inRange];
}
