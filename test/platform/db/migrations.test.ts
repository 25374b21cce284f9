import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { freshDatabase } from '../../support/server.ts';
import { openDatabase } from '../../../src/platform/db/database.ts';
import { migrate, type Migration } from '../../../src/platform/db/migrations.ts';
import { prepareDatabase } from '../../../src/platform/db/prepare.ts';
import { nucleusEntities } from '../../../src/nucleus/entities.ts';

describe('migrations', () => {
  it('apply once, in order, and are safe to run again', async () => {
    const { db, drop } = await freshDatabase();
    try {
      const applied: number[] = [];
      const migrations: Migration[] = [2, 1].map((version) => ({
        version,
        name: `step ${version}`,
        up: async (session) => {
          applied.push(version);
          await session.query(`CREATE TABLE step_${version} (id int)`);
        },
      }));
      assert.deepEqual(await migrate(db, migrations), [1, 2]);
      assert.deepEqual(await migrate(db, migrations), []);
      assert.deepEqual(applied, [1, 2]);
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
        version: 1,
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

  it('serialise two processes starting together on PostgreSQL', { skip: !process.env.DATABASE_URL && 'needs DATABASE_URL' }, async () => {
    const { db, url, drop } = await freshDatabase();
    const second = await openDatabase({ databaseUrl: url, dataDir: '' });
    try {
      await Promise.all([prepareDatabase(db, nucleusEntities), prepareDatabase(second, nucleusEntities)]);
      const rows = await db.query<{ version: number }>('SELECT version FROM schema_migration');
      assert.equal(rows.length, 1);
    } finally {
      await second.close();
      await db.close();
      await drop();
    }
  });
});
