import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { onCommit, type Database } from '../../../src/platform/db/database.ts';
import { freshDatabase } from '../../support/server.ts';

describe('onCommit', () => {
  let db: Database;
  let drop: () => Promise<void>;

  before(async () => {
    ({ db, drop } = await freshDatabase());
    await db.query('CREATE TABLE note (id integer PRIMARY KEY)');
  });
  after(async () => {
    await db.close();
    await drop();
  });

  test('runs after the commit, when the write is visible to others', async () => {
    const seen: number[] = [];
    let inside = -1;
    await db.transaction(async (tx) => {
      await tx.query('INSERT INTO note VALUES (1)');
      onCommit(tx, () => seen.push(1));
      onCommit(tx, () => seen.push(2));
      inside = seen.length;
    });
    assert.equal(inside, 0, 'nothing runs before the commit');
    assert.deepEqual(seen, [1, 2]);
    assert.deepEqual(await db.query('SELECT id FROM note'), [{ id: 1 }]);
  });

  test('never runs when the transaction rolls back', async () => {
    let ran = false;
    await assert.rejects(
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO note VALUES (2)');
        onCommit(tx, () => (ran = true));
        throw new Error('refused');
      }),
      /refused/,
    );
    assert.equal(ran, false);
    assert.deepEqual(await db.query('SELECT id FROM note ORDER BY id'), [{ id: 1 }]);
  });

  test('runs at once outside a transaction', () => {
    let ran = false;
    onCommit(db, () => (ran = true));
    assert.equal(ran, true);
  });
});
