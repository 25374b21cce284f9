import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ADMIN_CLIENT_ID, startServer, type TestServer } from '../../support/server.ts';
import { TOKEN_CACHE_TTL_MS } from '../../../src/platform/auth/token-cache.ts';

const WINDOW_MS = 3000;
const LIMITS = { windowMs: WINDOW_MS, production: 6, sandbox: 4, token: 5 };

describe('rate limits per credential', () => {
  let server: TestServer;
  let tenantId: string;

  before(async () => {
    server = await startServer({ rateLimits: LIMITS });
    // The tests' own administrator is not what they limit.
    await server.db.query(`UPDATE api_credential SET rate_limit = 0 WHERE client_id = $1`, [ADMIN_CLIENT_ID]);
    tenantId = (await server.request('GET', '/admin/v1/tenant')).body.id;
  });
  after(() => server?.close());

  /** A new credential of the first tenant and a token of it. */
  async function caller(body: Record<string, unknown> = {}): Promise<{ id: string; token: string }> {
    const created = await server.request('POST', '/admin/v1/api_credential', { body: { name: 'limited', authorities: ['ROLE_ADMIN'], ...body } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const issued = await server.token(created.body.client_id, created.body.client_secret, { grant_type: 'client_credentials' });
    assert.equal(issued.status, 200, JSON.stringify(issued.body));
    return { id: created.body.id, token: issued.body.access_token };
  }

  const clients = (token: string) => server.request('GET', '/nucleus/v1/client', { token });

  /** Statuses of `count` requests made one after another. */
  async function statuses(count: number, send: () => Promise<{ status: number }>): Promise<number[]> {
    const seen: number[] = [];
    for (let i = 0; i < count; i++) seen.push((await send()).status);
    return seen;
  }

  it("holds a sandbox tenant's credential to the sandbox default, with the draft's headers, and answers 429 in the error shape", async () => {
    const { token } = await caller();
    const first = await clients(token);
    assert.equal(first.status, 200);
    assert.equal(first.headers.get('ratelimit-limit'), '4');
    assert.equal(first.headers.get('ratelimit-remaining'), '3');
    const reset = Number(first.headers.get('ratelimit-reset'));
    assert.ok(reset >= 1 && reset <= WINDOW_MS / 1000, `reset ${reset}`);

    assert.deepEqual(await statuses(3, () => clients(token)), [200, 200, 200]);
    const refused = await clients(token);
    assert.equal(refused.status, 429);
    assert.equal(refused.body.status, 429);
    assert.equal(refused.body.code, 'rate_limit_exceeded');
    assert.match(refused.body.message, /4 requests per window/);
    assert.equal(typeof refused.body.request_id, 'string');
    assert.equal(refused.headers.get('ratelimit-remaining'), '0');
    const retryAfter = Number(refused.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= WINDOW_MS / 1000, `retry-after ${retryAfter}`);

    await sleep(retryAfter * 1000 + 100);
    assert.equal((await clients(token)).status, 200, 'a new window after Retry-After');
  });

  it('changes nothing when it refuses a write', async () => {
    const { token } = await caller({ rate_limit: 1 });
    const username = `limited-${Date.now()}`;
    const create = () => server.request('POST', '/nucleus/v1/client', { token, body: { username, client_type: 'individual', first_name: 'A', last_name: 'B' } });
    assert.equal((await clients(token)).status, 200);
    assert.equal((await create()).status, 429);
    const found = await server.request('GET', `/nucleus/v1/client?filter=${encodeURIComponent(`username==${username}`)}`);
    assert.equal(found.body.total_elements, 0);
  });

  it("counts each credential apart, and a credential's own limit overrides the tenant's", async () => {
    const strict = await caller({ rate_limit: 2 });
    const open = await caller({ rate_limit: 0 });
    const other = await caller();
    assert.deepEqual(await statuses(3, () => clients(strict.token)), [200, 200, 429]);
    const unlimited = await clients(open.token);
    assert.equal(unlimited.headers.get('ratelimit-limit'), null, 'no limit, no headers');
    assert.deepEqual(await statuses(8, () => clients(open.token)), Array(8).fill(200));
    assert.equal((await clients(other.token)).status, 200, 'another credential has its own count');

    const viewed = await server.request('GET', `/admin/v1/api_credential/${strict.id}`);
    assert.equal(viewed.body.rate_limit, 2);
    const back = await server.request('PUT', `/admin/v1/api_credential/${strict.id}`, { body: { rate_limit: null } });
    assert.equal(back.status, 200, JSON.stringify(back.body));
    assert.equal(back.body.rate_limit, null);
    const trail = await server.request('GET', `/admin/v1/audit_trail?credential_id=${strict.id}&action=credential_updated`);
    assert.deepEqual(trail.body.content[0].details.changes.rate_limit, { from: 2, to: null });
  });

  it('takes a tenant limit, and the production default in a production tenant, for live tokens within the cache bound', async () => {
    const { token } = await caller();
    const set = await server.request('PUT', '/admin/v1/tenant', { body: { rate_limit: 2 } });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    assert.equal(set.body.rate_limit, 2);
    assert.equal(set.body.effective_rate_limit, 2);
    assert.equal(set.body.rate_limit_window_seconds, WINDOW_MS / 1000);
    await sleep(TOKEN_CACHE_TTL_MS + 200);
    assert.equal((await clients(token)).headers.get('ratelimit-limit'), '2');

    await server.request('PUT', '/admin/v1/tenant', { body: { rate_limit: null } });
    const trail = await server.request('GET', '/admin/v1/audit_trail?action=tenant_rate_limit_changed&ascending=true');
    assert.deepEqual(trail.body.content.map((r: { details: unknown }) => r.details), [{ from: null, to: 2 }, { from: 2, to: null }]);
    await server.db.query(`UPDATE tenant SET environment = 'production' WHERE id = $1`, [tenantId]);
    try {
      assert.equal((await server.request('GET', '/admin/v1/tenant')).body.effective_rate_limit, 6);
      await sleep(TOKEN_CACHE_TTL_MS + 200);
      assert.equal((await clients(token)).headers.get('ratelimit-limit'), '6');
    } finally {
      await server.db.query(`UPDATE tenant SET environment = 'sandbox' WHERE id = $1`, [tenantId]);
    }
  });

  it('refuses bad limits naming the field, and lets only a super-admin set the tenant limit', async () => {
    for (const rate_limit of [-1, 1.5, 'many', 1e10]) {
      const credential = await server.request('POST', '/admin/v1/api_credential', { body: { name: 'bad', authorities: ['ROLE_ADMIN'], rate_limit } });
      assert.equal(credential.status, 400, JSON.stringify(credential.body));
      assert.match(credential.body.message, /rate_limit/);
      const tenant = await server.request('PUT', '/admin/v1/tenant', { body: { rate_limit } });
      assert.equal(tenant.status, 400);
      assert.match(tenant.body.message, /rate_limit/);
    }
    assert.equal((await server.request('PUT', '/admin/v1/tenant', { body: {} })).status, 400);
    const { token } = await caller();
    const refused = await server.request('PUT', '/admin/v1/tenant', { token, body: { rate_limit: 1 } });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.code, 'forbidden');
    assert.equal((await server.request('GET', '/admin/v1/tenant')).body.rate_limit, null, 'unchanged');
    assert.equal((await server.request('PUT', '/admin/v1/tenant', { token: null, body: { rate_limit: 1 } })).status, 401);
  });

  it('limits token requests per client id, apart from the API limit', async () => {
    const created = await server.request('POST', '/admin/v1/api_credential', { body: { name: 'tokens', authorities: ['ROLE_ADMIN'] } });
    const ask = () => server.token(created.body.client_id, created.body.client_secret, { grant_type: 'client_credentials' });
    // At once: the count is taken before the secret's slow check, so all fall in one window.
    const answers = await Promise.all(Array.from({ length: 6 }, ask));
    assert.deepEqual(answers.map((a) => a.status).sort(), [200, 200, 200, 200, 200, 429]);
    const refused = answers.find((a) => a.status === 429)!;
    assert.equal(refused.body.code, 'rate_limit_exceeded');
    assert.ok(Number(refused.headers.get('retry-after')) >= 1);
    const wrongSecret = await server.token(created.body.client_id, 'not-the-secret', { grant_type: 'client_credentials' });
    assert.equal(wrongSecret.status, 429, 'counted by the client id asked for, before the secret is checked');
    const another = await server.request('POST', '/admin/v1/api_credential', { body: { name: 'tokens 2', authorities: ['ROLE_ADMIN'] } });
    assert.equal((await server.token(another.body.client_id, another.body.client_secret, { grant_type: 'client_credentials' })).status, 200);
  });
});
