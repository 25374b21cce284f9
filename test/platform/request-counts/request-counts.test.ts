import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../../support/server.ts';

describe('request counts: GET /admin/v1/tenant/requests', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  const today = () => new Date().toISOString().slice(0, 10);

  it("counts the tenant's answered requests of the day by API, with the 4xx and 5xx among them", async () => {
    const before = (await server.request('GET', '/admin/v1/tenant/requests')).body;
    assert.equal(before.date, today());
    assert.equal((await server.request('GET', '/nucleus/v1/client')).status, 200);
    assert.equal((await server.request('GET', '/nucleus/v1/client/not-a-uuid')).status, 400);
    assert.equal((await server.request('GET', '/nucleus/v1/client', { token: 'not a token' })).status, 401);
    const after = await server.request('GET', '/admin/v1/tenant/requests');
    assert.equal(after.status, 200);
    const nucleus = after.body.by_api.find((r: { api: string }) => r.api === 'nucleus');
    const nucleusBefore = before.by_api.find((r: { api: string }) => r.api === 'nucleus') ?? { requests: 0, client_errors: 0 };
    assert.equal(nucleus.requests - nucleusBefore.requests, 2, 'a request without a valid token belongs to no tenant');
    assert.equal(nucleus.client_errors - nucleusBefore.client_errors, 1);
    assert.equal(after.body.total.requests - before.total.requests, 3, 'the first read of the counts is itself counted');
    assert.equal(after.body.total.server_errors, 0);
  });

  it('answers another day, another tenant and non-administrators apart', async () => {
    const old = await server.request('GET', '/admin/v1/tenant/requests?date=2001-02-03');
    assert.deepEqual(old.body, { date: '2001-02-03', total: { requests: 0, client_errors: 0, server_errors: 0 }, by_api: [] });
    assert.equal((await server.request('GET', '/admin/v1/tenant/requests?date=yesterday')).status, 400);
    const other = await server.otherTenant();
    const theirs = await server.request('GET', '/admin/v1/tenant/requests', { token: other.token });
    assert.equal(theirs.body.total.requests, 0, "the other tenant's first request is its own and not yet answered");
    const reader = await server.credential(['ROLE_SUPPORT']);
    const token = (await server.token(reader.clientId, reader.clientSecret, { grant_type: 'client_credentials' })).body.access_token;
    assert.equal((await server.request('GET', '/admin/v1/tenant/requests', { token })).status, 403);
  });

  it('writes the counts to the table for the other server processes to read', async () => {
    await server.request('GET', '/admin/v1/tenant/requests');
    const rows = await server.db.query<{ requests: string }>('SELECT requests FROM request_count WHERE day = $1 AND api = $2', [today(), 'admin']);
    assert.ok(rows.length >= 1 && Number(rows[0].requests) >= 1);
  });
});
