import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { freshDatabase } from '../../support/server.ts';
import { openDatabase } from '../../../src/platform/db/database.ts';
import { migrate, type Migration } from '../../../src/platform/db/migrations.ts';
import { allMigrations, prepareDatabase } from '../../../src/platform/db/prepare.ts';
import { nucleusEntities } from '../../../src/nucleus/entities.ts';

describe('migrations', () => {
  it('apply once, in order, and are safe to run again', async () => {
    const { db, drop } = await freshDatabase();
    try {
      const applied: number[] = [];
      // Versions far above the real ones, so the real migrations still apply afterwards.
      const migrations: Migration[] = [9002, 9001].map((version) => ({
        version,
        name: `step ${version}`,
        up: async (session) => {
          applied.push(version);
          await session.query(`CREATE TABLE step_${version} (id int)`);
        },
      }));
      assert.deepEqual(await migrate(db, migrations), [9001, 9002]);
      assert.deepEqual(await migrate(db, migrations), []);
      assert.deepEqual(applied, [9001, 9002]);
      await prepareDatabase(db, nucleusEntities);
      await prepareDatabase(db, nucleusEntities);
    } finally {
      await db.close();
      await drop();
    }
  });

  it('roll back a failing migration entirely', async () => {
    const { db, drop } = await freshDatabase();
    try {
      const broken: Migration = {
        version: 9001,
        name: 'broken',
        up: async (session) => {
          await session.query('CREATE TABLE half_done (id int)');
          await session.query('SELECT no_such_function()');
        },
      };
      await assert.rejects(migrate(db, [broken]));
      assert.equal((await db.query("SELECT to_regclass('half_done') AS t"))[0].t, null);
      assert.equal((await db.query('SELECT count(*)::int AS n FROM schema_migration'))[0].n, 0);
    } finally {
      await db.close();
      await drop();
    }
  });

  it('serialise two processes starting together', async () => {
    const { db, url, drop } = await freshDatabase();
    const second = await openDatabase(url);
    try {
      await Promise.all([prepareDatabase(db, nucleusEntities), prepareDatabase(second, nucleusEntities)]);
      const rows = await db.query<{ version: number }>('SELECT version FROM schema_migration');
      assert.equal(rows.length, allMigrations.length, 'each migration recorded exactly once');
    } finally {
      await second.close();
      await db.close();
      await drop();
    }
  });
});
