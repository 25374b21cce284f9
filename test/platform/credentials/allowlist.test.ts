import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../../support/server.ts';
import { requestFrom, tokenFrom, type AddressedResult } from '../../support/from-address.ts';
import { loadConfig } from '../../../src/config.ts';
import { allows, compileAllowlist, validateAllowlist } from '../../../src/platform/credentials/allowlist.ts';
import { hs256Key, setClientTokenKey } from '../../../src/platform/auth/client-token-keys.ts';

const BASE = '/admin/v1/api_credential';

function portOf(server: TestServer): number {
  return Number(new URL(server.url).port);
}

function refusedFrom(result: AddressedResult, address: string, what: string): void {
  assert.equal(result.status, 403, `${what}: ${JSON.stringify(result.body)}`);
  assert.equal(result.body.code, 'ip_not_allowed', what);
  assert.match(result.body.message, new RegExp(`from ${address.replace(/[.]/g, '\\.')} are not allowed`), what);
  assert.match(result.body.request_id, /^req_/, 'the one error shape');
}

async function allowlisted(server: TestServer, allowedIps: string[]): Promise<{ id: string; client_id: string; client_secret: string }> {
  const created = await server.request('POST', BASE, { body: { name: 'fenced', authorities: ['ROLE_SUPPORT'], allowed_ips: allowedIps } });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  return created.body;
}

