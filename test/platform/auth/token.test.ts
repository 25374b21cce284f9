import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, startServer, type TestServer } from '../../support/server.ts';
import { revokeToken, tokenHash } from '../../../src/platform/auth/tokens.ts';

describe('OAuth2 token endpoint', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

  it('issues a client_credentials token in exactly Hydrogen shape', async () => {
    const result = await server.token(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, { grant_type: 'client_credentials' });
    assert.equal(result.status, 200);
    assert.deepEqual(Object.keys(result.body).sort(), ['access_token', 'apps', 'environment', 'expires_in', 'scope', 'token_type']);
    assert.equal(result.body.token_type, 'bearer');
    assert.equal(result.body.expires_in, 86400);
    assert.equal(result.body.scope, 'create read update delete');
    assert.equal(result.body.apps, 'nucleus,proton,electron,hydro');
    assert.equal(result.headers.get('cache-control'), 'no-store');
    const list = await server.request('GET', '/nucleus/v1/client', { token: result.body.access_token });
    assert.equal(list.status, 200);
  });

  it('accepts the parameters in a form body', async () => {
    const response = await fetch(`${server.url}/authorization/v1/oauth/token`, {
      method: 'POST',
      headers: { authorization: basic(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET), 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&scope=read',
    });
    const body = await response.json();
    assert.equal(response.status, 200);
    assert.equal(body.scope, 'read');
  });

  it('issues a password token for a Nucleus client with a stored password', async () => {
    const created = await server.request('POST', '/nucleus/v1/client', {
      body: { username: 'pat@example.com', client_type: 'individual', password: 'correct horse battery', authorities: ['ROLE_CLIENT'] },
    });
    assert.equal(created.status, 201);
    assert.equal(created.body.password, undefined, 'the password is never returned');
    const rows = await server.db.query<{ doc: { password: string } }>('SELECT doc FROM nucleus_client WHERE id = $1', [created.body.id]);
    assert.match(rows[0].doc.password, /^\$2[aby]\$10\$/, 'stored as a bcrypt hash');

    const ok = await server.token(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, {
      grant_type: 'password',
      username: 'pat@example.com',
      password: 'correct horse battery',
    });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.token_type, 'bearer');
    const stored = await server.db.query<{ nucleus_client_id: string; authorities: string[] }>(
      'SELECT nucleus_client_id, authorities FROM access_token WHERE nucleus_client_id IS NOT NULL',
    );
    assert.equal(stored[0].nucleus_client_id, created.body.id);
    assert.deepEqual(stored[0].authorities, ['ROLE_CLIENT']);

    const wrong = await server.token(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, {
      grant_type: 'password',
      username: 'pat@example.com',
      password: 'wrong password',
    });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.body.error, 'invalid_grant');
    const unknown = await server.token(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, {
      grant_type: 'password',
      username: 'nobody@example.com',
      password: 'whatever123',
    });
    assert.equal(unknown.body.error, 'invalid_grant');
  });

  it('answers RFC 6749 errors', async () => {
    const badSecret = await server.token(ADMIN_CLIENT_ID, 'wrong', { grant_type: 'client_credentials' });
    assert.equal(badSecret.status, 401);
    assert.equal(badSecret.body.error, 'invalid_client');
    assert.ok(badSecret.body.request_id);
    const unknownClient = await server.token('nobody', 'secret', { grant_type: 'client_credentials' });
    assert.equal(unknownClient.status, 401);
    assert.equal(unknownClient.body.error, 'invalid_client');
    const unsupported = await server.token(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, { grant_type: 'authorization_code' });
    assert.equal(unsupported.status, 400);
    assert.equal(unsupported.body.error, 'unsupported_grant_type');
    const missing = await server.token(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, {});
    assert.equal(missing.status, 400);
    assert.equal(missing.body.error, 'invalid_request');
    const noUser = await server.token(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, { grant_type: 'password' });
    assert.equal(noUser.status, 400);
    assert.equal(noUser.body.error, 'invalid_request');
    const noCredentials = await server.request('POST', '/authorization/v1/oauth/token?grant_type=client_credentials', { token: null });
    assert.equal(noCredentials.status, 401);
    assert.equal(noCredentials.body.error, 'invalid_client');
    const badScope = await server.token(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, { grant_type: 'client_credentials', scope: 'admin' });
    assert.equal(badScope.status, 400);
    assert.equal(badScope.body.error, 'invalid_scope');
  });

  it('refuses missing, malformed, unknown, expired and revoked bearer tokens with 401', async () => {
    const missing = await server.request('GET', '/nucleus/v1/client', { token: null });
    assert.equal(missing.status, 401);
    assert.equal(missing.body.code, 'unauthorized');
    assert.match(missing.headers.get('www-authenticate') ?? '', /^Bearer/);
    const malformed = await server.request('GET', '/nucleus/v1/client', { token: null, headers: { authorization: 'Token abc' } });
    assert.equal(malformed.status, 401);
    const unknown = await server.request('GET', '/nucleus/v1/client', { token: 'not-a-real-token' });
    assert.equal(unknown.status, 401);

    const fresh = await server.token(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, { grant_type: 'client_credentials' });
    const token = fresh.body.access_token as string;
    await server.db.query("UPDATE access_token SET expires_at = now() - interval '1 second' WHERE token_hash = $1", [tokenHash(token)]);
    assert.equal((await server.request('GET', '/nucleus/v1/client', { token })).status, 401, 'expired');

    const other = await server.token(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, { grant_type: 'client_credentials' });
    assert.equal((await server.request('GET', '/nucleus/v1/client', { token: other.body.access_token })).status, 200);
    assert.equal(await revokeToken(server.db, other.body.access_token), true);
    assert.equal((await server.request('GET', '/nucleus/v1/client', { token: other.body.access_token })).status, 401, 'revoked');
  });

  it('keeps every token inside its own tenant', async () => {
    const mine = await server.request('POST', '/nucleus/v1/client', { body: { username: 'mine@example.com', client_type: 'individual' } });
    const other = await server.otherTenant();
    const read = await server.request('GET', `/nucleus/v1/client/${mine.body.id}`, { token: other.token });
    assert.equal(read.status, 404);
    const list = await server.request('GET', '/nucleus/v1/client', { token: other.token });
    assert.equal(list.body.total_elements, 0);
    const update = await server.request('PUT', `/nucleus/v1/client/${mine.body.id}`, { token: other.token, body: { first_name: 'X' } });
    assert.equal(update.status, 404);
    const remove = await server.request('DELETE', `/nucleus/v1/client/${mine.body.id}`, { token: other.token });
    assert.equal(remove.status, 404);
    const stillThere = await server.request('GET', `/nucleus/v1/client/${mine.body.id}`);
    assert.equal(stillThere.status, 200);
    assert.equal(stillThere.body.first_name, undefined);
    const sameUsername = await server.request('POST', '/nucleus/v1/client', {
      token: other.token,
      body: { username: 'mine@example.com', client_type: 'individual' },
    });
    assert.equal(sameUsername.status, 201, 'usernames are unique per tenant, not globally');
  });

  it('never logs a password sent in the query string', async () => {
    const lines: string[] = [];
    const logged = await startServer({ logLevel: 'info' }, { write: (line: string) => void lines.push(line) });
    try {
      await logged.token(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, { grant_type: 'password', username: 'u', password: 'TopSecret-123' });
    } finally {
      await logged.close();
    }
    const output = lines.join('');
    assert.match(output, /oauth\/token/);
    assert.doesNotMatch(output, /TopSecret-123/);
  });
});
