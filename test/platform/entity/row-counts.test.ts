import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { freshDatabase } from '../../support/server.ts';
import type { Database, Queryable } from '../../../src/platform/db/database.ts';
import { buildStores } from '../../../src/platform/entity/registry.ts';
import type { EntityStore } from '../../../src/platform/entity/store.ts';
import { ensureEntityTables } from '../../../src/platform/entity/tables.ts';
import { ROW_COUNT_TABLE } from '../../../src/platform/entity/row-counts.ts';
import { nucleusEntities } from '../../../src/nucleus/entities.ts';
import { WriteStatement } from '../../../src/platform/entity/write-statement.ts';
import { seededRandom } from '../../support/seeded-random.ts';

/** Replays a failure: ROW_COUNT_SEED=<the seed it printed>. */
const SEED = Number(process.env.ROW_COUNT_SEED ?? Math.floor(Math.random() * 2 ** 31));
const SESSIONS = 4;
const STEPS = 500;
const TABLES = ['nucleus_client', 'nucleus_model'];
/** How long a statement may take before the schedule moves on to another session, leaving it waiting on a lock. */
const BLOCKED_AFTER_MS = 25;

function queryable(client: pg.Client): Queryable {
  return { query: async (sql, params) => (await client.query(sql, params)).rows };
}

/** Per table and tenant, the kept count beside count(*), read in one snapshot; only those that differ. */
async function mismatches(session: Queryable): Promise<unknown[]> {
  const rows: unknown[] = [];
  for (const table of TABLES) {
    rows.push(
      ...(await session.query(
        `SELECT '${table}' AS table_name, tenant_id, actual, counted FROM
           (SELECT tenant_id, count(*) AS actual FROM ${table} GROUP BY tenant_id) a
           FULL JOIN (SELECT tenant_id, sum(row_count) AS counted FROM ${ROW_COUNT_TABLE} WHERE table_name = '${table}' GROUP BY tenant_id) c
           USING (tenant_id)
         WHERE coalesce(actual, 0) <> coalesce(counted, 0)`,
      )),
    );
  }
  return rows;
}

