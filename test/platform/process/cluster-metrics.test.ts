import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { durableStorage, freePort, startServerProcess, type DurableStorage, type RunningServer } from '../../support/process.ts';
import { createManagedCredential } from '../../../src/platform/credentials/credential-changes.ts';
import { OPERATOR } from '../../../src/platform/audit/actor.ts';
import { parseScrape, type Scrape } from '../metrics/scrape.ts';

const WORKERS = 2;
const ADMIN = { ADMIN_CLIENT_ID: 'metrics-cluster-admin', ADMIN_CLIENT_SECRET: 'metrics-cluster-admin-secret' };

interface Ready {
  pid: number;
  worker: number;
  lead: boolean;
}

/**
 * One request, on a connection of its own unless `agent` keeps one, so that the cluster hands
 * each to the next worker in turn. A generous timeout: Hydro's first request starts its chain.
 */
async function get(url: string, headers: Record<string, string> = {}, agent: http.Agent | false = false): Promise<{ status: number; text: string }> {
  const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
    http.get(url, { agent, headers, timeout: 60_000 }, resolve).on('error', reject).on('timeout', function (this: http.ClientRequest) {
      this.destroy(new Error(`no answer from ${url} within 60 s`));
    });
  });
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return { status: response.statusCode!, text: Buffer.concat(chunks).toString('utf8') };
}

async function until<T>(what: string, read: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await sleep(50);
  }
}

