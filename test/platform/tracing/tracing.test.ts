import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { callServer, durableStorage, startServerProcess, stopServerProcess, type DurableStorage, type RunningServer } from '../../support/process.ts';
import { SPAN_KIND, startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from './otlp-receiver.ts';

const ADMIN = { ADMIN_CLIENT_ID: 'tracing-admin', ADMIN_CLIENT_SECRET: 'tracing-admin-secret-4f1c9b' };
const PRELOAD = `--import=${path.resolve('test/platform/tracing/loaded-modules.mjs')}`;

/** A server process that writes the OpenTelemetry modules it loaded in a file, read once it stopped. */
function recordingModules(): { env: Record<string, string>; loaded: () => string[] } {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'deuterium-modules-')), 'loaded.txt');
  fs.writeFileSync(file, '');
  return {
    env: { NODE_OPTIONS: [process.env.NODE_OPTIONS, PRELOAD].filter(Boolean).join(' '), LOADED_MODULES_FILE: file },
    loaded: () => fs.readFileSync(file, 'utf8').split('\n').filter(Boolean),
  };
}

async function until<T>(what: string, read: () => T | undefined, limitMs = 15_000): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const found = read();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`no ${what} after ${limitMs} ms`);
    await sleep(50);
  }
}

describe('OpenTelemetry traces', () => {
  let storage: DurableStorage;

  before(async () => {
    storage = await durableStorage();
  });
  after(() => storage?.dispose());

  describe('with OTEL_EXPORTER_OTLP_ENDPOINT', () => {
    let receiver: OtlpReceiver;
    let server: RunningServer;
    let modules: ReturnType<typeof recordingModules>;

    before(async () => {
      receiver = await startOtlpReceiver();
      modules = recordingModules();
      server = await startServerProcess({
        ...storage.env,
        ...ADMIN,
        ...modules.env,
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_BSP_SCHEDULE_DELAY: '50',
      });
    });
    after(async () => {
      if (server) await stopServerProcess(server);
      await receiver?.close();
    });

    /** The server span of the request answered with `requestId`, once exported. */
    const serverSpan = (requestId: string) =>
      until(`server span of ${requestId}`, () => receiver.spans.find((span) => span.kind === SPAN_KIND.SERVER && span.attributes['deuterium.request_id'] === requestId));

    it('exports a server span per request, named by its route, with its status, request id and tenant; pg spans under it; no secret anywhere', async () => {
      // The token endpoint takes a client's credentials in the query string too, as Hydrogen's did.
      const tokenAnswer = await fetch(
        `${server.url}/authorization/v1/oauth/token?grant_type=client_credentials&client_id=${ADMIN.ADMIN_CLIENT_ID}&client_secret=${ADMIN.ADMIN_CLIENT_SECRET}`,
        { method: 'POST' },
      );
      assert.equal(tokenAnswer.status, 200);
      const token = ((await tokenAnswer.json()) as { access_token: string }).access_token;
      const created = await callServer(server, 'POST', '/nucleus/v1/client', token, { first_name: 'Ada', last_name: 'Lovelace', username: `ada-${randomUUID()}@example.com`, client_type: 'individual' });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const read = await callServer(server, 'GET', `/nucleus/v1/client/${created.body.id}`, token);
      assert.equal(read.status, 200);
      const missing = await callServer(server, 'GET', `/nucleus/v1/client/${randomUUID()}`, token);
      assert.equal(missing.status, 404);
      const unmatched = await callServer(server, 'GET', '/nucleus/v1/no_such_thing', token);
      assert.equal(unmatched.status, 404);

      const tokenSpan = await serverSpan(tokenAnswer.headers.get('x-request-id')!);
      assert.equal(tokenSpan.name, 'POST /authorization/v1/oauth/token');
      assert.equal(tokenSpan.attributes['http.route'], '/authorization/v1/oauth/token');
      assert.equal(tokenSpan.attributes['http.response.status_code'], 200);
      assert.equal(tokenSpan.service, 'deuterium');

      const readSpan = await serverSpan(read.headers.get('x-request-id')!);
      assert.equal(readSpan.name, 'GET /nucleus/v1/client/:client_id');
      assert.equal(readSpan.attributes['http.route'], '/nucleus/v1/client/:client_id');
      assert.equal(readSpan.attributes['http.response.status_code'], 200);
      assert.equal(readSpan.attributes['http.request.method'], 'GET');
      assert.match(String(readSpan.attributes['deuterium.tenant_id']), /^[0-9a-f-]{36}$/);
      assert.equal(tokenSpan.attributes['deuterium.tenant_id'], readSpan.attributes['deuterium.tenant_id'], 'the token endpoint names the caller it authenticated');

      const missingSpan = await serverSpan(missing.headers.get('x-request-id')!);
      assert.equal(missingSpan.attributes['http.route'], '/nucleus/v1/client/:client_id');
      assert.equal(missingSpan.attributes['http.response.status_code'], 404);
      const unmatchedSpan = await serverSpan(unmatched.headers.get('x-request-id')!);
      assert.equal(unmatchedSpan.attributes['http.route'], undefined, 'a path no route has is not a route');
      assert.equal(unmatchedSpan.attributes['http.response.status_code'], 404);

      // The SELECT of the client, in the request's trace, under its spans.
      const inTrace = (root: ReceivedSpan) => receiver.spans.filter((span) => span.traceId === root.traceId);
      const query = await until('pg span of the GET', () => inTrace(readSpan).find((span) => span.scope.includes('pg') && span.kind === SPAN_KIND.CLIENT && /select/i.test(String(span.attributes['db.query.text'] ?? span.attributes['db.statement']))));
      const ancestors = new Set<string>();
      for (let at: ReceivedSpan | undefined = query; at; at = inTrace(readSpan).find((span) => span.spanId === at!.parentSpanId)) ancestors.add(at.spanId);
      assert.ok(ancestors.has(readSpan.spanId), 'the query descends from the request span');

      const everything = receiver.bodies.join('\n');
      for (const secret of [ADMIN.ADMIN_CLIENT_SECRET, token]) assert.ok(!everything.includes(secret), `a span holds the secret ${secret.slice(0, 8)}...`);
      assert.ok(!/bearer /i.test(everything), 'no authorization header is recorded');
      assert.equal(tokenSpan.attributes['url.query'], `grant_type=client_credentials&client_id=${ADMIN.ADMIN_CLIENT_ID}&client_secret=REDACTED`);
    });

    it('leaves health checks untraced', async () => {
      const answer = await fetch(`${server.url}/health`, { headers: { 'x-request-id': 'tracing-health-probe' } });
      assert.equal(answer.status, 200);
      await sleep(500);
      assert.equal(receiver.spans.filter((span) => span.attributes['deuterium.request_id'] === 'tracing-health-probe' || span.attributes['url.path'] === '/health').length, 0);
    });

    it('loads the OpenTelemetry SDK', async () => {
      await stopServerProcess(server);
      assert.ok(modules.loaded().some((name) => name.includes('@opentelemetry/sdk-node')), 'the check below would see one loaded');
    });
  });

  it('loads nothing of OpenTelemetry without OTEL_EXPORTER_OTLP_ENDPOINT', async () => {
    const modules = recordingModules();
    const server = await startServerProcess({ ...storage.env, ...ADMIN, ...modules.env, OTEL_EXPORTER_OTLP_ENDPOINT: '', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: '' });
    try {
      const answer = await fetch(`${server.url}/authorization/v1/oauth/token?grant_type=client_credentials`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`${ADMIN.ADMIN_CLIENT_ID}:${ADMIN.ADMIN_CLIENT_SECRET}`).toString('base64')}` },
      });
      assert.equal(answer.status, 200);
    } finally {
      await stopServerProcess(server);
    }
    // The API alone is prom-client's (its exemplars), loaded whether traced or not: a no-op until an SDK registers.
    assert.deepEqual(modules.loaded().filter((name) => !name.includes('@opentelemetry/api/')), []);
  });
});
