import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, startServer, type TestServer } from '../../support/server.ts';
import { revokeToken, tokenHash, type AuthContext } from '../../../src/platform/auth/tokens.ts';
import { TOKEN_CACHE_MAX_ENTRIES, TOKEN_CACHE_TTL_MS, TokenCache, type ResolvedToken } from '../../../src/platform/auth/token-cache.ts';

const auth = (tenantId: string): AuthContext => ({ tenantId, credentialId: 'c', clientId: null, authorities: ['ROLE_ADMIN'], scopes: ['read'] });

/** A lookup that counts its calls and answers what `answer` says at the time. */
function lookupOf(answer: () => ResolvedToken | undefined) {
  const lookup = async () => {
    lookup.calls++;
    return answer();
  };
  lookup.calls = 0;
  return lookup;
}

describe('TokenCache', () => {
  let clock = 1_000_000;
  const cache = () => new TokenCache(() => clock);
  const far = () => new Date(clock + 3_600_000);

  it('answers a resolved token from memory, and asks again for an unknown one every time', async () => {
    const tokens = cache();
    const known = lookupOf(() => ({ auth: auth('t1'), expiresAt: far() }));
    assert.equal((await tokens.resolve('known', known))?.tenantId, 't1');
    assert.equal((await tokens.resolve('known', known))?.tenantId, 't1');
    assert.equal(known.calls, 1);
    const unknown = lookupOf(() => undefined);
    assert.equal(await tokens.resolve('unknown', unknown), undefined);
    assert.equal(await tokens.resolve('unknown', unknown), undefined);
    assert.equal(unknown.calls, 2, 'a token issued after a miss must work at once');
  });

  it('keeps nothing from a lookup that an invalidation raced', async () => {
    const tokens = cache();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const raced = tokens.resolve('raced', async () => {
      await gate;
      return { auth: auth('t1'), expiresAt: far() };
    });
    tokens.invalidate();
    release();
    assert.equal((await raced)?.tenantId, 't1', 'the racing request itself is answered');
    const again = lookupOf(() => undefined);
    assert.equal(await tokens.resolve('raced', again), undefined, 'the revoked token is not served from memory');
    assert.equal(again.calls, 1);

    const calm = lookupOf(() => ({ auth: auth('t1'), expiresAt: far() }));
    await tokens.resolve('calm', calm);
    await tokens.resolve('calm', calm);
    assert.equal(calm.calls, 1, 'without an invalidation the same lookup is kept');
  });

  it('forgets everything on invalidation', async () => {
    const tokens = cache();
    const lookup = lookupOf(() => ({ auth: auth('t1'), expiresAt: far() }));
    await tokens.resolve('a', lookup);
    tokens.invalidate();
    await tokens.resolve('a', lookup);
    assert.equal(lookup.calls, 2);
  });

  it("keeps a token until its own expiry or the time-to-live, whichever comes first", async () => {
    const tokens = cache();
    const soon = lookupOf(() => ({ auth: auth('t1'), expiresAt: new Date(clock + 500) }));
    await tokens.resolve('soon', soon);
    clock += 499;
    await tokens.resolve('soon', soon);
    assert.equal(soon.calls, 1);
    clock += 1;
    await tokens.resolve('soon', soon);
    assert.equal(soon.calls, 2, 'asked again once expired');

    const long = lookupOf(() => ({ auth: auth('t1'), expiresAt: far() }));
    await tokens.resolve('long', long);
    clock += TOKEN_CACHE_TTL_MS - 1;
    await tokens.resolve('long', long);
    assert.equal(long.calls, 1);
    clock += 1;
    await tokens.resolve('long', long);
    assert.equal(long.calls, 2, 'asked again after the time-to-live');
  });

  it('holds at most TOKEN_CACHE_MAX_ENTRIES tokens, dropping the oldest', async () => {
    const tokens = cache();
    const lookup = lookupOf(() => ({ auth: auth('t1'), expiresAt: far() }));
    for (let i = 0; i <= TOKEN_CACHE_MAX_ENTRIES; i++) await tokens.resolve(`token-${i}`, lookup);
    assert.equal(lookup.calls, TOKEN_CACHE_MAX_ENTRIES + 1);
    await tokens.resolve('token-1', lookup);
    assert.equal(lookup.calls, TOKEN_CACHE_MAX_ENTRIES + 1, 'the second oldest is still there');
    await tokens.resolve('token-0', lookup);
    assert.equal(lookup.calls, TOKEN_CACHE_MAX_ENTRIES + 2, 'the oldest was dropped');
  });

  it('hands out a caller that no request can change for the others', async () => {
    const tokens = cache();
    const resolved = await tokens.resolve('a', async () => ({ auth: auth('t1'), expiresAt: far() }));
    assert.ok(resolved);
    assert.throws(() => resolved.authorities.push('ROLE_SUPER_ADMIN'), TypeError);
    assert.throws(() => Object.assign(resolved, { tenantId: 't2' }), TypeError);
  });
});