describe(`metrics and readiness of a cluster of ${WORKERS} workers`, () => {
  let storage: DurableStorage;
  let server: RunningServer;
  let metricsPort: number;
  let chainDir: string;

  const readyWorkers = (): Ready[] =>
    server
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{') && line.includes('Deuterium is ready'))
      .map((line) => JSON.parse(line) as Ready);
  const scrape = async (): Promise<Scrape> => {
    const answer = await get(`http://127.0.0.1:${metricsPort}/metrics`);
    assert.equal(answer.status, 200, answer.text);
    return parseScrape(answer.text);
  };

  before(async () => {
    storage = await durableStorage();
    metricsPort = await freePort();
    chainDir = fs.mkdtempSync(path.join(os.tmpdir(), 'deuterium-metrics-chain-'));
    server = await startServerProcess({ ...storage.env, ...ADMIN, WORKERS: String(WORKERS), METRICS_PORT: String(metricsPort), LOG_LEVEL: 'info', HYDRO_CHAIN_DIR: chainDir });
    await until('every worker to be ready', async () => (readyWorkers().length === WORKERS ? true : undefined));
  });
  after(async () => {
    if (server.child.exitCode === null && server.child.signalCode === null) {
      server.child.kill('SIGKILL');
      await once(server.child, 'exit');
    }
    await storage.dispose();
    fs.rmSync(chainDir, { recursive: true, force: true });
  });

  it('answers one scrape, on whichever worker takes it, with every worker labelled by its number', async () => {
    const before = await scrape();
    for (let i = 0; i < 6; i++) assert.equal((await get(`${server.url}/health`)).status, 200);
    const scrapes = [await scrape(), await scrape(), await scrape()];
    const after = scrapes.at(-1)!;

    const health = after.find('deuterium_http_requests_total', { route: '/health', status_code: '200' });
    assert.deepEqual(health.map((s) => s.labels.worker).sort(), ['1', '2'], 'each worker counted the requests it took');
    assert.equal(after.sum('deuterium_http_requests_total', { route: '/health' }) - before.sum('deuterium_http_requests_total', { route: '/health' }), 6);
    for (const name of ['process_resident_memory_bytes', 'process_cpu_user_seconds_total', 'deuterium_db_pool_max_connections']) {
      assert.deepEqual(after.find(name).map((s) => s.labels.worker).sort(), ['1', '2'], name);
    }
    for (const scraped of scrapes) {
      assert.equal(scraped.sum('deuterium_workers_configured'), WORKERS);
      assert.equal(scraped.sum('deuterium_workers_listening'), WORKERS);
      assert.equal(scraped.sum('deuterium_metrics_reporting_processes'), WORKERS);
      // Read once per scrape from the database, by the worker answering: never once per worker.
      const depth = scraped.find('deuterium_queue_depth', { queue: 'webhook-delivery' });
      assert.equal(depth.length, 1);
      assert.equal(depth[0].labels.worker, undefined);
    }
  });

  it('counts a request the lead answers for another worker once', async () => {
    const route = { route: '/hydro/v1/contracts', status_code: '200' };
    const before = await scrape();
    for (let i = 0; i < 4; i++) assert.equal((await get(`${server.url}/hydro/v1/contracts`, { authorization: `Bearer ${await adminToken()}` })).status, 200);
    const after = await scrape();
    assert.equal(after.sum('deuterium_http_requests_total', route) - before.sum('deuterium_http_requests_total', route), 4);
  });

  it('serves the same on the main port to a token of a credential with the metrics app', async () => {
    const db = await storage.open();
    let clientId: string;
    let clientSecret: string;
    try {
      const [{ tenant_id: tenantId }] = await db.query<{ tenant_id: string }>('SELECT tenant_id FROM api_credential WHERE client_id = $1', [ADMIN.ADMIN_CLIENT_ID]);
      ({ client_id: clientId, client_secret: clientSecret } = await createManagedCredential(db, tenantId, { name: 'prometheus', authorities: ['ROLE_SUPPORT'], apps: ['metrics'] }, OPERATOR));
    } finally {
      await db.close();
    }
    const token = await tokenOf(clientId, clientSecret);
    const answer = await get(`${server.url}/metrics`, { authorization: `Bearer ${token}` });
    assert.equal(answer.status, 200, answer.text);
    assert.deepEqual([...new Set(parseScrape(answer.text).find('process_resident_memory_bytes').map((s) => s.labels.worker))].sort(), ['1', '2']);
    assert.equal((await get(`${server.url}/metrics`)).status, 401);
  });

  it('answers 503 to a scrape and to /ready while the primary cannot answer its workers', async () => {
    // Connections the workers already hold still reach them while the primary is stopped.
    const scrapes = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const requests = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      assert.equal((await get(`http://127.0.0.1:${metricsPort}/metrics`, {}, scrapes)).status, 200);
      assert.equal((await get(`${server.url}/health`, {}, requests)).status, 200);
      process.kill(server.child.pid!, 'SIGSTOP');
      try {
        const [scraped, ready] = await Promise.all([get(`http://127.0.0.1:${metricsPort}/metrics`, {}, scrapes), get(`${server.url}/ready`, {}, requests)]);
        assert.equal(scraped.status, 503, scraped.text);
        assert.equal(JSON.parse(scraped.text).code, 'metrics_unavailable');
        assert.equal(ready.status, 503, ready.text);
        const readiness = JSON.parse(ready.text);
        assert.deepEqual(readiness.not_ready, ['workers']);
        assert.match(readiness.parts.workers.detail, /the primary process did not answer/);
      } finally {
        process.kill(server.child.pid!, 'SIGCONT');
      }
      assert.equal((await get(`http://127.0.0.1:${metricsPort}/metrics`, {}, scrapes)).status, 200);
    } finally {
      scrapes.destroy();
      requests.destroy();
    }
  });

  it('is not ready, naming the workers, while one is being replaced', async () => {
    const ready = await get(`${server.url}/ready`);
    assert.equal(ready.status, 200, ready.text);
    assert.deepEqual(JSON.parse(ready.text).parts.workers, { ready: true, detail: `${WORKERS} of ${WORKERS} listening` });

    const victim = readyWorkers().find((w) => !w.lead)!;
    process.kill(victim.pid, 'SIGKILL');
    // A connection the primary hands a worker dying unseen is lost: ask once it has seen the death.
    await until('the primary to see the worker gone', async () => (server.output().includes('a worker stopped; replacing it') ? true : undefined));
    const down = await until('a 503 naming the workers', async () => {
      const answer = await get(`${server.url}/ready`);
      return answer.status === 503 ? (JSON.parse(answer.text) as { not_ready: string[]; parts: { workers: { detail: string } } }) : undefined;
    });
    assert.deepEqual(down.not_ready, ['workers']);
    assert.equal(down.parts.workers.detail, `${WORKERS - 1} of ${WORKERS} listening`);
    await until('the replacement to listen', async () => ((await get(`${server.url}/ready`)).status === 200 ? true : undefined));
    const scraped = await scrape();
    assert.equal(scraped.sum('deuterium_workers_listening'), WORKERS);
  });

  let cachedToken: string | undefined;
  async function adminToken(): Promise<string> {
    cachedToken ??= await tokenOf(ADMIN.ADMIN_CLIENT_ID, ADMIN.ADMIN_CLIENT_SECRET);
    return cachedToken;
  }

  async function tokenOf(clientId: string, clientSecret: string): Promise<string> {
    const response = await fetch(`${server.url}/authorization/v1/oauth/token?grant_type=client_credentials`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}` },
    });
    const body = (await response.json()) as { access_token: string };
    assert.equal(response.status, 200, JSON.stringify(body));
    return body.access_token;
  }
});
