import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { newestClientPrograms, unsuitability } from '../../src/cli/backup/client-programs.ts';
import { connect, serverMajor } from '../../src/cli/backup/target-database.ts';
import { runCli } from '../../src/cli/run.ts';
import { durableStorage, startServerProcess, stopServerProcess, type DurableStorage, type RunningServer } from '../support/process.ts';
import { startReceiver, type Receiver } from '../platform/webhooks/receiver.ts';
import type { TestServer } from '../support/server.ts';
import { ADMIN, apiOf, BALANCES, readWorld, useRestored, writeWorld, type Written } from './backup-world.ts';
import { deuterium } from './operator-tool.ts';

/**
 * `deuterium backup` and `deuterium restore` with DATABASE_URL, in both formats: pg_dump's
 * where the installed pg_dump can dump the suite's server (CI's PostgreSQL 15 run has one),
 * and the portable one everywhere.
 */
describe('backup and restore with DATABASE_URL', () => {
  let scratch: string;
  let receiver: Receiver;
  let source: DurableStorage;
  let sourceServer: RunningServer;
  let api: TestServer;
  let written: Written;
  let world: Record<string, unknown>;
  /** Why pg_dump cannot dump the suite's server; undefined when it can. */
  let noPgDump: string | undefined;
  const storages: DurableStorage[] = [];
  const servers: RunningServer[] = [];

  const emptyDatabase = async () => {
    const storage = await durableStorage();
    storages.push(storage);
    return storage;
  };
  const serve = async (env: Record<string, string>) => {
    const server = await startServerProcess({ ...env, ...ADMIN, WEBHOOK_ALLOW_PRIVATE: 'true' });
    servers.push(server);
    return server;
  };

  /** Backs the source up in `format`, restores it into a new database, and checks it all came back. */
  async function roundTrip(format: 'custom' | 'portable'): Promise<DurableStorage> {
    const file = path.join(scratch, `${format}.backup`);
    const backup = await deuterium(source.env, 'backup', '--out', file, '--format', format, '--json');
    assert.equal(backup.code, 0, backup.err);
    assert.equal(JSON.parse(backup.out).format, format);
    const target = await emptyDatabase();
    const restored = await deuterium(target.env, 'restore', file, ...(format === 'custom' ? ['--jobs', '2'] : []));
    assert.equal(restored.code, 0, restored.err);
    const server = await serve(target.env);
    const restoredApi = await apiOf(server.url);
    assert.deepEqual(await readWorld(restoredApi, written), world);
    await useRestored(restoredApi, written, BALANCES);
    await stopServerProcess(server);
    return target;
  }

  before(async () => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'deuterium-backup-url-'));
    receiver = await startReceiver();
    source = await emptyDatabase();
    sourceServer = await serve(source.env);
    api = await apiOf(sourceServer.url);
    written = await writeWorld(api, receiver);
    world = await readWorld(api, written);
    const client = await connect(source.env.DATABASE_URL, 'test');
    noPgDump = unsuitability(await newestClientPrograms(), await serverMajor(client));
    await client.end();
  });
  after(async () => {
    for (const server of servers) await stopServerProcess(server);
    await receiver.close();
    for (const storage of storages) await storage.dispose();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it("round-trips through pg_dump's custom format, restored over two connections", async (t) => {
    if (noPgDump) {
      t.skip(`no pg_dump here can dump the suite's server: ${noPgDump}`);
      return;
    }
    await roundTrip('custom');
  });

  it('names what to install when no pg_dump can dump the server, and falls back to the portable format', async (t) => {
    if (!noPgDump) {
      t.skip('a suitable pg_dump is installed');
      return;
    }
    const file = path.join(scratch, 'refused.backup');
    const refused = await deuterium(source.env, 'backup', '--out', file, '--format', 'custom');
    assert.equal(refused.code, 1);
    assert.match(refused.err, /postgresql-client-\d+/);
    assert.ok(!fs.existsSync(file));
    const fallback = await deuterium(source.env, 'backup', '--out', file);
    assert.equal(fallback.code, 0, fallback.err);
    assert.match(fallback.err, /^note: .* Writing Deuterium's portable backup instead/);
  });

  it('round-trips through the portable format, and replaces a database only when forced', async () => {
    const target = await roundTrip('portable');
    const file = path.join(scratch, 'portable.backup');
    // The restored database went on (the cards were emptied): restoring over it needs --force.
    const refused = await deuterium(target.env, 'restore', file);
    assert.equal(refused.code, 1);
    assert.match(refused.err, /The database is not empty/);
    const forced = await deuterium(target.env, 'restore', file, '--force');
    assert.equal(forced.code, 0, forced.err);
    const server = await serve(target.env);
    assert.deepEqual(await readWorld(await apiOf(server.url), written), world, 'the backup as it was, nothing of what came after');
  });

  it('refuses a file that is no backup, and one cut short, leaving the database empty', async () => {
    const target = await emptyDatabase();
    const junk = path.join(scratch, 'junk');
    fs.writeFileSync(junk, 'not a backup');
    const notBackup = await deuterium(target.env, 'restore', junk);
    assert.equal(notBackup.code, 1);
    assert.match(notBackup.err, /neither a pg_dump archive \(custom format\) nor a Deuterium backup/);

    const whole = fs.readFileSync(path.join(scratch, 'portable.backup'));
    const cut = path.join(scratch, 'cut.backup');
    fs.writeFileSync(cut, whole.subarray(0, Math.floor(whole.length / 2)));
    const cutShort = await deuterium(target.env, 'restore', cut, '--force');
    assert.equal(cutShort.code, 1);
    assert.match(cutShort.err, /is damaged or cut short .*\n.*restore again with --force/i);
    // The schema was made before the rows failed: nothing but it is there.
    const db = await target.open();
    try {
      assert.deepEqual(await db.query('SELECT id FROM tenant'), []);
    } finally {
      await db.close();
    }
  });

  it('checks its arguments before it opens the database', async () => {
    const run = async (...argv: string[]) => {
      const err: string[] = [];
      const code = await runCli(argv, { out: () => {}, err: (line) => err.push(line) }, { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
      return { code, err: err.join('\n') };
    };
    assert.deepEqual(await run('backup'), { code: 2, err: 'error: Missing --out <file>\nRun "deuterium help" for usage.' });
    assert.match((await run('backup', '--out', path.join(scratch, 'x'), '--format', 'sql')).err, /--format must be custom or portable/);
    assert.match((await run('restore')).err, /Usage: deuterium restore <file>/);
    assert.match((await run('restore', path.join(scratch, 'missing'))).err, /No such file/);
    const portable = path.join(scratch, 'portable.backup');
    assert.match((await run('restore', portable, '--jobs', '4')).err, /--jobs is for pg_dump archives/);
    assert.match((await run('restore', portable, '--jobs', 'many')).err, /--jobs must be a whole number/);
  });
});
