import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../../support/server.ts';

describe('generic entity operations', () => {
  let server: TestServer;
  let accountTypeId: string;
  before(async () => {
    server = await startServer();
    accountTypeId = (await server.request('POST', '/nucleus/v1/account_type', { body: { name: 'Checking' } })).body.id;
  });
  after(() => server.close());

  const count = async (table: string) => Number((await server.db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`))[0].n);

  it('creates with server-set id and dates, ignoring read-only fields', async () => {
    const body = {
      id: '00000000-0000-4000-8000-000000000000',
      create_date: '2000-01-01T00:00:00Z',
      update_date: '2000-01-01T00:00:00Z',
      name: 'Joint',
      account_type_id: accountTypeId,
      secondary_id: 'ext-1',
    };
    const created = await server.request('POST', '/nucleus/v1/account', { body });
    assert.equal(created.status, 201);
    assert.notEqual(created.body.id, body.id);
    assert.notEqual(created.body.create_date, body.create_date);
    assert.equal(created.body.secondary_id, 'ext-1');
    assert.equal(created.body.is_active, true);
    const fetched = await server.request('GET', `/nucleus/v1/account/${created.body.id}`);
    assert.deepEqual(fetched.body, created.body);
  });

  it('updates only the fields sent and returns the whole record', async () => {
    const created = await server.request('POST', '/nucleus/v1/account', {
      body: { name: 'Before', account_type_id: accountTypeId, account_number: 'A-1', metadata: { a: '1' } },
    });
    await new Promise((r) => setTimeout(r, 5));
    const updated = await server.request('PUT', `/nucleus/v1/account/${created.body.id}`, {
      body: { name: 'After', id: '00000000-0000-4000-8000-000000000000' },
    });
    assert.equal(updated.status, 200);
    assert.equal(updated.body.id, created.body.id);
    assert.equal(updated.body.name, 'After');
    assert.equal(updated.body.account_number, 'A-1');
    assert.deepEqual(updated.body.metadata, { a: '1' });
    assert.equal(updated.body.is_active, true, 'defaults are not re-applied on update');
    assert.equal(updated.body.create_date, created.body.create_date);
    assert.ok(updated.body.update_date > created.body.update_date);
  });

  it('refuses bad input with a 400 naming the field, and changes nothing', async () => {
    const before = await count('nucleus_account');
    const cases: [unknown, string][] = [
      [{ account_type_id: accountTypeId }, 'name'],
      [{ name: null, account_type_id: accountTypeId }, 'name'],
      [{ name: 7, account_type_id: accountTypeId }, 'name'],
      [{ name: 'x', account_type_id: 'not-a-uuid' }, 'account_type_id'],
      [{ name: 'x', account_type_id: accountTypeId, metadata: { a: 1 } }, 'metadata.a'],
      [{ name: 'x', account_type_id: accountTypeId, clients: [{ client_id: accountTypeId }] }, 'clients[0].client_account_association_type'],
      [{ name: 'x', account_type_id: accountTypeId, is_active: 'yes' }, 'is_active'],
    ];
    for (const [body, field] of cases) {
      const result = await server.request('POST', '/nucleus/v1/account', { body });
      assert.equal(result.status, 400, JSON.stringify(body));
      assert.equal(result.body.code, 'invalid_request');
      assert.ok(
        result.body.errors.some((e: { field: string }) => e.field === field),
        `${JSON.stringify(result.body.errors)} names ${field}`,
      );
      assert.ok(result.body.request_id);
    }
    assert.equal(await count('nucleus_account'), before);
  });

  it('refuses a reference to a record that does not exist in the tenant', async () => {
    const before = await count('nucleus_account');
    const missing = '11111111-1111-4111-8111-111111111111';
    const result = await server.request('POST', '/nucleus/v1/account', { body: { name: 'x', account_type_id: missing } });
    assert.equal(result.status, 400);
    assert.equal(result.body.code, 'reference_not_found');
    assert.equal(result.body.field, 'account_type_id');

    const nested = await server.request('POST', '/nucleus/v1/account', {
      body: { name: 'x', account_type_id: accountTypeId, clients: [{ client_id: missing, client_account_association_type: 'owner' }] },
    });
    assert.equal(nested.status, 400);
    assert.equal(nested.body.field, 'clients[0].client_id');

    const other = await server.otherTenant();
    const foreign = await server.request('POST', '/nucleus/v1/account', {
      token: other.token,
      body: { name: 'x', account_type_id: accountTypeId },
    });
    assert.equal(foreign.status, 400, 'an id of another tenant is as good as missing');
    assert.equal(await count('nucleus_account'), before);

    const created = await server.request('POST', '/nucleus/v1/account', { body: { name: 'y', account_type_id: accountTypeId } });
    const badUpdate = await server.request('PUT', `/nucleus/v1/account/${created.body.id}`, { body: { account_type_id: missing } });
    assert.equal(badUpdate.status, 400);
    assert.equal((await server.request('GET', `/nucleus/v1/account/${created.body.id}`)).body.account_type_id, accountTypeId);
  });

  it('answers 409 for a duplicate unique field', async () => {
    const first = await server.request('POST', '/nucleus/v1/client', { body: { username: 'dup@example.com', client_type: 'individual' } });
    assert.equal(first.status, 201);
    const second = await server.request('POST', '/nucleus/v1/client', { body: { username: 'dup@example.com', client_type: 'firm' } });
    assert.equal(second.status, 409);
    assert.equal(second.body.field, 'username');
    const other = await server.request('POST', '/nucleus/v1/client', { body: { username: 'other@example.com', client_type: 'firm' } });
    const clash = await server.request('PUT', `/nucleus/v1/client/${other.body.id}`, { body: { username: 'dup@example.com' } });
    assert.equal(clash.status, 409);
  });

  it('keeps a record that others still point at, with a 409 naming them', async () => {
    const type = await server.request('POST', '/nucleus/v1/account_type', { body: { name: 'Referenced' } });
    const client = await server.request('POST', '/nucleus/v1/client', { body: { username: 'held@example.com', client_type: 'individual' } });
    const account = await server.request('POST', '/nucleus/v1/account', {
      body: { name: 'Holds both', account_type_id: type.body.id, clients: [{ client_id: client.body.id, client_account_association_type: 'owner' }] },
    });
    for (const [path, id] of [['account_type', type.body.id], ['client', client.body.id]]) {
      const refused = await server.request('DELETE', `/nucleus/v1/${path}/${id}`);
      assert.equal(refused.status, 409, path);
      assert.equal(refused.body.code, 'referenced');
      assert.match(refused.body.message, new RegExp(`account ${account.body.id}`));
      assert.equal((await server.request('GET', `/nucleus/v1/${path}/${id}`)).status, 200);
    }
    assert.equal((await server.request('DELETE', `/nucleus/v1/account/${account.body.id}`)).status, 204);
    assert.equal((await server.request('DELETE', `/nucleus/v1/client/${client.body.id}`)).status, 204);
    assert.equal((await server.request('DELETE', `/nucleus/v1/account_type/${type.body.id}`)).status, 204);
  });

  it('stores date-times in one canonical form, so equal instants collide on unique keys', async () => {
    const security = await server.request('POST', '/nucleus/v1/security', { body: { name: 'Acme', ticker: 'ACME' } });
    assert.equal(security.status, 201, JSON.stringify(security.body));
    const first = await server.request('POST', '/nucleus/v1/security_price', {
      body: { security_id: security.body.id, price: 10.5, date: '2026-01-02T10:00:00+01:00' },
    });
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.equal(first.body.date, '2026-01-02T09:00:00.000Z');
    const same = await server.request('POST', '/nucleus/v1/security_price', {
      body: { security_id: security.body.id, price: 11, date: '2026-01-02T09:00:00Z' },
    });
    assert.equal(same.status, 409);
    assert.equal(same.body.field, 'security_id');
  });

  it('deletes with 204, then the record is gone', async () => {
    const created = await server.request('POST', '/nucleus/v1/account_type', { body: { name: 'Temp' } });
    const removed = await server.request('DELETE', `/nucleus/v1/account_type/${created.body.id}`);
    assert.equal(removed.status, 204);
    assert.equal(removed.body, '');
    assert.equal((await server.request('GET', `/nucleus/v1/account_type/${created.body.id}`)).status, 404);
    assert.equal((await server.request('DELETE', `/nucleus/v1/account_type/${created.body.id}`)).status, 404);
  });

  it('answers 404, 405, 415 and 400 in the one error shape', async () => {
    const unknownId = await server.request('GET', '/nucleus/v1/client/11111111-1111-4111-8111-111111111111');
    assert.equal(unknownId.status, 404);
    assert.equal(unknownId.body.code, 'not_found');
    const badId = await server.request('GET', '/nucleus/v1/client/not-a-uuid');
    assert.equal(badId.status, 400);
    assert.equal(badId.body.field, 'client_id');
    const unknownRoute = await server.request('GET', '/nucleus/v1/unicorn');
    assert.equal(unknownRoute.status, 404);
    assert.equal(unknownRoute.body.code, 'not_found');
    const wrongMethod = await server.request('PATCH', '/nucleus/v1/client/11111111-1111-4111-8111-111111111111', { body: {} });
    assert.equal(wrongMethod.status, 405);
    assert.equal(wrongMethod.body.code, 'method_not_allowed');
    assert.equal(wrongMethod.headers.get('allow'), 'GET, PUT, DELETE');
    const before = await count('nucleus_client');
    const notJson = await server.request('POST', '/nucleus/v1/client', {
      rawBody: 'username=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(notJson.status, 415);
    assert.equal(notJson.body.code, 'unsupported_media_type');
    const plain = await server.request('POST', '/nucleus/v1/client', { rawBody: 'hello', headers: { 'content-type': 'text/plain' } });
    assert.equal(plain.status, 415);
    const malformed = await server.request('POST', '/nucleus/v1/client', { rawBody: '{"username":', headers: { 'content-type': 'application/json' } });
    assert.equal(malformed.status, 400);
    assert.equal(malformed.body.code, 'invalid_json');
    assert.equal(await count('nucleus_client'), before);
    for (const result of [unknownId, wrongMethod, notJson, malformed]) {
      assert.deepEqual(Object.keys(result.body).filter((k) => !['field', 'errors'].includes(k)).sort(), ['code', 'message', 'request_id', 'status', 'type']);
      assert.equal(result.headers.get('x-request-id'), result.body.request_id);
    }
  });

  it('echoes a caller-chosen request id', async () => {
    const result = await server.request('GET', '/nucleus/v1/client/11111111-1111-4111-8111-111111111111', {
      headers: { 'x-request-id': 'trace-abc-123' },
    });
    assert.equal(result.body.request_id, 'trace-abc-123');
  });
});