describe('bearer tokens over HTTP with the token cache', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  const PASSWORD = 'Admin-password-1';
  const login = (username: string, password: string) =>
    server.token(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, { grant_type: 'password', username, password });
  const appToken = async () => (await server.token(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, { grant_type: 'client_credentials' })).body.access_token as string;
  const status = async (token: string, path = '/nucleus/v1/client') => (await server.request('GET', path, { token })).status;

  async function adminUserToken(username: string): Promise<{ id: number; token: string }> {
    const created = await server.request('POST', '/admin/v1/client', { body: { username, password: PASSWORD, authorities: 'ROLE_ADMIN' } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const issued = await login(username, PASSWORD);
    assert.equal(issued.status, 200, JSON.stringify(issued.body));
    return { id: created.body.id, token: issued.body.access_token };
  }

  it('refuses a token on the very next request once it is revoked through this server', async () => {
    const user = await adminUserToken('deleted-user');
    assert.equal(await status(user.token), 200);
    assert.equal(await status(user.token), 200);
    assert.equal((await server.request('DELETE', `/admin/v1/client/${user.id}`)).status, 204);
    assert.equal(await status(user.token), 401);

    const token = await appToken();
    assert.equal(await status(token), 200);
    assert.equal(await revokeToken(server.db, token), true);
    assert.equal(await status(token), 401);
  });

  it("refuses a user's token at once after a password change through the API", async () => {
    const client = await server.request('POST', '/nucleus/v1/client', {
      body: { username: 'cached.client', client_type: 'individual', password: 'Client-password-1' },
    });
    assert.equal(client.status, 201, JSON.stringify(client.body));
    const clientToken = (await login('cached.client', 'Client-password-1')).body.access_token;
    const own = `/nucleus/v1/client/${client.body.id}`;
    assert.equal(await status(clientToken, own), 200);
    const changed = await server.request('PUT', own, { body: { password: 'Client-password-2' } });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    assert.equal(await status(clientToken, own), 401);

    const user = await adminUserToken('changing-user');
    assert.equal(await status(user.token), 200);
    const change = await server.request('POST', '/admin/v1/client_credentials', {
      body: { username: 'changing-user', current_password: PASSWORD, new_password: 'Brand-new-password-2' },
    });
    assert.equal(change.status, 200, JSON.stringify(change.body));
    assert.equal(await status(user.token), 401);
  });

  it('refuses a token once its own expiry has passed, though it was kept in memory', async () => {
    const token = await appToken();
    const [row] = await server.db.query<{ expires_at: Date }>(
      "UPDATE access_token SET expires_at = now() + interval '1 second' WHERE token_hash = $1 RETURNING expires_at",
      [tokenHash(token)],
    );
    assert.equal(await status(token), 200, 'resolved, and kept until its expiry');
    await sleep(Math.max(0, new Date(row.expires_at).getTime() - Date.now()) + 50);
    assert.equal(await status(token), 401);
  });

  it('refuses a token revoked behind its back (as by another server) within the time-to-live', async () => {
    const token = await appToken();
    assert.equal(await status(token), 200);
    await server.db.query('UPDATE access_token SET revoked_at = now() WHERE token_hash = $1', [tokenHash(token)]);
    await sleep(TOKEN_CACHE_TTL_MS + 50);
    assert.equal(await status(token), 401);
  });

  it("gives a second tenant's token its own tenant, never the first's", async () => {
    const mine = await server.request('POST', '/nucleus/v1/client', { body: { username: 'first-tenant', client_type: 'individual' } });
    assert.equal(mine.status, 201);
    const token = await appToken();
    const first = await server.request('GET', '/nucleus/v1/client', { token });
    assert.ok(first.body.total_elements > 0);
    const other = await server.otherTenant();
    for (let i = 0; i < 2; i++) {
      const list = await server.request('GET', '/nucleus/v1/client', { token: other.token });
      assert.equal(list.status, 200);
      assert.equal(list.body.total_elements, 0);
      assert.equal((await server.request('GET', `/nucleus/v1/client/${mine.body.id}`, { token: other.token })).status, 404);
    }
    assert.equal((await server.request('GET', `/nucleus/v1/client/${mine.body.id}`, { token })).status, 200);
  });

  it("does not let another server (another database) take a token from this one's cache", async () => {
    const token = await appToken();
    assert.equal(await status(token), 200);
    const second = await startServer();
    try {
      assert.equal((await second.request('GET', '/nucleus/v1/client', { token })).status, 401);
    } finally {
      await second.close();
    }
  });
});
