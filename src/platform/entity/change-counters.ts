/**
 * A change counter is a sequence that statement-level triggers move after every INSERT,
 * UPDATE, DELETE or TRUNCATE of the tables that share it, whoever runs it (the API, bulk, a
 * dependent delete, a migration or an operator's SQL). Reading it costs one sequence read, so a
 * cache of what was derived from those tables' records can tell whether it is still what they
 * hold.
 *
 * A sequence moves before its statement's transaction commits and is not rolled back, so a
 * reader that runs beside writers can see the new count before the new rows: only where
 * transactions run one at a time (the embedded database) does an unchanged count prove that
 * nothing changed. A rolled-back write still moves it, which only costs a needless reload.
 */
export function changeCounterName(counter: string): string {
  return `change_counter_${counter}`;
}

const COUNT_FUNCTION = 'deuterium_count_change';

/** The statements that make writes to `table` move `counter`; `events` narrows which writes. */
export function changeCounterDdl(counter: string, table: string, events = 'INSERT OR UPDATE OR DELETE OR TRUNCATE'): string[] {
  const sequence = changeCounterName(counter);
  return [
    `CREATE SEQUENCE IF NOT EXISTS ${sequence}`,
    `CREATE OR REPLACE FUNCTION ${COUNT_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM nextval(TG_ARGV[0]::regclass); RETURN NULL; END $$`,
    `CREATE OR REPLACE TRIGGER ${table}_counts_changes AFTER ${events} ON ${table}
      FOR EACH STATEMENT EXECUTE FUNCTION ${COUNT_FUNCTION}('${sequence}')`,
  ];
}

/** SQL text: the counter's count; equal counts read in one database mean no write in between. */
export function changeCountSql(counter: string): string {
  // A new sequence reports its start value before its first nextval as well as after it.
  return `(SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM ${changeCounterName(counter)})::text`;
}
