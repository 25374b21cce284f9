import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { ADMIN_CLIENT_ID, startServer, type TestServer } from '../../support/server.ts';
import { freePort } from '../../support/process.ts';
import { createManagedCredential } from '../../../src/platform/credentials/credential-changes.ts';
import { OPERATOR } from '../../../src/platform/audit/actor.ts';
import { Program } from '../../electron/program.ts';
import { CardWorld } from '../../proton/card/card-world.ts';
import { startReceiver, type Receiver } from '../webhooks/receiver.ts';
import { finished, pollUntil, type BulkStatus } from '../bulk/support.ts';
import { parseScrape, type Scrape } from './scrape.ts';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const PROMETHEUS_TEXT = 'text/plain; version=0.0.4; charset=utf-8';

/** A credential granted only the metrics app, made as the operator tool makes it; its token. */
async function metricsToken(server: TestServer): Promise<{ token: string; credentialId: string }> {
  const [{ tenant_id: tenantId }] = await server.db.query<{ tenant_id: string }>('SELECT tenant_id FROM api_credential WHERE client_id = $1', [ADMIN_CLIENT_ID]);
  const credential = await createManagedCredential(server.db, tenantId, { name: 'prometheus', authorities: ['ROLE_SUPPORT'], apps: ['metrics'] }, OPERATOR);
  const issued = await server.token(credential.client_id, credential.client_secret, { grant_type: 'client_credentials' });
  assert.equal(issued.status, 200, JSON.stringify(issued.body));
  assert.equal(issued.body.apps, 'metrics');
  return { token: issued.body.access_token, credentialId: credential.id };
}

async function scrapeWith(server: TestServer, token: string): Promise<Scrape> {
  const answer = await server.request<string>('GET', '/metrics', { token });
  assert.equal(answer.status, 200, String(answer.body));
  assert.equal(answer.headers.get('content-type'), PROMETHEUS_TEXT);
  return parseScrape(answer.body);
}

