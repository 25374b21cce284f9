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
  let statements = 0;

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

  /** Two processes' windows on two pools, counting the statements they send. */
  function processes(): RateLimitWindows[] {
    statements = 0;
    return [db, other].map((pool) => new RateLimitWindows({ query: (sql, params) => (statements++, pool.query(sql, params)) }));
  }

  for (const max of [10, 100, 5000]) {
    it(`hands out distinct places to two processes at once, exactly ${max} of them within a limit of ${max}`, async () => {
      const windows = processes();
      const key = `windows-test:${max}`;
      // More requests than the limit in each process, so neither leaves a share unused.
      const counts = await Promise.all(Array.from({ length: 3 * max }, (_, i) => windows[i % 2].count(key, 60_000, max)));
      const admitted = counts.map((c) => c.current).filter((current) => current <= max).sort((a, b) => a - b);
      assert.deepEqual(admitted, Array.from({ length: max }, (_, i) => i + 1));
      const places = counts.map((c) => c.current).filter((current) => current <= max);
      assert.equal(new Set(places).size, places.length, 'no place handed out twice');
      assert.ok(counts.every((c) => c.ttl > 0 && c.ttl <= 60_000));
      // A share per question: far fewer statements than requests once the limit is large.
      if (max >= 5000) assert.ok(statements < max / 10, `${statements} statements for ${3 * max} requests`);
    });
  }

  it('opens a new window once the last has ended, in every process', async () => {
    // The three counts must fall in one window: a few round trips, one of them maybe a new connection, which a busy machine can stretch well past a few hundred ms.
    const WINDOW = 2_000;
    const [one, two] = processes();
    assert.equal((await one.count('windows-test:short', WINDOW, 2)).current, 1);
    assert.equal((await two.count('windows-test:short', WINDOW, 2)).current, 2);
    assert.equal((await one.count('windows-test:short', WINDOW, 2)).current, 3, 'over the limit');
    await sleep(WINDOW + 50);
    const fresh = await two.count('windows-test:short', WINDOW, 2);
    assert.equal(fresh.current, 1);
    assert.ok(fresh.ttl > WINDOW - 100 && fresh.ttl <= WINDOW, `ttl ${fresh.ttl}`);
  });

  it('fails the requests waiting on a question that fails, and asks again for the next', async () => {
    const [windows] = processes();
    // PostgreSQL text cannot hold NUL; the key generators never make one.
    await assert.rejects(async () => windows.count('windows-test:bad\u0000', 1000, 5), /0x00|invalid byte sequence/);
    assert.equal((await windows.count('windows-test:good', 1000, 5)).current, 1);
  });
});
