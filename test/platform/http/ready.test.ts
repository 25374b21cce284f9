import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { startServer, type TestServer } from '../../support/server.ts';
import { freePort } from '../../support/process.ts';
import { buildApp } from '../../../src/app.ts';
import { allMigrations } from '../../../src/platform/db/prepare.ts';
import { PostgresDatabase } from '../../../src/platform/db/postgres-database.ts';

describe('GET /ready', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startServer();
  });
  afterEach(() => server.close());

  const ready = () => server.request('GET', '/ready', { token: null });

  it('answers 200 with the state of each part when the server can serve', async () => {
    const answer = await ready();
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body, {
      status: 'ready',
      not_ready: [],
      parts: {
        database: { ready: true, detail: 'reachable' },
        migrations: { ready: true, detail: `${allMigrations.length} applied` },
        workers: { ready: true, detail: '1 of 1 listening' },
      },
    });
  });

  it('answers 503 naming the migrations when one this version knows is not applied', async () => {
    const last = allMigrations.at(-1)!.version;
    await server.db.query('DELETE FROM schema_migration WHERE version = $1', [last]);
    const answer = await ready();
    assert.equal(answer.status, 503);
    assert.equal(answer.body.status, 'not ready');
    assert.deepEqual(answer.body.not_ready, ['migrations']);
    assert.deepEqual(answer.body.parts.migrations, { ready: false, detail: `not applied: ${last}` });
    assert.equal(answer.body.parts.database.ready, true);
    assert.equal((await server.request('GET', '/health', { token: null })).status, 200, '/health says only that the process is up');
  });

  it('answers 503 naming the database when it cannot be reached', async () => {
    // A server whose database went away: nothing listens where its pool connects.
    const db = new PostgresDatabase(`postgres://deuterium@127.0.0.1:${await freePort()}/gone`);
    const app = await buildApp({ config: { ...server.config, logLevel: 'silent' }, db });
    await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const response = await fetch(`http://127.0.0.1:${(app.server.address() as AddressInfo).port}/ready`);
      assert.equal(response.status, 503);
      const body = (await response.json()) as { not_ready: string[]; parts: Record<string, { ready: boolean; detail: string }> };
      assert.deepEqual(body.not_ready, ['database', 'migrations']);
      assert.equal(body.parts.database.ready, false);
      assert.match(body.parts.database.detail, /ECONNREFUSED/);
      assert.deepEqual(body.parts.migrations, { ready: false, detail: 'the database is unreachable' });
      assert.equal(body.parts.workers.ready, true);
    } finally {
      await app.close();
      await db.close();
    }
  });
});
