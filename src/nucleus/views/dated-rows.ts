import type { SqlParams } from '../../platform/list/filter.ts';
import type { DayRange } from './days.ts';
import type { SortType } from './periods.ts';
import type { ViewReader } from './reader.ts';

/**
 * Dated records of one entity, grouped by the record they describe (a portfolio, a security,
 * a model). Dates are read as the text the store keeps: a date as YYYY-MM-DD, a date-time in
 * canonical UTC form (YYYY-MM-DDTHH:mm:ss.sssZ, as the entity store writes every date-time).
 * So the text's first ten characters are the UTC day and text order is time order, which
 * lets an index over (group field, dating field) serve both the range and the order.
 */
export interface DatedSource {
  entity: string;
  /** The field naming the group, e.g. portfolio_id. */
  groupField: string;
  dateField: string;
  /** Fields read as text (exact for numbers), by the name they are returned under. */
  fields: Record<string, string>;
}

export interface DatedRow {
  id: string;
  group: string;
  day: string;
  /** Orders rows of the same group and day: the dating field, then the time the row was stored. */
  at: string;
  [field: string]: string | null;
}

/** Reads a field of the row being selected, as text. */
type FieldText = (path: string) => string;

const fromDoc: FieldText = (path) => `(r.doc->>'${path}')`;

/** What a row is returned as; `field`, `id` and `created` say where the row's values are read from. */
function columns(source: DatedSource, field: FieldText = fromDoc, id = 'r.id', created = 'r.create_date'): string {
  const date = field(source.dateField);
  const at = `${date} || '|' || to_char(${created} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')`;
  const fields = Object.entries(source.fields).map(([name, path]) => `${field(path)} AS "${name}"`);
  return [`${id}::text AS id`, `${field(source.groupField)} AS "group"`, `left(${date}, 10) AS day`, `${at} AS at`, ...fields].join(', ');
}

/** The period of a stored date or date-time, from its text. */
function periodOfText(text: string, sortType: Exclude<SortType, 'D'>): string {
  if (sortType === 'M') return `left(${text}, 7)`;
  if (sortType === 'Y') return `left(${text}, 4)`;
  return `left(${text}, 4) || '-Q' || ((substr(${text}, 6, 2)::int + 2) / 3)`;
}

/** The day after a day (YYYY-MM-DD). */
function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

function inGroups(source: DatedSource, groups: readonly string[], params: SqlParams): string {
  return `${fromDoc(source.groupField)} = ANY(${params.add([...groups])}::text[])`;
}

/** Rows dated on days from `from` (included) up to `until` (excluded). */
function between(source: DatedSource, params: SqlParams, from?: string, until?: string): string {
  const date = fromDoc(source.dateField);
  return [from !== undefined ? `${date} >= ${params.add(from)}` : '', until !== undefined ? `${date} < ${params.add(until)}` : ''].filter(Boolean).join(' AND ') || 'true';
}

/** Each group's rows on its last day before `until` (excluded). */
async function lastDayRows(reader: ViewReader, source: DatedSource, groups: readonly string[], until: string | undefined): Promise<DatedRow[]> {
  const last = await reader.select<{ group: string; day: string }>(source.entity, (p) => `${inGroups(source, groups, p)} AND ${between(source, p, undefined, until)}`, {
    columns: `${fromDoc(source.groupField)} AS "group", left(max(${fromDoc(source.dateField)}), 10) AS day`,
    tail: 'GROUP BY 1',
  });
  if (last.length === 0) return [];
  return reader.select<DatedRow>(
    source.entity,
    (p) =>
      `${inGroups(source, last.map((d) => d.group), p)} AND (${fromDoc(source.groupField)}, left(${fromDoc(source.dateField)}, 10)) IN
        (SELECT * FROM unnest(${p.add(last.map((d) => d.group))}::text[], ${p.add(last.map((d) => d.day))}::text[]))`,
    { columns: columns(source) },
  );
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
  period?: { sortType: Exclude<SortType, 'D'>; flows: string[] };
}

/**
 * The rows a view over a range needs: every row in the range, plus each group's rows on its
 * last day before the range, so values known then can be carried into it.
 */
export async function loadDated(reader: ViewReader, source: DatedSource, groups: readonly string[], range: DayRange, options: LoadOptions = {}): Promise<DatedRow[]> {
  if (groups.length === 0) return [];
  const until = range.end === undefined ? undefined : nextDay(range.end);
  if (options.latestOnly) return lastDayRows(reader, source, groups, until);
  const seeds = range.start === undefined ? [] : await lastDayRows(reader, source, groups, range.start);
  const where = (p: SqlParams) => `${inGroups(source, groups, p)} AND ${between(source, p, range.start, until)}`;
  const period = options.period;
  if (!period) return [...seeds, ...(await reader.select<DatedRow>(source.entity, where, { columns: columns(source) }))];
  // The window reads each group in date order; only the fields' text travels through it, and
  // the returned columns are computed for the rows kept.
  const paths = [...new Set([source.groupField, source.dateField, ...Object.values(source.fields)])];
  const key = periodOfText(fromDoc(source.dateField), period.sortType);
  const kept = await reader.select<DatedRow>(source.entity, where, {
    columns: [
      'r.id',
      'r.create_date',
      ...paths.map((path) => `${fromDoc(path)} AS "f_${path}"`),
      `${key} AS period`,
      `lead(${key}) OVER (PARTITION BY ${fromDoc(source.groupField)} ORDER BY ${fromDoc(source.dateField)}, r.create_date) AS next_period`,
    ].join(', '),
    outer: {
      columns: columns(source, (path) => `selected."f_${path}"`, 'selected.id', 'selected.create_date'),
      where: [
        'selected.next_period IS DISTINCT FROM selected.period',
        ...period.flows.map((name) => `selected."f_${source.fields[name]}"::numeric <> 0`),
      ].join(' OR '),
    },
  });
  return [...seeds, ...kept];
}