describe('GET /metrics', () => {
  let server: TestServer;
  let metricsPort: number;
  let token: string;
  let metricsCredential: string;
  const scrape = () => scrapeWith(server, token);

  before(async () => {
    metricsPort = await freePort();
    // Deliveries are looked for once, at start, and then not for an hour: one made later stays due.
    server = await startServer({ metricsPort, webhookTimings: { pollIntervalMs: 3_600_000 }, webhookAllowPrivate: true });
    ({ token, credentialId: metricsCredential } = await metricsToken(server));
  });
  after(() => server.close());

  it('answers 401 without a token, 403 to a credential without the metrics app, and 200 with it', async () => {
    const none = await server.request('GET', '/metrics', { token: null });
    assert.deepEqual([none.status, none.body.code], [401, 'unauthorized']);
    const admin = await server.request('GET', '/metrics');
    assert.deepEqual([admin.status, admin.body.code], [403, 'app_not_allowed'], 'a super-admin of a tenant is not granted the metrics app by default');
    const scraped = await server.request<string>('GET', '/metrics', { token });
    assert.equal(scraped.status, 200);
    assert.equal(scraped.headers.get('content-type'), PROMETHEUS_TEXT);
    assert.match(scraped.body, /^# HELP /);
    const elsewhere = await server.request('GET', '/nucleus/v1/client', { token });
    assert.deepEqual([elsewhere.status, elsewhere.body.code], [403, 'app_not_allowed'], 'the metrics app alone opens no API');
  });

  it('lets only the operator tool grant the metrics app; the API may keep it on a credential, not add it', async () => {
    const created = await server.request('POST', '/admin/v1/api_credential', { body: { name: 'scraper', authorities: ['ROLE_SUPPORT'], apps: ['metrics'] } });
    assert.deepEqual([created.status, created.body.code], [403, 'forbidden'], JSON.stringify(created.body));
    const plain = await server.request('POST', '/admin/v1/api_credential', { body: { name: 'plain', authorities: ['ROLE_SUPPORT'] } });
    assert.equal(plain.status, 201);
    assert.deepEqual(plain.body.apps, ['nucleus', 'proton', 'electron', 'hydro']);
    const added = await server.request('PUT', `/admin/v1/api_credential/${plain.body.id}`, { body: { apps: ['nucleus', 'metrics'] } });
    assert.deepEqual([added.status, added.body.code], [403, 'forbidden']);
    const kept = await server.request('PUT', `/admin/v1/api_credential/${metricsCredential}`, { body: { name: 'prometheus scraper', apps: ['metrics'] } });
    assert.equal(kept.status, 200, JSON.stringify(kept.body));
    assert.deepEqual(kept.body.apps, ['metrics']);
  });

  it('serves /metrics without a token on METRICS_PORT, bound to 127.0.0.1 only, and nothing else there', async () => {
    const scraped = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    assert.equal(scraped.status, 200);
    assert.equal(scraped.headers.get('content-type'), PROMETHEUS_TEXT);
    assert.ok(parseScrape(await scraped.text()).types.has('deuterium_http_requests_total'));
    const other = await fetch(`http://127.0.0.1:${metricsPort}/nucleus/v1/client`);
    assert.equal(other.status, 404);
    assert.equal(((await other.json()) as { code: string }).code, 'not_found');
    // Another loopback address reaches this host but not a socket bound to 127.0.0.1 alone.
    await assert.rejects(fetch(`http://127.0.0.2:${metricsPort}/metrics`));
  });

  it('counts requests by route template, method and status, with a latency histogram', async () => {
    const client = await server.request('POST', '/nucleus/v1/client', { body: { username: `counted-${randomUUID()}@example.com`, client_type: 'individual' } });
    assert.equal(client.status, 201);
    const route = { method: 'GET', route: '/nucleus/v1/client/:client_id' };
    const before = await scrape();
    for (let i = 0; i < 3; i++) assert.equal((await server.request('GET', `/nucleus/v1/client/${client.body.id}`)).status, 200);
    assert.equal((await server.request('GET', `/nucleus/v1/client/${randomUUID()}`)).status, 404);
    assert.equal((await server.request('GET', `/no/such/${randomUUID()}`)).status, 404);
    const after = await scrape();
    const delta = (labels: Record<string, string>, name = 'deuterium_http_requests_total') => after.sum(name, labels) - before.sum(name, labels);

    assert.equal(delta({ ...route, status_code: '200' }), 3);
    assert.equal(delta({ ...route, status_code: '404' }), 1);
    assert.equal(delta({ method: 'GET', route: 'unmatched', status_code: '404' }), 1);
    assert.equal(after.types.get('deuterium_http_request_duration_seconds'), 'histogram');
    assert.equal(delta({ ...route, status_code: '200' }, 'deuterium_http_request_duration_seconds_count'), 3);
    assert.equal(delta({ ...route, status_code: '200', le: '+Inf' }, 'deuterium_http_request_duration_seconds_bucket'), 3);
    assert.ok(delta({ ...route, status_code: '200' }, 'deuterium_http_request_duration_seconds_sum') > 0);
    const buckets = after.find('deuterium_http_request_duration_seconds_bucket', { ...route, status_code: '200' });
    assert.ok(buckets.length >= 10, 'a bucket per bound');
    const counts = buckets.map((b) => b.value);
    assert.deepEqual(counts, [...counts].sort((a, b) => a - b), 'buckets are cumulative');
    // The scrape itself is counted, on its own route.
    assert.ok(after.sum('deuterium_http_requests_total', { route: '/metrics', status_code: '200' }) >= 1);
  });

  it('puts no id and nothing a caller chooses in any label', async () => {
    const series = (scrape: Scrape) => scrape.find('deuterium_http_requests_total').length;
    const before = await scrape();
    for (let i = 0; i < 10; i++) {
      await server.request('GET', `/nucleus/v1/client/${randomUUID()}`);
      await server.request('GET', `/nucleus/v1/account/${randomUUID()}?filter=${randomBytes(4).toString('hex')}`);
      await server.request('GET', `/${randomBytes(6).toString('hex')}`);
    }
    const after = await scrape();
    assert.ok(series(after) - series(before) <= 3, 'thirty different paths add at most one series per route template');
    for (const sample of after.samples) {
      for (const [label, value] of Object.entries(sample.labels)) {
        assert.ok(!UUID.test(value), `${sample.name}{${label}="${value}"} holds an id`);
      }
    }
    const routes = new Set(after.find('deuterium_http_requests_total').map((s) => s.labels.route));
    for (const route of routes) assert.ok(route === 'unmatched' || route.startsWith('/'), route);
    assert.ok(routes.has('/nucleus/v1/account/:account_id'));
  });

  it('shows the database pool, query latency and the standard process metrics', async () => {
    const before = await scrape();
    await server.request('GET', '/nucleus/v1/client');
    const after = await scrape();
    assert.ok(after.sum('deuterium_db_pool_max_connections') >= server.config.poolSize);
    assert.equal(after.find('deuterium_db_pool_connections', { state: 'idle' }).length, 1);
    assert.equal(after.find('deuterium_db_pool_connections', { state: 'in_use' }).length, 1);
    assert.equal(after.find('deuterium_db_pool_waiting').length, 1);
    assert.ok(after.sum('deuterium_db_query_duration_seconds_count', { operation: 'select' }) > before.sum('deuterium_db_query_duration_seconds_count', { operation: 'select' }));
    assert.deepEqual(
      [...new Set(after.find('deuterium_db_query_duration_seconds_count').map((s) => s.labels.operation))].filter((o) => !['select', 'insert', 'update', 'delete', 'other'].includes(o)),
      [],
    );
    for (const name of ['process_cpu_user_seconds_total', 'process_resident_memory_bytes', 'nodejs_heap_size_used_bytes', 'nodejs_eventloop_lag_seconds', 'nodejs_version_info']) {
      assert.ok(after.types.has(name), `${name} is scraped`);
    }
  });

  it("reads each queue's depth and the age of its oldest due item from the database", async () => {
    const receiver = await startReceiver();
    try {
      const hook = await server.request('POST', '/nucleus/v1/webhook', { body: { url: receiver.url, atom_service: ['client'] } });
      assert.equal(hook.status, 201, JSON.stringify(hook.body));
      const queues = await scrape();
      for (const queue of ['webhook-delivery', 'bulk', 'electron-movement', 'retention-sweep']) {
        assert.equal(queues.find('deuterium_queue_depth', { queue }).length, 1, queue);
        assert.equal(queues.find('deuterium_queue_oldest_due_age_seconds', { queue }).length, 1, queue);
      }
      const depthBefore = queues.sum('deuterium_queue_depth', { queue: 'webhook-delivery' });
      // With the engine stopped, the delivery's job waits due.
      await server.app.jobs.stop();
      try {
        const created = await server.request('POST', '/nucleus/v1/client', { body: { username: `queued-${randomUUID()}@example.com`, client_type: 'individual' } });
        assert.equal(created.status, 201);
        await sleep(1100);
        const waiting = await scrape();
        assert.equal(waiting.sum('deuterium_queue_depth', { queue: 'webhook-delivery' }), depthBefore + 1);
        assert.ok(waiting.sum('deuterium_queue_oldest_due_age_seconds', { queue: 'webhook-delivery' }) >= 1);
        assert.equal(receiver.received.length, 0, 'no worker ran it');
      } finally {
        server.app.jobs.start();
      }
      await receiver.waitFor(1);
      const sent = await pollUntil(scrape, (scraped) => scraped.sum('deuterium_queue_depth', { queue: 'webhook-delivery' }) === depthBefore);
      assert.equal(sent.sum('deuterium_queue_oldest_due_age_seconds', { queue: 'webhook-delivery' }), 0);
    } finally {
      await receiver.close();
    }
  });

  it('counts bulk jobs, Electron movements, card authorizations and Hydro chain calls where they happen', async () => {
    const before = await scrape();

    const bulk = await server.request('POST', '/nucleus/v1/bulk/client', { body: [{ username: `bulk-${randomUUID()}@example.com`, client_type: 'individual' }] });
    assert.equal(bulk.status, 200, JSON.stringify(bulk.body));
    await pollUntil(() => server.request<BulkStatus>('GET', `/nucleus/v1/bulk/status/${bulk.body.id}`), (r) => finished(r.body));

    const program = new Program(server);
    const owner = await program.activeCard();
    await program.load(owner.card, 40);

    const world = await new CardWorld(server).setUp();
    const holder = await world.cardholder();
    const authorize = (card: string) =>
      server.request('POST', '/proton/v1/card_authorization', { body: { card_id: card, amount: 20, currency_code: 'USD', date: '2026-07-01T12:00:00Z', transaction_type: 'purchase' } });
    assert.equal((await authorize(holder.card)).body.status, 'approved');
    assert.equal((await server.request('PUT', `/nucleus/v1/card/${holder.card}`, { body: { status: 'inactive' } })).status, 200);
    assert.equal((await authorize(holder.card)).body.reason, 'inactive_card');
    assert.equal((await authorize(randomUUID())).status, 404);

    const whitelisted = await server.request('POST', '/hydro/v1/whitelist', { body: { address: `0x${randomBytes(20).toString('hex')}` } });
    assert.equal(whitelisted.status, 200, JSON.stringify(whitelisted.body));

    const after = await scrape();
    const delta = (name: string, labels: Record<string, string>) => after.sum(name, labels) - before.sum(name, labels);
    assert.equal(delta('deuterium_queue_outcomes_total', { queue: 'bulk', outcome: 'succeeded' }), 1);
    assert.equal(delta('deuterium_queue_outcomes_total', { queue: 'electron-movement', outcome: 'succeeded' }), 1);
    assert.equal(delta('deuterium_card_authorizations_total', { decision: 'approved', reason: 'approved' }), 1);
    assert.equal(delta('deuterium_card_authorizations_total', { decision: 'declined', reason: 'inactive_card' }), 1);
    assert.equal(delta('deuterium_card_authorizations_total', { decision: 'error', reason: 'error' }), 1);
    assert.equal(delta('deuterium_card_authorization_duration_seconds_count', {}), 3);
    assert.ok(delta('deuterium_hydro_chain_calls_total', { outcome: 'ok' }) > 0);
    assert.ok(delta('deuterium_hydro_chain_call_duration_seconds_count', {}) > 0);
    const methods = new Set(after.find('deuterium_hydro_chain_calls_total').map((s) => s.labels.method));
    assert.ok([...methods].every((method) => /^eth_[A-Za-z]+$/.test(method)), [...methods].join(', '));
    assert.ok(methods.has('eth_sendRawTransaction') || methods.has('eth_sendTransaction'), [...methods].join(', '));
  });
});

describe('webhook delivery metrics', () => {
  let server: TestServer;
  let receiver: Receiver;
  let token: string;

  before(async () => {
    // The first attempt is refused with a 503, the retry 50 ms later accepted.
    receiver = await startReceiver((_request, index) => ({ status: index === 0 ? 503 : 200 }));
    server = await startServer({ webhookAllowPrivate: true, webhookTimings: { pollIntervalMs: 20, retryDelaysMs: [50], jitter: 0 } });
    ({ token } = await metricsToken(server));
  });
  after(async () => {
    await server.close();
    await receiver.close();
  });

  it('counts attempts by result and delivery jobs by outcome', async () => {
    const before = await scrapeWith(server, token);
    const hook = await server.request('POST', '/nucleus/v1/webhook', { body: { url: receiver.url, atom_service: ['client'] } });
    assert.equal(hook.status, 201);
    await server.request('POST', '/nucleus/v1/client', { body: { username: `hooked-${randomUUID()}@example.com`, client_type: 'individual' } });
    await receiver.waitFor(2);
    const delta = (scrape: Scrape, name: string, labels: Record<string, string>) => scrape.sum(name, labels) - before.sum(name, labels);
    const after = await pollUntil(
      () => scrapeWith(server, token),
      (scrape) => delta(scrape, 'deuterium_queue_outcomes_total', { queue: 'webhook-delivery', outcome: 'succeeded' }) === 1,
    );
    assert.equal(delta(after, 'deuterium_webhook_delivery_attempts_total', { result: 'http_5xx' }), 1);
    assert.equal(delta(after, 'deuterium_webhook_delivery_attempts_total', { result: 'success' }), 1);
    assert.equal(delta(after, 'deuterium_queue_outcomes_total', { queue: 'webhook-delivery', outcome: 'retried' }), 1);
    assert.equal(after.sum('deuterium_queue_depth', { queue: 'webhook-delivery' }), 0);
  });
});
