import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildApp } from '../../../src/app.ts';
import { ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, startServer, type HttpResult, type TestServer } from '../../support/server.ts';

describe('Idempotency-Key on the Nucleus API', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  const withKey = (method: string, path: string, key: string, body?: unknown, token?: string): Promise<HttpResult> =>
    server.request(method, `/nucleus/v1${path}`, { body, token, headers: { 'idempotency-key': key } });
  const countNamed = async (name: string): Promise<number> =>
    Number((await server.db.query<{ n: string }>(`SELECT count(*) AS n FROM nucleus_account_type WHERE doc->>'name' = $1`, [name]))[0].n);
  const replayed = (result: HttpResult): boolean => result.headers.get('idempotent-replayed') === 'true';

  it('replays the first answer to the same request and does nothing again', async () => {
    const first = await withKey('POST', '/client', 'create-pat', { username: 'pat@example.com', client_type: 'individual' });
    assert.equal(first.status, 201);
    assert.equal(first.headers.get('idempotent-replayed'), null);
    const again = await withKey('POST', '/client', 'create-pat', { client_type: 'individual', username: 'pat@example.com' });
    assert.equal(again.status, 201, 'the same body in another key order is the same request');
    assert.ok(replayed(again));
    assert.deepEqual(again.body, first.body);
    assert.equal(again.headers.get('content-type'), first.headers.get('content-type'));
    const clients = await server.request('GET', '/nucleus/v1/client?filter=username==pat@example.com');
    assert.equal(clients.body.total_elements, 1);
  });

  it('replays PUT and DELETE answers as first given', async () => {
    const created = await server.request('POST', '/nucleus/v1/account_type', { body: { name: 'Before' } });
    const id = created.body.id;
    const updated = await withKey('PUT', `/account_type/${id}`, 'rename', { name: 'After' });
    assert.equal(updated.status, 200);
    await server.request('PUT', `/nucleus/v1/account_type/${id}`, { body: { name: 'Later' } });
    const updatedAgain = await withKey('PUT', `/account_type/${id}`, 'rename', { name: 'After' });
    assert.equal(updatedAgain.status, 200);
    assert.ok(replayed(updatedAgain));
    assert.deepEqual(updatedAgain.body, updated.body, 'the original answer, not a new update');
    assert.equal((await server.request('GET', `/nucleus/v1/account_type/${id}`)).body.name, 'Later');

    const removed = await withKey('DELETE', `/account_type/${id}`, 'remove');
    assert.equal(removed.status, 204);
    const removedAgain = await withKey('DELETE', `/account_type/${id}`, 'remove');
    assert.equal(removedAgain.status, 204, 'not 404: the delete is not run again');
    assert.ok(replayed(removedAgain));
    assert.equal(removedAgain.body, '');
  });

  it('replays a 4xx answer too, since the request did run', async () => {
    const missing = '11111111-1111-4111-8111-111111111111';
    const first = await withKey('PUT', `/account_type/${missing}`, 'missing', { name: 'x' });
    assert.equal(first.status, 404);
    const again = await withKey('PUT', `/account_type/${missing}`, 'missing', { name: 'x' });
    assert.equal(again.status, 404);
    assert.ok(replayed(again));
    assert.deepEqual(again.body, first.body);
  });

  it('refuses the key for a different request with 422', async () => {
    assert.equal((await withKey('POST', '/account_type', 'once', { name: 'First' })).status, 201);
    for (const [method, path, body, differs] of [
      ['POST', '/account_type', { name: 'Second' }, 'body'],
      ['POST', '/account_type?copy=1', { name: 'First' }, 'path'],
    ] as const) {
      const reused = await withKey(method, path, 'once', body);
      assert.equal(reused.status, 422, `${method} ${path}`);
      assert.equal(reused.body.code, 'idempotency_key_reused');
      assert.equal(reused.body.field, 'Idempotency-Key');
      assert.match(reused.body.message, new RegExp(differs));
    }
    assert.equal(await countNamed('Second'), 0);
  });

  it('validates the key and ignores it on reads', async () => {
    for (const key of ['', 'x'.repeat(256)]) {
      const result = await withKey('POST', '/account_type', key, { name: 'Bad key' });
      assert.equal(result.status, 400, JSON.stringify(key));
      assert.equal(result.body.code, 'invalid_idempotency_key');
      assert.equal(result.body.field, 'Idempotency-Key');
    }
    assert.equal(await countNamed('Bad key'), 0);
    assert.equal((await withKey('POST', '/account_type', 'x'.repeat(255), { name: 'Long key' })).status, 201);
    const read = await withKey('GET', '/account_type', 'x'.repeat(255));
    assert.equal(read.status, 200);
    assert.equal(read.headers.get('idempotent-replayed'), null);
  });

  it('keeps keys apart per tenant, credential and user', async () => {
    const body = { name: 'Scoped' };
    const mine = await withKey('POST', '/account_type', 'shared', body);
    assert.equal(mine.status, 201);

    const other = await server.otherTenant();
    const theirs = await withKey('POST', '/account_type', 'shared', body, other.token);
    assert.equal(theirs.status, 201);
    assert.ok(!replayed(theirs));
    assert.notEqual(theirs.body.id, mine.body.id);

    const colleague = await server.credential(['ROLE_SUPER_ADMIN']);
    const colleagueToken = (await server.token(colleague.clientId, colleague.clientSecret, { grant_type: 'client_credentials' })).body.access_token;
    const colleagues = await withKey('POST', '/account_type', 'shared', body, colleagueToken);
    assert.equal(colleagues.status, 201);
    assert.ok(!replayed(colleagues));

    await server.request('POST', '/nucleus/v1/client', {
      body: { username: 'user@example.com', client_type: 'individual', password: 'correct horse battery', authorities: ['ROLE_ADMIN'] },
    });
    const login = await server.token(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, {
      grant_type: 'password',
      username: 'user@example.com',
      password: 'correct horse battery',
    });
    const users = await withKey('POST', '/account_type', 'shared', body, login.body.access_token);
    assert.equal(users.status, 201, 'a user token is another caller than its application');
    assert.ok(!replayed(users));

    assert.equal(await countNamed('Scoped'), 4, 'one for each caller');
  });

  it('remembers keys across a restart', async () => {
    const first = await withKey('POST', '/account_type', 'durable', { name: 'Durable' });
    assert.equal(first.status, 201);
    const restarted = await buildApp({ config: server.config, db: server.db });
    try {
      const again = await restarted.inject({
        method: 'POST',
        url: '/nucleus/v1/account_type',
        headers: { authorization: `Bearer ${await server.adminToken()}`, 'idempotency-key': 'durable', 'content-type': 'application/json' },
        payload: JSON.stringify({ name: 'Durable' }),
      });
      assert.equal(again.statusCode, 201);
      assert.equal(again.headers['idempotent-replayed'], 'true');
      assert.deepEqual(again.json(), first.body);
    } finally {
      await restarted.close();
    }
    assert.equal(await countNamed('Durable'), 1);
  });

  it('runs a request again once its key has expired', async () => {
    const first = await withKey('POST', '/account_type', 'expiring', { name: 'Expiring' });
    await server.db.query(`UPDATE idempotency_key SET expires_at = now() - interval '1 second' WHERE key = 'expiring'`);
    const again = await withKey('POST', '/account_type', 'expiring', { name: 'Expiring' });
    assert.equal(again.status, 201);
    assert.ok(!replayed(again));
    assert.notEqual(again.body.id, first.body.id);
    const rows = await server.db.query<{ n: string }>(`SELECT count(*) AS n FROM idempotency_key WHERE key = 'expiring'`);
    assert.equal(Number(rows[0].n), 1, 'the expired row was reused, not duplicated');
  });

  it('gives exactly one effect to 50 racing identical requests', async () => {
    const results = await Promise.all(Array.from({ length: 50 }, () => withKey('POST', '/account_type', 'race', { name: 'Race' })));
    assert.equal(await countNamed('Race'), 1);
    const statuses = results.map((r) => r.status);
    assert.ok(statuses.every((s) => s === 201 || s === 409), `statuses: ${statuses.join(' ')}`);
    const originals = results.filter((r) => r.status === 201 && !replayed(r));
    assert.equal(originals.length, 1, 'one request ran');
    for (const r of results.filter((r) => r.status === 201)) assert.deepEqual(r.body, originals[0].body);
    for (const r of results.filter((r) => r.status === 409)) assert.equal(r.body.code, 'idempotency_request_in_progress');
    const after = await withKey('POST', '/account_type', 'race', { name: 'Race' });
    assert.ok(replayed(after));
    assert.deepEqual(after.body, originals[0].body);
  });
});