describe('IP allowlists of API credentials', () => {
  let server: TestServer;
  let port: number;

  before(async () => {
    // Dual-stack, so callers from 127.0.0.x and ::1 reach the same server.
    server = await startServer({ host: '::' });
    port = portOf(server);
  });
  after(() => server.close());

  it('refuses the credential at the token endpoint from an address outside its list', async () => {
    const fenced = await allowlisted(server, ['127.0.0.2']);
    refusedFrom(await tokenFrom('127.0.0.1', port, fenced.client_id, fenced.client_secret), '127.0.0.1', 'the token endpoint from 127.0.0.1');
    refusedFrom(await tokenFrom('::1', port, fenced.client_id, fenced.client_secret), '::1', 'the token endpoint from ::1');
    const wrong = await tokenFrom('127.0.0.1', port, fenced.client_id, 'not the secret');
    assert.equal(wrong.body.code, 'invalid_client', 'a wrong secret learns nothing of the list');
    const granted = await tokenFrom('127.0.0.2', port, fenced.client_id, fenced.client_secret);
    assert.equal(granted.status, 200, JSON.stringify(granted.body));
    const seen = await server.request('GET', `${BASE}/${fenced.id}`);
    assert.equal(seen.body.last_used_ip, '127.0.0.2');
    assert.equal(seen.body.tokens_issued, 1, 'refusals issue nothing');
  });

  it('answers the refusal at the token endpoints in their OAuth error shape, as their OpenAPI documents it', async () => {
    const fenced = await allowlisted(server, ['127.0.0.2']);
    const token = await tokenFrom('127.0.0.1', port, fenced.client_id, fenced.client_secret);
    refusedFrom(token, '127.0.0.1', 'the token endpoint');
    assert.equal(token.body.error, 'ip_not_allowed');
    assert.equal(token.body.error_description, token.body.message);
    assert.equal(token.body.status, 403);

    const key = 'a-shared-secret-of-at-least-32-bytes!';
    await setClientTokenKey(server.db, fenced.client_id, hs256Key(key));
    const basic = Buffer.from(`${fenced.client_id}:${fenced.client_secret}`).toString('base64');
    const clientToken = await requestFrom('127.0.0.1', port, 'POST', '/authorization/v1/client-token', {
      headers: { authorization: `Basic ${basic}`, 'client-token': 'Bearer a.b.c' },
    });
    refusedFrom(clientToken, '127.0.0.1', 'the client-token endpoint');
    assert.deepEqual([clientToken.body.error, clientToken.body.error_description], ['ip_not_allowed', clientToken.body.message]);

    const spec = (await server.request('GET', '/openapi.json', { token: null })).body;
    for (const path of ['/authorization/v1/oauth/token', '/authorization/v1/client-token']) {
      const forbidden = spec.paths[path].post.responses['403'];
      assert.ok(forbidden, `${path} documents its 403`);
      assert.match(forbidden.description, /ip_not_allowed/, path);
      const { description: _, ...schema } = forbidden.content['application/json'].schema;
      assert.deepEqual(schema, spec.paths[path].post.responses['4XX'].content['application/json'].schema, `${path}: the shape of its other errors`);
      assert.ok(schema.required.includes('error') && schema.required.includes('error_description'), path);
    }
    assert.match(spec.paths['/authorization/v1/oauth/token'].post.responses['403'].description, /mfa_required/);
  });

  it('refuses every request made with an issued token from an address outside the list', async () => {
    const fenced = await allowlisted(server, ['127.0.0.0/30', '::1']);
    const token = (await tokenFrom('127.0.0.2', port, fenced.client_id, fenced.client_secret)).body.access_token;
    const bearer = { authorization: `Bearer ${token}` };
    assert.equal((await requestFrom('127.0.0.2', port, 'GET', '/nucleus/v1/client', { headers: bearer })).status, 200);
    assert.equal((await requestFrom('127.0.0.3', port, 'GET', '/nucleus/v1/client', { headers: bearer })).status, 200, 'inside the range');
    assert.equal((await requestFrom('::1', port, 'GET', '/nucleus/v1/client', { headers: bearer })).status, 200, 'IPv6');
    refusedFrom(await requestFrom('127.0.0.4', port, 'GET', '/nucleus/v1/client', { headers: bearer }), '127.0.0.4', 'outside the range');
    refusedFrom(await requestFrom('127.0.0.4', port, 'GET', '/hydro/v1/contracts', { headers: bearer }), '127.0.0.4', 'another API');
  });

  it('applies a changed list to tokens already issued', async () => {
    const fenced = await allowlisted(server, ['127.0.0.2']);
    const token = (await tokenFrom('127.0.0.2', port, fenced.client_id, fenced.client_secret)).body.access_token;
    const bearer = { authorization: `Bearer ${token}` };
    refusedFrom(await requestFrom('127.0.0.5', port, 'GET', '/nucleus/v1/client', { headers: bearer }), '127.0.0.5', 'before the change');

    assert.equal((await server.request('PUT', `${BASE}/${fenced.id}`, { body: { allowed_ips: ['127.0.0.5'] } })).status, 200);
    assert.equal((await requestFrom('127.0.0.5', port, 'GET', '/nucleus/v1/client', { headers: bearer })).status, 200, 'newly allowed');
    refusedFrom(await requestFrom('127.0.0.2', port, 'GET', '/nucleus/v1/client', { headers: bearer }), '127.0.0.2', 'no longer allowed');

    assert.equal((await server.request('PUT', `${BASE}/${fenced.id}`, { body: { allowed_ips: [] } })).status, 200);
    assert.equal((await requestFrom('127.0.0.9', port, 'GET', '/nucleus/v1/client', { headers: bearer })).status, 200, 'an empty list allows any address');
  });

  it('ignores X-Forwarded-For unless TRUST_PROXY is set', async () => {
    const fenced = await allowlisted(server, ['127.0.0.2']);
    const forged = { 'x-forwarded-for': '127.0.0.2' };
    refusedFrom(await tokenFrom('127.0.0.1', port, fenced.client_id, fenced.client_secret, forged), '127.0.0.1', 'a forged header');
    const token = (await tokenFrom('127.0.0.2', port, fenced.client_id, fenced.client_secret)).body.access_token;
    const headers = { authorization: `Bearer ${token}`, ...forged };
    refusedFrom(await requestFrom('127.0.0.1', port, 'GET', '/nucleus/v1/client', { headers }), '127.0.0.1', 'a forged header with a token');
  });
});

