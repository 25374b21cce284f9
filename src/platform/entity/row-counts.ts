import type { Queryable } from '../db/database.ts';

/**
 * How many rows each tenant has in each entity table, kept so that an unfiltered list can
 * answer `total_elements` without counting the tenant's rows.
 *
 * Invariant: for every entity table T and tenant X, in every snapshot,
 *   SELECT sum(row_count) FROM entity_row_count WHERE table_name = T AND tenant_id = X
 *     = SELECT count(*) FROM T WHERE tenant_id = X
 * (no row for X meaning 0). It holds because every statement that adds or removes rows of X
 * (INSERT, DELETE, an UPDATE moving rows between tenants, TRUNCATE) changes the counter rows in
 * the same transaction, from triggers, whoever runs it: the API, bulk jobs, a dependent delete,
 * a migration or an operator's SQL. Both commit or neither does, so any snapshot sees both or
 * neither. The triggers are installed together with a first count taken while the table is
 * locked against writes (installRowCounter), so the invariant holds from then on.
 * test/platform/entity/row-counts.test.ts checks it after seeded random concurrent writes.
 *
 * One counter row per (table, tenant) would make every create of a tenant wait for the one
 * before it to commit. So a tenant's count is split over slots, and a write adds its delta to
 * any slot no other open transaction holds (FOR UPDATE SKIP LOCKED), or to a new slot when all
 * are held: a counter never makes a write wait, and so never takes part in a deadlock. A
 * transaction keeps to the slot it took first (remembered in a transaction-local setting);
 * otherwise it could hold every slot by itself, a free one coming first in the scan each time,
 * and make the next writer open another. So a tenant has as many slots as it ever had writers
 * at once.
 *
 * Not covered: writes with triggers off (session_replication_role = replica, DISABLE TRIGGER)
 * and writes to entity_row_count itself. Under REPEATABLE READ or SERIALIZABLE, a write whose
 * slot another transaction changed since the snapshot fails with a serialization error and
 * must be retried, as any conflicting update would; the server itself reads committed.
 */
export const ROW_COUNT_TABLE = 'entity_row_count';

const ADD_FUNCTION = 'deuterium_add_rows';

/** The functions every table's counting triggers call; idempotent. */
export const ROW_COUNT_FUNCTIONS: string[] = [
  `CREATE OR REPLACE FUNCTION ${ADD_FUNCTION}(counted text, tenant uuid, delta bigint) RETURNS void LANGUAGE plpgsql AS $$
    DECLARE
      -- Transaction-local (and undone with a rolled-back savepoint, as the slot's lock is).
      remembered constant text := 'deuterium.slot_' || counted || '_' || replace(tenant::text, '-', '');
      chosen integer := nullif(current_setting(remembered, true), '')::integer;
    BEGIN
      IF chosen IS NOT NULL THEN
        UPDATE ${ROW_COUNT_TABLE} SET row_count = row_count + delta
         WHERE table_name = counted AND tenant_id = tenant AND slot = chosen;
        IF FOUND THEN RETURN; END IF;
      END IF;
      UPDATE ${ROW_COUNT_TABLE} SET row_count = row_count + delta
       WHERE table_name = counted AND tenant_id = tenant AND slot = (
         SELECT slot FROM ${ROW_COUNT_TABLE} WHERE table_name = counted AND tenant_id = tenant
         LIMIT 1 FOR UPDATE SKIP LOCKED)
       RETURNING slot INTO chosen;
      IF NOT FOUND THEN
        -- A random slot number, so two writers opening a slot at once do not pick the same one.
        chosen := floor(random() * 2147483647)::integer;
        INSERT INTO ${ROW_COUNT_TABLE} (table_name, tenant_id, slot, row_count)
        VALUES (counted, tenant, chosen, delta)
        ON CONFLICT (table_name, tenant_id, slot) DO UPDATE SET row_count = ${ROW_COUNT_TABLE}.row_count + excluded.row_count;
      END IF;
      PERFORM set_config(remembered, chosen::text, true);
    END $$`,
  // One statement may write rows of several tenants (bulk, a migration, SQL by hand).
  `CREATE OR REPLACE FUNCTION deuterium_count_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE tenant record;
    BEGIN
      FOR tenant IN SELECT tenant_id, count(*) AS n FROM inserted GROUP BY tenant_id ORDER BY tenant_id LOOP
        PERFORM ${ADD_FUNCTION}(TG_TABLE_NAME, tenant.tenant_id, tenant.n);
      END LOOP;
      RETURN NULL;
    END $$`,
  `CREATE OR REPLACE FUNCTION deuterium_count_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE tenant record;
    BEGIN
      FOR tenant IN SELECT tenant_id, count(*) AS n FROM deleted GROUP BY tenant_id ORDER BY tenant_id LOOP
        PERFORM ${ADD_FUNCTION}(TG_TABLE_NAME, tenant.tenant_id, -tenant.n);
      END LOOP;
      RETURN NULL;
    END $$`,
  `CREATE OR REPLACE FUNCTION deuterium_count_moved() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM ${ADD_FUNCTION}(TG_TABLE_NAME, OLD.tenant_id, -1);
      PERFORM ${ADD_FUNCTION}(TG_TABLE_NAME, NEW.tenant_id, 1);
      RETURN NULL;
    END $$`,
  `CREATE OR REPLACE FUNCTION deuterium_count_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      DELETE FROM ${ROW_COUNT_TABLE} WHERE table_name = TG_TABLE_NAME;
      RETURN NULL;
    END $$`,
];

