import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openDatabase, type Database } from '../../../src/platform/db/database.ts';

/** The embedded database runs every statement as a named prepared statement (pglite-statements.ts). */
describe('PGlite prepared statements', () => {
  let db: Database;

  before(async () => {
    db = await openDatabase({ dataDir: 'memory://' });
    await db.query('CREATE TABLE item (id integer PRIMARY KEY, name text, tags text[], doc jsonb, seen timestamptz, flag boolean, amount numeric, bytes bytea)');
  });
  after(() => db.close());

  test('every kind of value goes in as text and comes back as it went', async () => {
    const tags = ['plain', 'with "quotes"', 'back\\slash', 'comma, too', '{braces}', ''];
    const seen = new Date('2026-01-02T03:04:05.678Z');
    await db.query('INSERT INTO item VALUES ($1, $2, $3, $4, $5, $6, $7, $8)', [1, "O'Brien", tags, { a: [1, 'two'] }, seen, true, '12345678901234567890.12', new Uint8Array([0, 255, 16])]);
    const [row] = await db.query<Record<string, unknown>>('SELECT id, name, tags, doc, seen, flag, amount, encode(bytes, $2) AS hex FROM item WHERE id = $1', [1, 'hex']);
    assert.deepEqual(row, { id: 1, name: "O'Brien", tags, doc: { a: [1, 'two'] }, seen, flag: true, amount: '12345678901234567890.12', hex: '00ff10' });
    const [nulls] = await db.query<{ tags: unknown }>('SELECT $1::text[] AS tags', [['a', null]]);
    assert.deepEqual(nulls.tags, ['a', null]);
    const [nested] = await db.query<{ grid: unknown }>('SELECT $1::int[] AS grid', [[[1, 2], [3, 4]]]);
    assert.deepEqual(nested.grid, [[1, 2], [3, 4]]);
    const [none] = await db.query<{ value: unknown }>('SELECT $1::text AS value', [null]);
    assert.equal(none.value, null);
  });

  test('a statement is prepared once per text and reused', async () => {
    const before = await prepared();
    for (let i = 0; i < 5; i++) await db.query('SELECT $1::int + 1 AS next', [i]);
    assert.equal((await prepared()) - before, 1);
  });

  test('a failing statement leaves the session usable, inside a transaction and out', async () => {
    await assert.rejects(db.query('SELECT * FROM no_such_table'), /no_such_table/);
    await assert.rejects(db.query('INSERT INTO item (id) VALUES ($1)', [1]), (error: { code?: string }) => error.code === '23505');
    await assert.rejects(
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO item (id, name) VALUES ($1, $2)', [2, 'rolled back']);
        await tx.query('INSERT INTO item (id) VALUES ($1)', [1]);
      }),
      (error: { code?: string }) => error.code === '23505',
    );
    assert.deepEqual(await db.query('SELECT id FROM item ORDER BY id'), [{ id: 1 }]);
    const [row] = await db.query<{ one: number }>('SELECT 1 AS one');
    assert.equal(row.one, 1);
  });

  test('a table changing shape under a prepared statement is prepared again', async () => {
    const sql = 'SELECT * FROM item WHERE id = $1';
    assert.deepEqual(Object.keys((await db.query(sql, [1]))[0]), ['id', 'name', 'tags', 'doc', 'seen', 'flag', 'amount', 'bytes']);
    await db.query('ALTER TABLE item ADD COLUMN extra text');
    assert.ok('extra' in (await db.query<Record<string, unknown>>(sql, [1]))[0]);
  });

  test('statements beyond the limit are closed, the oldest first', async () => {
    for (let i = 0; i < 320; i++) await db.query(`SELECT ${i} AS n`);
    assert.ok((await prepared()) <= 301, 'at most the limit stay prepared, with the count itself');
    const [again] = await db.query<{ n: number }>('SELECT 0 AS n');
    assert.equal(again.n, 0);
  });

  async function prepared(): Promise<number> {
    const [row] = await db.query<{ count: number }>('SELECT count(*)::int AS count FROM pg_prepared_statements');
    return row.count;
  }
});