describe('TRUST_PROXY', () => {
  it('is off by default and takes a hop count or proxy addresses and ranges', () => {
    assert.equal(loadConfig({}).trustProxy, false);
    assert.equal(loadConfig({ TRUST_PROXY: 'false' }).trustProxy, false);
    assert.equal(loadConfig({ TRUST_PROXY: '2' }).trustProxy, 2);
    assert.deepEqual(loadConfig({ TRUST_PROXY: '10.0.0.1, 10.1.0.0/16,loopback,::1' }).trustProxy, ['10.0.0.1', '10.1.0.0/16', 'loopback', '::1']);
    assert.throws(() => loadConfig({ TRUST_PROXY: 'proxy.example.com' }), /TRUST_PROXY: "proxy.example.com" is not an IPv4 or IPv6 address/);
    assert.throws(() => loadConfig({ TRUST_PROXY: '0' }), /hop count from 1 to 100/);
  });

  for (const [setting, trusted] of [['127.0.0.1', 'a listed proxy'], ['1', 'one hop']] as const) {
    it(`believes X-Forwarded-For from ${trusted} (TRUST_PROXY=${setting})`, async () => {
      const proxied = await startServer({ host: '::', trustProxy: loadConfig({ TRUST_PROXY: setting }).trustProxy });
      try {
        const port = portOf(proxied);
        const fenced = await allowlisted(proxied, ['127.0.0.2']);
        const forwarded = { 'x-forwarded-for': '127.0.0.2' };
        const granted = await tokenFrom('127.0.0.1', port, fenced.client_id, fenced.client_secret, forwarded);
        assert.equal(granted.status, 200, JSON.stringify(granted.body));
        const headers = { authorization: `Bearer ${granted.body.access_token}` };
        assert.equal((await requestFrom('127.0.0.1', port, 'GET', '/nucleus/v1/client', { headers: { ...headers, ...forwarded } })).status, 200);
        refusedFrom(await requestFrom('127.0.0.1', port, 'GET', '/nucleus/v1/client', { headers: { ...headers, 'x-forwarded-for': '127.0.0.7' } }), '127.0.0.7', 'the forwarded address');
        assert.equal((await proxied.request('GET', `${BASE}/${fenced.id}`)).body.last_used_ip, '127.0.0.2', 'the caller behind the proxy');
        if (setting === '127.0.0.1') {
          const direct = await requestFrom('127.0.0.3', port, 'GET', '/nucleus/v1/client', { headers: { ...headers, ...forwarded } });
          refusedFrom(direct, '127.0.0.3', 'a header from an address that is not the proxy');
        }
      } finally {
        await proxied.close();
      }
    });
  }
});

describe('allowlist entries', () => {
  it('takes IPv4 and IPv6 addresses and ranges, and names the first bad one', () => {
    assert.deepEqual(validateAllowlist('allowed_ips', [' 10.0.0.1 ', '10.0.0.0/8', '2001:DB8::/32', '::1', '10.0.0.1']), ['10.0.0.1', '10.0.0.0/8', '2001:db8::/32', '::1']);
    for (const [bad, problem] of [
      ['10.0.0.256', /not an IPv4 or IPv6 address/],
      ['10.0.0.0/33', /prefix length that is not 0 to 32/],
      ['::/129', /not 0 to 128/],
      ['10.0.0.0/8/8', /more than one/],
      ['fe80::1%eth0', /not an IPv4 or IPv6 address/],
      ['example.com', /not an IPv4 or IPv6 address/],
    ] as const) {
      assert.throws(() => validateAllowlist('allowed_ips', ['10.0.0.1', bad]), (error: { field: string; message: string }) => {
        assert.equal(error.field, 'allowed_ips[1]');
        assert.match(error.message, problem);
        return true;
      });
    }
    assert.throws(() => validateAllowlist('allowed_ips', Array.from({ length: 101 }, (_, i) => `10.0.0.${i}`)), /at most 100/);
  });

  it('matches IPv4-mapped IPv6 addresses as their IPv4 address', () => {
    const list = compileAllowlist(['127.0.0.2', '2001:db8::/32']);
    assert.ok(allows(list, '::ffff:127.0.0.2'));
    assert.ok(!allows(list, '::ffff:127.0.0.3'));
    assert.ok(allows(list, '2001:db8:1::5'));
    assert.ok(!allows(list, 'not an address'));
    assert.ok(allows(compileAllowlist([]), '203.0.113.9'), 'an empty list allows any address');
  });
});
