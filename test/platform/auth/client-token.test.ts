import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { SignJWT, type JWTPayload } from 'jose';
import { ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, startServer, type TestServer, type HttpResult } from '../../support/server.ts';
import { hs256Key, publicKey, setClientTokenKey } from '../../../src/platform/auth/client-token-keys.ts';
import { tokenHash } from '../../../src/platform/auth/tokens.ts';

const SECRET = 'a-shared-secret-of-at-least-32-bytes!';
const now = () => Math.floor(Date.now() / 1000);

function sign(claims: JWTPayload, secret = SECRET): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(secret));
}

describe('client tokens: POST /authorization/v1/client-token', () => {
  let server: TestServer;
  let clientId: string;
  let otherClientId: string;
  before(async () => {
    server = await startServer();
    await setClientTokenKey(server.db, ADMIN_CLIENT_ID, hs256Key(SECRET));
    const made = await server.request('POST', '/nucleus/v1/client', { body: { username: 'embedded@example.com', client_type: 'individual' } });
    clientId = made.body.id;
    const other = await server.request('POST', '/nucleus/v1/client', { body: { username: 'someone-else@example.com', client_type: 'individual' } });
    otherClientId = other.body.id;
  });
  after(() => server.close());

  function exchange(jwt: string | null, app: [string, string] = [ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET], scheme = 'Bearer'): Promise<HttpResult> {
    const headers: Record<string, string> = { authorization: `Basic ${Buffer.from(app.join(':')).toString('base64')}` };
    if (jwt !== null) headers['client-token'] = `${scheme} ${jwt}`;
    return server.request('POST', '/authorization/v1/client-token', { token: null, headers });
  }

  function assertGrantRefused(result: HttpResult, reason: RegExp): void {
    assert.equal(result.status, 400, JSON.stringify(result.body));
    assert.equal(result.body.error, 'invalid_grant');
    assert.match(result.body.error_description, reason);
  }

  it("trades a JWT signed for a client for that client's ROLE_CLIENT token, shaped like /oauth/token's", async () => {
    const result = await exchange(await sign({ sub: clientId, iat: now(), exp: now() + 300 }));
    assert.equal(result.status, 200, JSON.stringify(result.body));
    assert.deepEqual(Object.keys(result.body).sort(), ['access_token', 'apps', 'environment', 'expires_in', 'scope', 'token_type']);
    assert.equal(result.body.token_type, 'bearer');
    assert.equal(result.body.expires_in, 86400);
    assert.equal(result.body.scope, 'create read update delete');
    assert.equal(result.headers.get('cache-control'), 'no-store');
    const token = result.body.access_token;
    const stored = await server.db.query<{ nucleus_client_id: string; authorities: string[] }>(
      'SELECT nucleus_client_id, authorities FROM access_token WHERE token_hash = $1',
      [tokenHash(token)],
    );
    assert.equal(stored[0].nucleus_client_id, clientId);
    assert.deepEqual(stored[0].authorities, ['ROLE_CLIENT']);
    assert.equal((await server.request('GET', `/nucleus/v1/client/${clientId}`, { token })).status, 200);
    assert.equal((await server.request('GET', `/nucleus/v1/client/${otherClientId}`, { token })).status, 404, 'only its own records');
    const list = await server.request('GET', '/nucleus/v1/client', { token });
    assert.deepEqual(list.body.content.map((c: { id: string }) => c.id), [clientId]);

    const withIssuer = await exchange(await sign({ sub: clientId, iss: ADMIN_CLIENT_ID, exp: now() + 60 }));
    assert.equal(withIssuer.status, 200, 'iss equal to the app, and no iat');
  });

  it('verifies with a registered public key, and only with the algorithms that key allows', async () => {
    const { publicKey: pub, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const app = await server.credential(['ROLE_ADMIN']);
    const pem = pub.export({ type: 'spki', format: 'pem' }).toString();
    await setClientTokenKey(server.db, app.clientId, publicKey(pem));
    const es256 = await new SignJWT({ sub: clientId, iat: now(), exp: now() + 300 }).setProtectedHeader({ alg: 'ES256' }).sign(privateKey);
    const ok = await exchange(es256, [app.clientId, app.clientSecret]);
    assert.equal(ok.status, 200, JSON.stringify(ok.body));

    // The classic confusion: an HS256 token whose "secret" is the public key itself.
    const forged = await sign({ sub: clientId, iat: now(), exp: now() + 300 }, pem);
    assertGrantRefused(await exchange(forged, [app.clientId, app.clientSecret]), /alg/);
    // The app's HS256 secret does not work for a credential that registered a key pair.
    assertGrantRefused(await exchange(await sign({ sub: clientId, exp: now() + 300 }), [app.clientId, app.clientSecret]), /alg/);
  });

  it('refuses expired, too long-lived and future tokens', async () => {
    assertGrantRefused(await exchange(await sign({ sub: clientId, iat: now() - 900, exp: now() - 120 })), /expired/);
    assertGrantRefused(await exchange(await sign({ sub: clientId, iat: now(), exp: now() + 16 * 60 })), /at most 900 seconds/);
    assertGrantRefused(await exchange(await sign({ sub: clientId, exp: now() + 20 * 60 })), /at most 900 seconds/);
    assertGrantRefused(await exchange(await sign({ sub: clientId, iat: now() + 600, exp: now() + 900 })), /future/);
    assertGrantRefused(await exchange(await sign({ sub: clientId })), /exp/);
    // Within the 60 s of clock skew allowed, both ways.
    assert.equal((await exchange(await sign({ sub: clientId, iat: now() - 100, exp: now() - 30 }))).status, 200);
    assert.equal((await exchange(await sign({ sub: clientId, iat: now() + 30, exp: now() + 600 }))).status, 200);
  });

  it('refuses a wrong signature, a subject that is not a client of the tenant and a foreign issuer', async () => {
    assertGrantRefused(await exchange(await sign({ sub: clientId, exp: now() + 300 }, 'another-secret-that-is-32-bytes-long')), /signature/);
    assertGrantRefused(await exchange(await sign({ sub: '00000000-0000-4000-8000-000000000000', exp: now() + 300 })), /not an active client/);
    assertGrantRefused(await exchange(await sign({ sub: 'not-a-uuid', exp: now() + 300 })), /not an active client/);
    assertGrantRefused(await exchange(await sign({ exp: now() + 300 })), /sub/);
    assertGrantRefused(await exchange(await sign({ sub: clientId, iss: 'someone-else', exp: now() + 300 })), /iss/);
    assertGrantRefused(await exchange('eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl'), /./);

    const other = await server.otherTenant();
    const foreign = await server.request('POST', '/nucleus/v1/client', { token: other.token, body: { username: 'foreign@example.com', client_type: 'individual' } });
    assertGrantRefused(await exchange(await sign({ sub: foreign.body.id, exp: now() + 300 })), /not an active client/);

    const inactive = await server.request('POST', '/nucleus/v1/client', { body: { username: 'gone@example.com', client_type: 'individual', is_active: false } });
    assertGrantRefused(await exchange(await sign({ sub: inactive.body.id, exp: now() + 300 })), /not an active client/);
  });

  it('answers invalid_request without a usable Client-Token header, invalid_client without app credentials', async () => {
    const missing = await exchange(null);
    assert.equal(missing.status, 400);
    assert.equal(missing.body.error, 'invalid_request');
    assert.match(missing.body.error_description, /Client-Token/);
    const notBearer = await exchange(await sign({ sub: clientId, exp: now() + 300 }), undefined, 'Basic');
    assert.equal(notBearer.status, 400);
    assert.equal(notBearer.body.error, 'invalid_request');
    const notJwt = await exchange('abc');
    assert.equal(notJwt.body.error, 'invalid_request');

    const jwt = await sign({ sub: clientId, exp: now() + 300 });
    const badSecret = await exchange(jwt, [ADMIN_CLIENT_ID, 'wrong']);
    assert.equal(badSecret.status, 401);
    assert.equal(badSecret.body.error, 'invalid_client');
    assert.match(badSecret.headers.get('www-authenticate') ?? '', /^Basic/);
    const noBasic = await server.request('POST', '/authorization/v1/client-token', { token: null, headers: { 'client-token': `Bearer ${jwt}` } });
    assert.equal(noBasic.status, 401);
    assert.equal(noBasic.body.error, 'invalid_client');

    const keyless = await server.credential(['ROLE_ADMIN']);
    const unregistered = await exchange(jwt, [keyless.clientId, keyless.clientSecret]);
    assert.equal(unregistered.status, 400);
    assert.equal(unregistered.body.error, 'unauthorized_client');
  });
});