function countingTriggers(table: string): string[] {
  return [
    // Statement-level, over the transition table: a bulk INSERT ... SELECT costs one trigger call.
    `CREATE OR REPLACE TRIGGER ${table}_counts_inserts AFTER INSERT ON ${table}
      REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION deuterium_count_inserted()`,
    `CREATE OR REPLACE TRIGGER ${table}_counts_deletes AFTER DELETE ON ${table}
      REFERENCING OLD TABLE AS deleted FOR EACH STATEMENT EXECUTE FUNCTION deuterium_count_deleted()`,
    // Nothing in Deuterium moves a record between tenants, but SQL by hand may. Row-level with a
    // column list, so the updates the API makes (which never set tenant_id) do not fire it at all.
    `CREATE OR REPLACE TRIGGER ${table}_counts_moves AFTER UPDATE OF tenant_id ON ${table}
      FOR EACH ROW WHEN (OLD.tenant_id IS DISTINCT FROM NEW.tenant_id) EXECUTE FUNCTION deuterium_count_moved()`,
    `CREATE OR REPLACE TRIGGER ${table}_counts_truncates AFTER TRUNCATE ON ${table}
      FOR EACH STATEMENT EXECUTE FUNCTION deuterium_count_truncated()`,
  ];
}

const TRIGGER_SUFFIXES = ['_counts_inserts', '_counts_deletes', '_counts_moves', '_counts_truncates'];

/**
 * Makes the rows of `tables` counted. A table that lacks any of its triggers (new, or from
 * before row counts) is counted once while locked against writes and gets them all in the same
 * transaction, so the first count and the triggers start together; the others cost nothing.
 */
export async function installRowCounters(session: Queryable, tables: string[]): Promise<void> {
  for (const statement of ROW_COUNT_FUNCTIONS) await session.query(statement);
  const rows = await session.query<{ name: string }>(`SELECT tgname AS name FROM pg_trigger WHERE tgname LIKE '%\\_counts\\_%'`);
  const present = new Set(rows.map((r) => r.name));
  for (const table of tables) {
    if (TRIGGER_SUFFIXES.every((suffix) => present.has(table + suffix))) continue;
    await session.query('BEGIN');
    try {
      // Readers go on; writers wait until the triggers are there to count what they write.
      await session.query(`LOCK TABLE ${table} IN SHARE ROW EXCLUSIVE MODE`);
      await session.query(`DELETE FROM ${ROW_COUNT_TABLE} WHERE table_name = $1`, [table]);
      await session.query(
        `INSERT INTO ${ROW_COUNT_TABLE} (table_name, tenant_id, slot, row_count)
         SELECT $1, tenant_id, 0, count(*) FROM ${table} GROUP BY tenant_id`,
        [table],
      );
      for (const statement of countingTriggers(table)) await session.query(statement);
      await session.query('COMMIT');
    } catch (error) {
      await session.query('ROLLBACK');
      throw error;
    }
  }
}

/** SQL text: the number of rows of `table` in the tenant given as `tenantParam`, as bigint. */
export function rowCountSql(table: string, tenantParam: string): string {
  return `SELECT coalesce(sum(row_count), 0)::bigint AS count FROM ${ROW_COUNT_TABLE} WHERE table_name = '${table}' AND tenant_id = ${tenantParam}`;
}
