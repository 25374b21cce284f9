import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { durableStorage, startServerProcess, type DurableStorage, type RunningServer } from '../../support/process.ts';
import type { TestServer } from '../../support/server.ts';
import { TOKEN_CACHE_TTL_MS } from '../../../src/platform/auth/token-cache.ts';
import { FLUSH_INTERVAL_MS } from '../../../src/platform/request-counts/counter.ts';
import { CardWorld } from '../../proton/card/card-world.ts';
import { startReceiver, type Receiver } from '../webhooks/receiver.ts';
import { finished, pollUntil, type BulkStatus } from '../bulk/support.ts';

const WORKERS = 3;
const ADMIN = { ADMIN_CLIENT_ID: 'cluster-admin', ADMIN_CLIENT_SECRET: 'cluster-admin-secret' };

interface Answer {
  status: number;
  body: any;
  /** The pids that logged the request as incoming when it was answered: the worker that took it, at least. */
  pids: number[];
  requestId: string;
}

interface Ready {
  pid: number;
  worker: number;
  lead: boolean;
}

function logLines(server: RunningServer): Record<string, any>[] {
  return server
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, any>);
}

const readyWorkers = (server: RunningServer): Ready[] => logLines(server).filter((line) => line.msg === 'Deuterium is ready') as Ready[];

async function waitFor<T>(what: string, read: () => T | undefined, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await sleep(50);
  }
}

