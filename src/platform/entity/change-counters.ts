/**
 * A change counter is a sequence that a statement-level trigger moves after every INSERT,
 * UPDATE, DELETE or TRUNCATE of one table, whoever runs it (the API, bulk, a dependent delete,
 * a migration or an operator's SQL). Reading it costs one sequence read, so a cache of what
 * was derived from the table's records can tell whether it is still what the table holds.
 *
 * A sequence moves before its statement's transaction commits and is not rolled back, so a
 * reader that runs beside writers can see the new count before the new rows: only where
 * transactions run one at a time (the embedded database) does an unchanged count prove that
 * nothing changed. A rolled-back write still moves it, which only costs a needless reload.
 */
export function changeCounterName(table: string): string {
  return `${table}_changes`;
}

const COUNT_FUNCTION = 'deuterium_count_change';

/** The statements that create a table's counter; `events` narrows what moves it. */
export function changeCounterDdl(table: string, events = 'INSERT OR UPDATE OR DELETE OR TRUNCATE'): string[] {
  const counter = changeCounterName(table);
  return [
    `CREATE SEQUENCE IF NOT EXISTS ${counter}`,
    `CREATE OR REPLACE FUNCTION ${COUNT_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM nextval(TG_ARGV[0]::regclass); RETURN NULL; END $$`,
    `CREATE OR REPLACE TRIGGER ${counter} AFTER ${events} ON ${table}
      FOR EACH STATEMENT EXECUTE FUNCTION ${COUNT_FUNCTION}('${counter}')`,
  ];
}

/**
 * SQL text: the counts of the given tables' counters, joined by commas; equal texts read in
 * one database mean that none of the tables was written in between.
 */
export function changeCountsSql(tables: readonly string[]): string {
  // A new sequence reports its start value before its first nextval as well as after it.
  const counts = tables.map((table) => `(SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM ${changeCounterName(table)})`);
  return `concat_ws(',', ${counts.join(', ')})`;
}
