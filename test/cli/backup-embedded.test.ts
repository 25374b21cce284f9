import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServerProcess, stopServerProcess, type RunningServer } from '../support/process.ts';
import { startReceiver, type Receiver } from '../platform/webhooks/receiver.ts';
import { ADMIN, apiOf, BALANCES, readWorld, useRestored, writeWorld } from './backup-world.ts';
import { deuterium } from './operator-tool.ts';

/**
 * `deuterium backup` and `deuterium restore` on the default storage: a server's embedded
 * PostgreSQL in its DATA_DIR, backed up beside the running server, restored into a new,
 * empty DATA_DIR that another server then serves.
 */

function embedded(dataDir: string): Record<string, string> {
  return { DATA_DIR: dataDir, DATABASE_URL: '' };
}

describe('backup and restore of the embedded PostgreSQL', () => {
  let scratch: string;
  let receiver: Receiver;
  const servers: RunningServer[] = [];

  const dataDir = (name: string) => {
    const dir = path.join(scratch, name);
    fs.mkdirSync(dir);
    return dir;
  };
  const serve = async (dir: string) => {
    const server = await startServerProcess({ ...embedded(dir), ...ADMIN, WEBHOOK_ALLOW_PRIVATE: 'true' });
    servers.push(server);
    return server;
  };

  before(async () => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'deuterium-backup-'));
    // Root runs the database as the `postgres` user, who must reach the directories.
    fs.chmodSync(scratch, 0o755);
    receiver = await startReceiver();
  });
  after(async () => {
    for (const server of servers) await stopServerProcess(server);
    await receiver.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('restores into an empty DATA_DIR every record, the webhook history and the ledger balances', async () => {
    const source = dataDir('source');
    const first = await serve(source);
    const api = await apiOf(first.url);
    const written = await writeWorld(api, receiver);
    const before = await readWorld(api, written);

    const file = path.join(scratch, 'deuterium.backup');
    const backup = await deuterium(embedded(source), 'backup', '--out', file);
    assert.equal(backup.code, 0, backup.err);
    assert.match(backup.out, /^Backed up the embedded PostgreSQL in .* to .*deuterium\.backup/);
    const again = await deuterium(embedded(source), 'backup', '--out', file);
    assert.equal(again.code, 1);
    assert.match(again.err, /exists; a backup never overwrites a file/);

    const busy = await deuterium(embedded(source), 'restore', file, '--force');
    assert.equal(busy.code, 1, 'a restore under a running server is refused, --force or not');
    assert.match(busy.err, /other session\(s\) are connected .* Stop every Deuterium server/);

    const target = dataDir('target');
    const restored = await deuterium(embedded(target), 'restore', file);
    assert.equal(restored.code, 0, restored.err);
    assert.ok(!fs.existsSync(path.join(target, 'postgres', 'postmaster.pid')), 'the tool stops the database it started');

    const refused = await deuterium(embedded(target), 'restore', file);
    assert.equal(refused.code, 1);
    assert.match(refused.err, /The database is not empty .* add --force/);

    const second = await serve(target);
    const restoredApi = await apiOf(second.url);
    assert.deepEqual(await readWorld(restoredApi, written), before);
    await useRestored(restoredApi, written, BALANCES);
    // The source goes on by itself: the restored copy shares nothing with it.
    assert.deepEqual(await readWorld(api, written), before);
  });
});