describe(`a cluster of ${WORKERS} workers on one port`, () => {
  let storage: DurableStorage;
  let receiver: Receiver;
  let server: RunningServer;
  let chainDir: string;
  let token: string;

  /**
   * One request on a connection of its own, so that the cluster hands each to the next worker
   * in turn; the server's log names the process that took it.
   */
  async function call(method: string, route: string, options: { body?: unknown; token?: string | null; headers?: Record<string, string> } = {}): Promise<Answer> {
    const requestId = `cluster-${randomUUID()}`;
    const bearer = options.token === undefined ? token : options.token;
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const request = http.request(`${server.url}${route}`, {
        method,
        agent: false,
        headers: {
          'x-request-id': requestId,
          ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
          ...(payload ? { 'content-type': 'application/json' } : {}),
          ...options.headers,
        },
      });
      request.on('response', resolve).on('error', reject);
      request.end(payload);
    });
    const chunks: Buffer[] = [];
    for await (const chunk of response) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const pids = await waitFor(`the log of ${requestId}`, () => {
      const found = logLines(server).filter((line) => line.reqId === requestId && line.msg === 'incoming request').map((line) => line.pid as number);
      return found.length > 0 ? [...new Set(found)] : undefined;
    });
    return { status: response.statusCode!, body: text ? JSON.parse(text) : undefined, pids, requestId };
  }

  /** Sends requests until every live worker has answered one; the answers, with the worker that took each. */
  async function onEveryWorker(send: () => Promise<Answer>): Promise<Answer[]> {
    const alive = new Set(liveWorkers().map((w) => w.pid));
    const answers: Answer[] = [];
    while ([...alive].some((pid) => !answers.some((a) => a.pids[0] === pid))) {
      answers.push(await send());
      assert.ok(answers.length < WORKERS * 10, `some worker never took a request: ${JSON.stringify(answers.map((a) => a.pids))}`);
    }
    return answers;
  }

  const liveWorkers = () => {
    const byWorker = new Map<number, Ready>();
    for (const ready of readyWorkers(server)) byWorker.set(ready.worker, ready);
    return [...byWorker.values()];
  };

  before(async () => {
    storage = await durableStorage();
    receiver = await startReceiver();
    chainDir = fs.mkdtempSync(path.join(os.tmpdir(), 'deuterium-cluster-chain-'));
    server = await startServerProcess({
      ...storage.env,
      ...ADMIN,
      WORKERS: String(WORKERS),
      LOG_LEVEL: 'info',
      WEBHOOK_ALLOW_PRIVATE: 'true',
      HYDRO_CHAIN_DIR: chainDir,
    });
    await waitFor('every worker to be ready', () => (readyWorkers(server).length === WORKERS ? true : undefined));
    const basic = Buffer.from(`${ADMIN.ADMIN_CLIENT_ID}:${ADMIN.ADMIN_CLIENT_SECRET}`).toString('base64');
    const issued = await call('POST', '/authorization/v1/oauth/token?grant_type=client_credentials', { token: null, headers: { authorization: `Basic ${basic}` } });
    assert.equal(issued.status, 200, JSON.stringify(issued.body));
    token = issued.body.access_token;
  });
  after(async () => {
    if (server.child.exitCode === null && server.child.signalCode === null) {
      server.child.kill('SIGKILL');
      await once(server.child, 'exit');
    }
    await receiver.close();
    await storage.dispose();
    fs.rmSync(chainDir, { recursive: true, force: true });
  });

  it('starts one process per worker, one of them the lead, and spreads connections over all of them', async () => {
    const workers = liveWorkers();
    assert.deepEqual(workers.map((w) => w.worker).sort(), [1, 2, 3]);
    assert.deepEqual(workers.filter((w) => w.lead).map((w) => w.worker), [1]);
    assert.equal(new Set(workers.map((w) => w.pid)).size, WORKERS);
    const answers = await onEveryWorker(() => call('GET', '/nucleus/v1/client'));
    assert.ok(answers.every((a) => a.status === 200));
  });

  it(`refuses a token revoked through one worker on every worker within ${TOKEN_CACHE_TTL_MS} ms`, async () => {
    const password = 'Cluster-password-1';
    const user = await call('POST', '/admin/v1/client', { body: { username: `revoked-${randomUUID()}`, password, authorities: 'ROLE_ADMIN' } });
    assert.equal(user.status, 201, JSON.stringify(user.body));
    const basic = Buffer.from(`${ADMIN.ADMIN_CLIENT_ID}:${ADMIN.ADMIN_CLIENT_SECRET}`).toString('base64');
    const query = new URLSearchParams({ grant_type: 'password', username: user.body.username, password });
    const login = await call('POST', `/authorization/v1/oauth/token?${query}`, { token: null, headers: { authorization: `Basic ${basic}` } });
    assert.equal(login.status, 200, JSON.stringify(login.body));
    const userToken = login.body.access_token as string;
    // Every worker now holds the token in its cache.
    const warm = await onEveryWorker(() => call('GET', '/nucleus/v1/client', { token: userToken }));
    assert.ok(warm.every((a) => a.status === 200));

    const revokedAt = Date.now();
    const deleted = await call('DELETE', `/admin/v1/client/${user.body.id}`);
    assert.equal(deleted.status, 204);
    await sleep(Math.max(0, revokedAt + TOKEN_CACHE_TTL_MS + 100 - Date.now()));
    const refused = await onEveryWorker(() => call('GET', '/nucleus/v1/client', { token: userToken }));
    assert.deepEqual([...new Set(refused.map((a) => a.status))], [401]);
  });

  it('decides card authorizations on every worker by a card change made through another, at once', async () => {
    const world = await new CardWorld({ request: (method: string, route: string, options: { body?: unknown } = {}) => call(method, route, options) } as unknown as TestServer).setUp();
    const holder = await world.cardholder();
    const authorize = (amount: number) =>
      call('POST', '/proton/v1/card_authorization', { body: { card_id: holder.card, amount, currency_code: 'USD', date: '2026-07-01T12:00:00Z', transaction_type: 'purchase' } });
    const approved = await onEveryWorker(() => authorize(20));
    assert.ok(approved.every((a) => a.status === 200 && a.body.status === 'approved'), JSON.stringify(approved.map((a) => a.body)));

    const limit = await call('POST', '/nucleus/v1/spending_control', {
      body: { client_id: holder.client, currency_code: 'USD', control_type: 'spending_limit', control_scope: 'all', limit_value: 1000, frequency_unit: 'daily' },
    });
    assert.equal(limit.status, 201, JSON.stringify(limit.body));
    assert.equal((await call('PUT', `/nucleus/v1/spending_control/${limit.body.id}`, { body: { limit_value: 1 } })).status, 200);
    const overLimit = await onEveryWorker(() => authorize(5));
    assert.deepEqual([...new Set(overLimit.map((a) => `${a.body.status} ${a.body.reason}`))], ['declined spending_limit']);

    assert.equal((await call('PUT', `/nucleus/v1/card/${holder.card}`, { body: { status: 'inactive' } })).status, 200);
    const inactive = await onEveryWorker(() => authorize(0.5));
    assert.deepEqual([...new Set(inactive.map((a) => a.body.reason))], ['inactive_card']);
  });

  it('delivers each webhook once and runs bulk jobs submitted through any worker', async () => {
    const hook = await call('POST', '/nucleus/v1/webhook', { body: { url: receiver.url, atom_service: ['client'] } });
    assert.equal(hook.status, 201, JSON.stringify(hook.body));
    const created = await onEveryWorker(() => call('POST', '/nucleus/v1/client', { body: { username: `hooked-${randomUUID()}@example.com`, client_type: 'individual' } }));
    assert.ok(created.every((a) => a.status === 201));
    const ids = created.map((a) => a.body.id as string).sort();
    await receiver.waitFor(ids.length);
    // Time for a second delivery, were any process but the lead delivering too.
    await sleep(2_000);
    assert.deepEqual(receiver.received.map((r) => JSON.parse(r.body).id as string).sort(), ids);

    const submitted = await onEveryWorker(() => call('POST', '/nucleus/v1/bulk/client', { body: [{ username: `bulk-${randomUUID()}@example.com`, client_type: 'individual' }] }));
    for (const { status, body } of submitted) {
      assert.equal(status, 200, JSON.stringify(body));
      const done = await pollUntil(() => call('GET', `/nucleus/v1/bulk/status/${body.id}`), (r) => finished(r.body as BulkStatus));
      assert.deepEqual([done.body.status, done.body.progress.succeeded], ['Complete', 1]);
    }
  });

  it("answers Hydro on every worker from the lead's one chain, counting each request once", async () => {
    const lead = liveWorkers().find((w) => w.lead)!;
    const hydroRequests = async () => {
      const counts = await call('GET', '/admin/v1/tenant/requests');
      assert.equal(counts.status, 200, JSON.stringify(counts.body));
      return (counts.body.by_api as { api: string; requests: number }[]).find((c) => c.api === 'hydro')?.requests ?? 0;
    };
    const countedBefore = await hydroRequests();
    const whitelisted = await onEveryWorker(() => call('POST', '/hydro/v1/whitelist', { body: { address: `0x${randomBytes(20).toString('hex')}` } }));
    assert.ok(whitelisted.every((a) => a.status === 200), JSON.stringify(whitelisted.map((a) => a.body)));
    // The lead's log line may reach the test after the answer that it forwarded: wait for it.
    for (const { requestId } of whitelisted) {
      await waitFor(`the lead's log of ${requestId}`, () =>
        logLines(server).some((line) => line.reqId === requestId && line.msg === 'incoming request' && line.pid === lead.pid) || undefined,
      10_000);
    }
    const contracts = await onEveryWorker(() => call('GET', '/hydro/v1/contracts'));
    assert.equal(new Set(contracts.map((a) => JSON.stringify(a.body))).size, 1, 'every worker names the same contracts');

    // The worker that took a request counts it; the lead that answered it for that worker does not count it again.
    const sent = whitelisted.length + contracts.length;
    const deadline = Date.now() + 30_000;
    while ((await hydroRequests()) - countedBefore < sent && Date.now() < deadline) await sleep(500);
    await sleep(FLUSH_INTERVAL_MS + 1_000);
    assert.equal((await hydroRequests()) - countedBefore, sent);
  });

  it('replaces a worker that dies, the lead included', async () => {
    for (const victim of [liveWorkers().find((w) => !w.lead)!, liveWorkers().find((w) => w.lead)!]) {
      process.kill(victim.pid, 'SIGKILL');
      const replacement = await waitFor(`a new worker ${victim.worker}`, () => liveWorkers().find((w) => w.worker === victim.worker && w.pid !== victim.pid));
      assert.equal(replacement.lead, victim.lead);
    }
    const answers = await onEveryWorker(() => call('GET', '/nucleus/v1/client'));
    assert.ok(answers.every((a) => a.status === 200));
    // The new lead runs the background work again.
    const client = await call('POST', '/nucleus/v1/client', { body: { username: `after-restart-${randomUUID()}@example.com`, client_type: 'individual' } });
    await receiver.waitFor(1, (r) => JSON.parse(r.body).id === client.body.id);
  });

  it('drains every worker and exits on SIGTERM', async () => {
    const pids = liveWorkers().map((w) => w.pid);
    const exited = once(server.child, 'exit');
    server.child.kill('SIGTERM');
    const [code] = await exited;
    assert.equal(code, 0);
    for (const pid of pids) assert.throws(() => process.kill(pid, 0), { code: 'ESRCH' }, `worker ${pid} is gone`);
    assert.equal(logLines(server).filter((line) => line.msg === 'draining requests and closing').length, WORKERS);
  });
});
