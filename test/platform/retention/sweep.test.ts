import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, startServer, type TestServer } from '../../support/server.ts';
import { sweepExpired } from '../../../src/platform/retention/sweep.ts';
import { LOCK_SECONDS } from '../../../src/platform/auth/login-throttle.ts';

const POLICY = { webhookHistoryDays: 30 };

describe('retention: expired rows are swept, live ones kept', () => {
  let server: TestServer;
  let tenantId: string;

  const count = async (sql: string, params: unknown[] = []) => Number((await server.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${sql}`, params))[0].n);
  const wrongLogin = (username: string) =>
    server.token(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, { grant_type: 'password', username, password: 'Not-the-password-1' });

  before(async () => {
    // A long interval: the sweeps below are the test's own, not the timer's.
    server = await startServer({ retentionIntervalMs: 60 * 60 * 1000 });
    tenantId = (await server.db.query<{ id: string }>('SELECT id FROM tenant LIMIT 1'))[0].id;
  });
  after(() => server.close());

  test('an expired access token is removed; a live one keeps working', async () => {
    const issued = await server.token(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, { grant_type: 'client_credentials' });
    const expired = issued.body.access_token as string;
    await server.db.query(`UPDATE access_token SET expires_at = now() - interval '1 second' WHERE create_date = (SELECT max(create_date) FROM access_token)`);
    const before = await count('access_token');
    const swept = await sweepExpired(server.db, POLICY);
    assert.equal(swept.access_token, 1);
    assert.equal(await count('access_token'), before - 1);
    assert.equal((await server.request('GET', '/nucleus/v1/client', { token: expired })).status, 401);
    assert.equal((await server.request('GET', '/nucleus/v1/client')).status, 200);
  });

  test('failed-login counts that went quiet are removed and start over; recent ones and locks are kept', async () => {
    for (let i = 0; i < 4; i++) assert.equal((await wrongLogin('quiet@retention.test')).status, 400);
    for (let i = 0; i < 2; i++) await wrongLogin('recent@retention.test');
    for (let i = 0; i < 5; i++) await wrongLogin('locked@retention.test');
    await server.db.query(`UPDATE login_failure SET last_failure = now() - make_interval(secs => $1) WHERE failures = 4`, [LOCK_SECONDS + 1]);
    await server.db.query(`UPDATE login_failure SET last_failure = now() - make_interval(secs => $1) WHERE locked_until IS NOT NULL`, [LOCK_SECONDS + 1]);

    // The quiet count no longer adds up: a fifth failure after a long pause is a first one.
    await wrongLogin('quiet@retention.test');
    const restarted = await server.db.query<{ failures: number; locked_until: string | null }>('SELECT failures, locked_until FROM login_failure WHERE failures = 1');
    assert.equal(restarted.length, 1);
    assert.equal(restarted[0].locked_until, null);

    await server.db.query(`UPDATE login_failure SET last_failure = now() - make_interval(secs => $1) WHERE failures = 1`, [LOCK_SECONDS + 1]);
    const swept = await sweepExpired(server.db, POLICY);
    assert.equal(swept.login_failure, 1);
    const left = await server.db.query<{ failures: number; locked: boolean }>('SELECT failures, locked_until > now() AS locked FROM login_failure ORDER BY failures');
    assert.deepEqual(
      left.map((row) => ({ ...row })),
      [
        { failures: 2, locked: null },
        { failures: 5, locked: true },
      ],
    );
  });

  test('an expired idempotency key is removed and a retry runs again', async () => {
    const headers = { 'idempotency-key': `retention-${randomUUID()}` };
    const body = { username: `idem-${randomUUID()}@retention.test`, client_type: 'individual' };
    assert.equal((await server.request('POST', '/nucleus/v1/client', { body, headers })).status, 201);
    await server.db.query(`UPDATE idempotency_key SET expires_at = now() - interval '1 second'`);
    const swept = await sweepExpired(server.db, POLICY);
    assert.equal(swept.idempotency_key, 1);
    const again = await server.request('POST', '/nucleus/v1/client', { body, headers });
    assert.equal(again.status, 409, 'the key is forgotten, so the create runs again and meets the unique username');
  });

  test('finished webhook history past retention is removed with its attempts and events; pending deliveries never are', async () => {
    const event = async (ageDays: number) => {
      const id = randomUUID();
      await server.db.query(
        `INSERT INTO webhook_event (tenant_id, id, service, action, entity, record_id, payload, create_date)
         VALUES ($1, $2, 'client', 'create', 'client', $3, '{}', now() - make_interval(days => $4))`,
        [tenantId, id, randomUUID(), ageDays],
      );
      return id;
    };
    const delivery = async (eventId: string, status: string, ageDays: number) => {
      const id = randomUUID();
      await server.db.query(
        `INSERT INTO webhook_delivery (tenant_id, id, webhook_id, event_id, status, next_attempt_at, create_date, update_date)
         VALUES ($1, $2, $3, $4, $5, now(), now() - make_interval(days => $6), now() - make_interval(days => $6))`,
        [tenantId, id, randomUUID(), eventId, status, ageDays],
      );
      await server.db.query(
        `INSERT INTO webhook_attempt (tenant_id, delivery_id, attempt_number, attempted_at) VALUES ($1, $2, 1, now() - make_interval(days => $3))`,
        [tenantId, id, ageDays],
      );
      return id;
    };
    const oldEvent = await event(40);
    const oldDelivered = await delivery(oldEvent, 'delivered', 40);
    const oldFailed = await delivery(oldEvent, 'failed', 31);
    const retrying = await event(40);
    const oldPending = await delivery(retrying, 'pending', 40);
    const recentEvent = await event(2);
    const recentDelivered = await delivery(recentEvent, 'delivered', 2);

    const swept = await sweepExpired(server.db, POLICY);
    assert.equal(swept.webhook_delivery, 2);
    assert.equal(swept.webhook_attempt, 2);
    assert.equal(swept.webhook_event, 1);
    const deliveries = (await server.db.query<{ id: string }>('SELECT id FROM webhook_delivery')).map((row) => row.id).sort();
    assert.deepEqual(deliveries, [oldPending, recentDelivered].sort());
    assert.equal(await count('webhook_attempt WHERE delivery_id = ANY($1::uuid[])', [[oldDelivered, oldFailed]]), 0);
    const events = (await server.db.query<{ id: string }>('SELECT id FROM webhook_event')).map((row) => row.id).sort();
    assert.deepEqual(events, [retrying, recentEvent].sort());
  });
});

describe('retention of failed jobs', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ retentionIntervalMs: 60 * 60 * 1000 });
    // The sweep made at start is done, so the test's own sweep is the one that finds the rows.
    const deadline = Date.now() + 10_000;
    while ((await server.db.query(`SELECT 1 FROM job WHERE kind = 'retention-sweep' AND state = 'pending' AND run_at > now()`)).length === 0) {
      if (Date.now() > deadline) throw new Error('the first sweep did not end');
      await sleep(25);
    }
  });
  after(() => server.close());

  test('a job that failed for good is removed after the history days; waiting and running ones never are', async () => {
    const tenantId = (await server.db.query<{ id: string }>('SELECT id FROM tenant LIMIT 1'))[0].id;
    const job = async (state: string, ageDays: number) => {
      const id = randomUUID();
      await server.db.query(
        `INSERT INTO job (tenant_id, id, kind, payload, state, lease_token, attempts, update_date)
         VALUES ($1, $2, 'bulk', '{}', $3, CASE WHEN $3 = 'running' THEN 'a-lease' END, 1, now() - make_interval(days => $4))`,
        [tenantId, id, state, ageDays],
      );
      return id;
    };
    await job('failed', 31);
    const recent = await job('failed', 2);
    const waiting = await job('pending', 40);
    const running = await job('running', 40);
    const swept = await sweepExpired(server.db, POLICY);
    assert.equal(swept.job, 1);
    const left = (await server.db.query<{ id: string }>(`SELECT id FROM job WHERE kind = 'bulk'`)).map((row) => row.id).sort();
    assert.deepEqual(left, [recent, waiting, running].sort());
  });
});

describe('retention: the server sweeps on its own', () => {
  test('as one job of the job engine, rescheduled an interval after each sweep', async () => {
    const server = await startServer({ retentionIntervalMs: 60 * 60 * 1000 });
    try {
      const deadline = Date.now() + 10_000;
      let rows: { state: string; hours_ahead: number }[] = [];
      while (Date.now() < deadline) {
        rows = await server.db.query(`SELECT state, extract(epoch FROM run_at - now()) / 3600 AS hours_ahead FROM job WHERE kind = 'retention-sweep'`);
        if (rows.length === 1 && rows[0].state === 'pending' && rows[0].hours_ahead > 0.9) break;
        await sleep(25);
      }
      assert.equal(rows.length, 1);
      assert.equal(rows[0].state, 'pending');
      assert.ok(rows[0].hours_ahead > 0.9 && rows[0].hours_ahead <= 1, `next sweep in ${rows[0].hours_ahead} h`);
      // The row is visible once the settling transaction commits, but the outcome is counted only after: stopping waits for that.
      await server.app.jobs.stop();
      const [figures] = (await server.app.jobs.figures()).filter((f) => f.kind === 'retention-sweep');
      assert.equal(figures.outcomes.rescheduled, 1);
    } finally {
      await server.close();
    }
  });


  test('at start and then every RETENTION_INTERVAL_MS', async () => {
    const server = await startServer({ retentionIntervalMs: 50 });
    try {
      await server.token(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, { grant_type: 'client_credentials' });
      await server.db.query(`UPDATE access_token SET expires_at = now() - interval '1 second'`);
      const deadline = Date.now() + 10_000;
      let left = -1;
      while (Date.now() < deadline) {
        left = Number((await server.db.query<{ n: string }>('SELECT count(*)::text AS n FROM access_token'))[0].n);
        if (left === 0) break;
        await sleep(25);
      }
      assert.equal(left, 0);
    } finally {
      await server.close();
    }
  });
});