describe('row counts of entity tables', () => {
  let db: Database;
  let url: string | undefined;
  let drop: () => Promise<void>;
  let client: EntityStore;

  before(async () => {
    ({ db, url, drop } = await freshDatabase('prepared'));
    client = buildStores(nucleusEntities).find((s) => s.declaration.name === 'client')!;
  });
  after(async () => {
    await db.close();
    await drop();
  });

  async function connect(): Promise<pg.Client> {
    const session = new pg.Client({ connectionString: url });
    await session.connect();
    return session;
  }

  it(`equal count(*) in every snapshot through seeded random concurrent writes (seed ${SEED})`, async (t) => {
    const random = seededRandom(SEED);
    const tenants = [randomUUID(), randomUUID(), randomUUID()];
    const ids: string[] = [];
    let usernames = 0;
    const sessions = await Promise.all(Array.from({ length: SESSIONS }, connect));
    const checker = await connect();
    const log: string[] = [];
    t.after(() => Promise.all([...sessions, checker].map((s) => s.end())));

    const rowsOf = (tenant: string, count: number) =>
      `SELECT '${tenant}'::uuid, gen_random_uuid(), now(), now(), jsonb_build_object('name', 'bulk ' || g, 'username', 'bulk-' || gen_random_uuid(), 'client_type', 'individual') FROM generate_series(1, ${count}) g`;
    // Each write the API, bulk, migrations or an operator make, as the statements they run.
    const operations: Record<string, (q: Queryable) => Promise<unknown>> = {
      'api create': async (q) => ids.push((await client.create(q, random.pick(tenants), { username: `u${SEED}-${usernames++}`, client_type: 'individual' })).id),
      'api update': (q) => client.update(q, random.pick(tenants), random.pick(ids) ?? randomUUID(), { first_name: 'Changed' }),
      'api delete': async (q) => {
        const tenant = random.pick(tenants);
        const write = new WriteStatement();
        client.addDelete(write, tenant, (await client.lockForWrite(q, tenant, random.pick(ids) ?? randomUUID())).id);
        await write.apply(q);
      },
      'bulk insert, several tenants in one statement': (q) =>
        q.query(`INSERT INTO ${random.pick(TABLES)} (tenant_id, id, create_date, update_date, doc) ${tenants.map((x) => rowsOf(x, 1 + random.int(20))).join(' UNION ALL ')}`),
      'delete some': (q) => {
        const table = random.pick(TABLES);
        return q.query(`DELETE FROM ${table} WHERE ctid IN (SELECT ctid FROM ${table} WHERE tenant_id = $1 LIMIT $2)`, [random.pick(tenants), 1 + random.int(10)]);
      },
      'delete a tenant': (q) => q.query(`DELETE FROM ${random.pick(TABLES)} WHERE tenant_id = $1`, [random.pick(tenants)]),
      'move rows to another tenant': (q) => {
        const table = random.pick(TABLES);
        return q.query(`UPDATE ${table} SET tenant_id = $2 WHERE ctid IN (SELECT ctid FROM ${table} WHERE tenant_id = $1 LIMIT $3)`, [
          random.pick(tenants),
          random.pick(tenants),
          1 + random.int(10),
        ]);
      },
      'update documents only': (q) => {
        const table = random.pick(TABLES);
        return q.query(`UPDATE ${table} SET doc = doc || '{"touched": true}' WHERE ctid IN (SELECT ctid FROM ${table} WHERE tenant_id = $1 LIMIT 10)`, [random.pick(tenants)]);
      },
      upsert: (q) =>
        q.query(
          `INSERT INTO nucleus_model (tenant_id, id, create_date, update_date, doc)
           SELECT tenant_id, CASE WHEN random() < 0.5 THEN id ELSE gen_random_uuid() END, now(), now(), doc FROM nucleus_model WHERE tenant_id = $1 LIMIT 5
           ON CONFLICT (tenant_id, id) DO UPDATE SET doc = excluded.doc`,
          [random.pick(tenants)],
        ),
      'insert then roll back to a savepoint': async (q) => {
        await q.query('SAVEPOINT s');
        await q.query(`INSERT INTO ${random.pick(TABLES)} (tenant_id, id, create_date, update_date, doc) ${rowsOf(random.pick(tenants), 3)}`);
        await q.query('ROLLBACK TO SAVEPOINT s');
      },
    };
    // Mostly creates, so rows pile up between the deletes that clear a tenant.
    const weights: Record<string, number> = { 'api create': 6, 'bulk insert, several tenants in one statement': 3, 'delete a tenant': 0.3 };
    const names = Object.keys(operations).flatMap((name) => Array<string>(Math.round((weights[name] ?? 1) * 10)).fill(name));

    type State = { inTransaction: boolean; failed: boolean; pending?: Promise<void> };
    const states: State[] = sessions.map(() => ({ inTransaction: false, failed: false }));
    /** Runs a statement; when it waits on a lock past a moment, the schedule goes on without it. */
    async function issue(index: number, label: string, work: () => Promise<unknown>) {
      const state = states[index];
      log.push(`${index}: ${label}`);
      const done = work().then(
        () => undefined,
        (error: { code?: string; message: string }) => {
          // A write refused (404, duplicate) or chosen as a deadlock victim leaves the counts as they were.
          log.push(`${index}: ${label} failed: ${error.code ?? ''} ${error.message}`);
          if (state.inTransaction) state.failed = true;
        },
      );
      const settled = await Promise.race([done.then(() => true), new Promise<false>((r) => setTimeout(r, BLOCKED_AFTER_MS, false))]);
      if (!settled) state.pending = done.then(() => void (state.pending = undefined));
    }

    for (let step = 0; step < STEPS; step++) {
      const ready = states.map((s, i) => (s.pending ? -1 : i)).filter((i) => i >= 0);
      if (ready.length === 0) {
        await Promise.race(states.map((s) => s.pending));
        continue;
      }
      const index = random.pick(ready);
      const state = states[index];
      const q = queryable(sessions[index]);
      const roll = random.next();
      if (state.inTransaction && (state.failed || roll < 0.1)) {
        const end = state.failed || roll < 0.03 ? 'ROLLBACK' : 'COMMIT';
        state.inTransaction = false;
        state.failed = false;
        await issue(index, end, () => q.query(end));
      } else if (!state.inTransaction && roll < 0.6) {
        state.inTransaction = true;
        await issue(index, 'BEGIN', () => q.query('BEGIN'));
      } else if (!state.inTransaction && roll < 0.61) {
        await issue(index, 'truncate', () => q.query(`TRUNCATE ${random.pick(TABLES)}`));
      } else {
        const name = random.pick(names);
        if (name === 'insert then roll back to a savepoint' && !state.inTransaction) continue;
        await issue(index, name, () => operations[name](q));
      }
      // Not while a statement waits: a TRUNCATE waiting for a lock would make the checker wait behind it.
      if (step % 10 === 0 && states.every((s) => !s.pending)) {
        // One snapshot for both sides: the counts must match even with writes in flight.
        await checker.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        const wrong = await mismatches(queryable(checker));
        await checker.query('COMMIT');
        assert.deepEqual(wrong, [], `seed ${SEED}, step ${step}: counts differ while writing\n${log.slice(-40).join('\n')}`);
      }
    }
    // Ends every transaction, including those a waiting statement waits for.
    while (states.some((s) => s.pending || s.inTransaction)) {
      for (const [index, state] of states.entries()) {
        if (state.pending || !state.inTransaction) continue;
        const end = state.failed ? 'ROLLBACK' : 'COMMIT';
        state.inTransaction = false;
        state.failed = false;
        await issue(index, end, () => sessions[index].query(end));
      }
      const waiting = states.filter((s) => s.pending).map((s) => s.pending);
      if (waiting.length > 0) await Promise.race(waiting);
    }

    assert.deepEqual(await mismatches(db), [], `seed ${SEED}: counts differ at the end\n${log.slice(-40).join('\n')}`);
    const [{ most }] = await db.query<{ most: number }>(
      `SELECT coalesce(max(n), 0)::int AS most FROM (SELECT count(*) AS n FROM ${ROW_COUNT_TABLE} GROUP BY table_name, tenant_id) s`,
    );
    // At most one slot per session that ever wrote at once, and the first count's.
    assert.ok(most <= SESSIONS + 1, `seed ${SEED}: ${most} slots for one table and tenant`);
    const [{ total }] = await db.query<{ total: string }>('SELECT count(*) AS total FROM nucleus_client');
    t.diagnostic(`seed ${SEED}: ${log.length} statements, ${log.filter((l) => l.includes(' failed: ')).length} refused or rolled back, ${total} clients left, at most ${most} slots`);
  });

  it('never makes a create wait for another open transaction of the same tenant, whatever order tables are written in', async (t) => {
    const tenant = randomUUID();
    const sessions = await Promise.all(Array.from({ length: 6 }, connect));
    t.after(() => Promise.all(sessions.map((s) => s.end())));
    const insert = (session: pg.Client, table: string) =>
      session.query(`INSERT INTO ${table} (tenant_id, id, create_date, update_date, doc) VALUES ($1, gen_random_uuid(), now(), now(), '{}')`, [tenant]);
    // A counter row per tenant would make the second session wait for the first to commit, and
    // the opposite orders below would deadlock; here a wait fails the statement at once.
    // Committed rows first, so the tenant has counter rows that every session below could wait on.
    for (const table of TABLES) await insert(sessions[0], table);
    for (const session of sessions) await session.query("BEGIN; SET LOCAL lock_timeout = '200ms'");
    for (const [i, session] of sessions.entries()) await insert(session, TABLES[i % 2]);
    for (const [i, session] of sessions.entries()) await insert(session, TABLES[(i + 1) % 2]);
    for (const session of sessions) await session.query('COMMIT');
    for (const table of TABLES) {
      const [{ count }] = await db.query<{ count: string }>(`SELECT sum(row_count) AS count FROM ${ROW_COUNT_TABLE} WHERE table_name = $1 AND tenant_id = $2`, [table, tenant]);
      assert.equal(Number(count), sessions.length + 1, table);
    }
  });

  it('keeps a transaction to one slot, so a writer finds a free one instead of opening another', async (t) => {
    const tenant = randomUUID();
    const [first, second, third] = await Promise.all([connect(), connect(), connect()]);
    t.after(() => Promise.all([first, second, third].map((s) => s.end())));
    const insert = (session: pg.Client) =>
      session.query(`INSERT INTO nucleus_client (tenant_id, id, create_date, update_date, doc) VALUES ($1, gen_random_uuid(), now(), now(), '{}')`, [tenant]);
    const slots = async () =>
      Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${ROW_COUNT_TABLE} WHERE table_name = 'nucleus_client' AND tenant_id = $1`, [tenant]))[0].n);
    // Two slots: two writers at once.
    await Promise.all([first, second].map((s) => s.query('BEGIN')));
    await insert(first);
    await insert(second);
    await Promise.all([first, second].map((s) => s.query('COMMIT')));
    assert.equal(await slots(), 2);
    // The first slot's new row version now comes after the other in a scan: without the
    // remembered slot, the second statement would take the other slot too.
    await first.query('BEGIN');
    await insert(first);
    await insert(first);
    await third.query("BEGIN; SET LOCAL lock_timeout = '200ms'");
    await insert(third);
    await Promise.all([first, third].map((s) => s.query('COMMIT')));
    assert.equal(await slots(), 2);
    const [{ count }] = await db.query<{ count: string }>(`SELECT sum(row_count) AS count FROM ${ROW_COUNT_TABLE} WHERE table_name = 'nucleus_client' AND tenant_id = $1`, [tenant]);
    assert.equal(Number(count), 5);
  });

  it('counts a table once when its triggers are installed, including rows written before them', async () => {
    const tenant = randomUUID();
    // A table as a database from before row counts has it: rows, and no triggers nor counts.
    for (const suffix of ['inserts', 'deletes', 'moves', 'truncates']) await db.query(`DROP TRIGGER nucleus_goal_counts_${suffix} ON nucleus_goal`);
    await db.query(`DELETE FROM ${ROW_COUNT_TABLE} WHERE table_name = 'nucleus_goal'`);
    await db.query(
      `INSERT INTO nucleus_goal (tenant_id, id, create_date, update_date, doc) SELECT $1, gen_random_uuid(), now(), now(), '{}' FROM generate_series(1, 7)`,
      [tenant],
    );
    await db.withAdvisoryLock(0, (session) => ensureEntityTables(session, nucleusEntities));
    await db.withAdvisoryLock(0, (session) => ensureEntityTables(session, nucleusEntities));
    await db.query(`INSERT INTO nucleus_goal (tenant_id, id, create_date, update_date, doc) VALUES ($1, gen_random_uuid(), now(), now(), '{}')`, [tenant]);
    const [{ count }] = await db.query<{ count: string }>(`SELECT sum(row_count) AS count FROM ${ROW_COUNT_TABLE} WHERE table_name = 'nucleus_goal' AND tenant_id = $1`, [tenant]);
    assert.equal(Number(count), 8);
  });
});
