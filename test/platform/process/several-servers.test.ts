import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { allMigrations } from '../../../src/platform/db/prepare.ts';
import { durableStorage, stopServerProcess, type DurableStorage, type RunningServer } from '../../support/process.ts';
import { CardWorld } from '../../proton/card/card-world.ts';
import { startReceiver, type Receiver } from '../webhooks/receiver.ts';
import { adminToken, assertNoErrors, call, roundRobin, startServers } from './servers.ts';

const SERVERS = 3;

/**
 * Three Deuterium processes on one PostgreSQL, each on an address and port of its own as
 * separate hosts would be, with the traffic spread across them.
 */
describe(`${SERVERS} servers on one database`, () => {
  let storage: DurableStorage;
  let servers: RunningServer[];
  let token: string;
  const receivers: Receiver[] = [];

  before(async () => {
    storage = await durableStorage();
    servers = await startServers(SERVERS, storage.env);
    token = await adminToken(servers[0]);
  });
  after(async () => {
    await Promise.all((servers ?? []).map((server) => stopServerProcess(server)));
    for (const receiver of receivers) await receiver.close();
    await storage?.dispose();
  });

  it('migrate an empty database once when they start at the same moment', async () => {
    const db = await storage.open();
    try {
      const applied = await db.query<{ version: number }>('SELECT version FROM schema_migration ORDER BY version');
      assert.deepEqual(applied.map((row) => row.version), allMigrations.map((m) => m.version).sort((a, b) => a - b));
      assert.deepEqual(await db.query('SELECT name FROM tenant'), [{ name: 'default' }], 'one first tenant, not one per server');
      const created = await db.query(`SELECT 1 FROM admin_audit WHERE action = 'credential_created'`);
      assert.equal(created.length, 1, 'one super-admin credential');
    } finally {
      await db.close();
    }
    assertNoErrors(servers);
  });

  it('give 50 requests with one Idempotency-Key, sent to all of them at once, one effect', async () => {
    const key = `several-servers-${randomUUID()}`;
    const name = `Once ${key}`;
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => call(servers[i % SERVERS], token, 'POST', '/nucleus/v1/account_type', { name }, { 'idempotency-key': key })),
    );
    const statuses = answers.map((a) => a.status);
    assert.ok(statuses.every((s) => s === 201 || s === 409), statuses.join(' '));
    const originals = answers.filter((a) => a.status === 201 && a.headers.get('idempotent-replayed') !== 'true');
    assert.equal(originals.length, 1, 'one request ran');
    for (const replay of answers.filter((a) => a.status === 201)) assert.deepEqual(replay.body, originals[0].body);
    for (const busy of answers.filter((a) => a.status === 409)) assert.equal(busy.body.code, 'idempotency_request_in_progress');
    const listed = await call(servers[1], token, 'GET', `/nucleus/v1/account_type?filter=${encodeURIComponent(`name=="${name}"`)}`);
    assert.equal(listed.body.total_elements, 1, JSON.stringify(listed.body));
    for (const server of servers) {
      const again = await call(server, token, 'POST', '/nucleus/v1/account_type', { name }, { 'idempotency-key': key });
      assert.equal(again.headers.get('idempotent-replayed'), 'true');
      assert.deepEqual(again.body, originals[0].body);
    }
  });

  it('never approve card authorizations past a spending limit, decided on all of them at once', async () => {
    const world = await new CardWorld(roundRobin(servers, token)).setUp();
    const holder = await world.cardholder();
    const limit = await call(servers[2], token, 'POST', '/nucleus/v1/spending_control', {
      client_id: holder.client, currency_code: 'USD', control_type: 'spending_limit', control_scope: 'all', limit_value: 95, frequency_unit: 'daily',
    });
    assert.equal(limit.status, 201, JSON.stringify(limit.body));
    const body = { card_id: holder.card, amount: 10, currency_code: 'USD', date: '2026-05-05T12:00:00Z', transaction_type: 'purchase' };
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => call(servers[i % SERVERS], token, 'POST', '/proton/v1/card_authorization', body)));
    assert.ok(answers.every((a) => a.status === 200), JSON.stringify(answers.find((a) => a.status !== 200)?.body));
    const decisions = answers.map((a) => (a.body.status === 'approved' ? 'approved' : `${a.body.status} ${a.body.reason}`));
    assert.equal(decisions.filter((d) => d === 'approved').length, 9, decisions.join(', '));
    assert.equal(decisions.filter((d) => d === 'declined spending_limit').length, 21, decisions.join(', '));
  });

  it('deliver every webhook event to each subscribed webhook, none twice', async () => {
    const hooked = [await startReceiver(), await startReceiver()];
    receivers.push(...hooked);
    for (const [i, receiver] of hooked.entries()) {
      const hook = await call(servers[i], token, 'POST', '/nucleus/v1/webhook', { url: receiver.url, atom_service: ['client'] });
      assert.equal(hook.status, 201, JSON.stringify(hook.body));
    }
    const created = await Promise.all(
      Array.from({ length: 24 }, (_, i) => call(servers[i % SERVERS], token, 'POST', '/nucleus/v1/client', { username: `spread-${i}-${randomUUID()}@example.com`, client_type: 'individual' })),
    );
    assert.ok(created.every((c) => c.status === 201));
    const ids = created.map((c) => c.body.id as string).sort();
    for (const receiver of hooked) await receiver.waitFor(ids.length, undefined, 30_000);
    // Time for a second delivery, were any event claimed by two servers.
    await sleep(3_000);
    for (const receiver of hooked) {
      assert.deepEqual(receiver.received.map((r) => JSON.parse(r.body).id as string).sort(), ids);
      assert.equal(new Set(receiver.received.map((r) => r.headers['x-hydrogen-delivery-id'])).size, ids.length);
    }
    assertNoErrors(servers);
  });
});
