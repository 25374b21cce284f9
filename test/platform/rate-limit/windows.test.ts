import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { freshDatabase } from '../../support/server.ts';
import { openDatabase, type Database } from '../../../src/platform/db/database.ts';
import { RateLimitWindows } from '../../../src/platform/rate-limit/windows.ts';

describe('shared rate-limit windows', () => {
  let db: Database;
  let other: Database;
  let drop: () => Promise<void>;

  before(async () => {
    let url: string;
    ({ db, url, drop } = await freshDatabase('prepared'));
    other = await openDatabase(url);
  });
  after(async () => {
    await other?.close();
    await db?.close();
    await drop?.();
  });

  it('gives every request of two processes counting at once its own place in the count, key by key', async () => {
    // Two instances on two pools: two processes' group commits racing on the same rows.
    const processes = [new RateLimitWindows(db), new RateLimitWindows(other)];
    const keys = ['a', 'b', 'c'];
    const counts = await Promise.all(
      Array.from({ length: 300 }, (_, i) => processes[i % 2].count(`windows-test:${keys[i % 3]}`, 60_000).then((c) => ({ key: keys[i % 3], ...c }))),
    );
    for (const key of keys) {
      const currents = counts.filter((c) => c.key === key).map((c) => c.current).sort((a, b) => a - b);
      assert.deepEqual(currents, Array.from({ length: 100 }, (_, i) => i + 1), key);
    }
    assert.ok(counts.every((c) => c.ttl > 0 && c.ttl <= 60_000));
  });

  it('opens a new window once the last has ended', async () => {
    const windows = new RateLimitWindows(db);
    assert.equal((await windows.count('windows-test:short', 300)).current, 1);
    assert.equal((await windows.count('windows-test:short', 300)).current, 2);
    await sleep(350);
    const fresh = await windows.count('windows-test:short', 300);
    assert.equal(fresh.current, 1);
    assert.ok(fresh.ttl > 200 && fresh.ttl <= 300, `ttl ${fresh.ttl}`);
  });

  it('fails the requests of a batch whose statement fails, and serves the next', async () => {
    const windows = new RateLimitWindows(db);
    // PostgreSQL text cannot hold NUL; the key generators never make one.
    await assert.rejects(windows.count('windows-test:bad\u0000', 1000), /0x00|invalid byte sequence/);
    assert.equal((await windows.count('windows-test:good', 1000)).current, 1);
  });
});
