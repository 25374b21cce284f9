import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, startServer, type TestServer, type HttpResult } from '../../support/server.ts';
import { MAX_FAILURES } from '../../../src/platform/auth/login-throttle.ts';
import { createCredential } from '../../../src/platform/auth/credentials.ts';

const PASSWORD = 'Right-password-1';
const WRONG = 'Wrong-password-1';

/** The parts of an error a caller could compare; request ids differ by design. */
function errorOf(result: HttpResult): unknown {
  const { request_id: _id, ...rest } = result.body;
  return { status: result.status, ...rest };
}

describe('failed logins: slowed, then locked, without revealing usernames', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
    const client = await server.request('POST', '/nucleus/v1/client', {
      body: { username: 'locked@example.com', client_type: 'individual', password: PASSWORD },
    });
    assert.equal(client.status, 201);
    const admin = await server.request('POST', '/admin/v1/client', { body: { username: 'locked-admin', password: PASSWORD, authorities: 'ROLE_ADMIN' } });
    assert.equal(admin.status, 201);
  });
  after(() => server.close());

  const login = (username: string, password: string) =>
    server.token(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, { grant_type: 'password', username, password });

  async function fail(username: string, times: number): Promise<HttpResult[]> {
    const results: HttpResult[] = [];
    for (let i = 0; i < times; i++) results.push(await login(username, WRONG));
    return results;
  }

  /** Moves every lock's end into the past, as 15 minutes of waiting would. */
  const unlock = () => server.db.query("UPDATE login_failure SET locked_until = now() - interval '1 second' WHERE locked_until IS NOT NULL");

  it(`locks a username after ${MAX_FAILURES} failures in a row, answering exactly as for a wrong password`, async () => {
    const failures = await fail('locked@example.com', MAX_FAILURES);
    for (const result of failures) assert.equal(result.body.error, 'invalid_grant');
    const started = Date.now();
    const locked = await login('locked@example.com', PASSWORD);
    assert.deepEqual(errorOf(locked), errorOf(failures[0]), 'the right password is refused like a wrong one while locked');
    assert.ok(Date.now() - started >= 600, 'answered slowly, like the failures before the lock');

    const unknown = await fail('no-such-user@example.com', MAX_FAILURES + 1);
    for (const result of unknown) assert.deepEqual(errorOf(result), errorOf(failures[0]), 'an unknown username looks the same');
    const rows = await server.db.query<{ failures: number; locked: boolean }>('SELECT failures, locked_until > now() AS locked FROM login_failure');
    assert.equal(rows.filter((r) => r.locked).length, 2, 'unknown usernames lock too, so a lock tells nothing');

    await unlock();
    const after = await login('locked@example.com', PASSWORD);
    assert.equal(after.status, 200, 'the lock lifts once its time is up');
  });

  it('slows consecutive failures down', async () => {
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const started = Date.now();
      await login('slowed@example.com', WRONG);
      times.push(Date.now() - started);
    }
    // Each failure waits 200 ms more than the one before it, on top of the password check.
    assert.ok(times[1] >= 200 && times[2] >= 400, `${times}`);
    await server.db.query('DELETE FROM login_failure');
  });

  it('starts the count over after a success', async () => {
    await fail('locked@example.com', MAX_FAILURES - 1);
    assert.equal((await login('locked@example.com', PASSWORD)).status, 200);
    await fail('locked@example.com', MAX_FAILURES - 1);
    assert.equal((await login('locked@example.com', PASSWORD)).status, 200, 'never five in a row');
  });

  it('counts admin users and password changes alike', async () => {
    await fail('locked-admin', MAX_FAILURES);
    assert.equal((await login('locked-admin', PASSWORD)).body.error, 'invalid_grant');
    const change = await server.request('POST', '/admin/v1/client_credentials', {
      body: { username: 'locked-admin', current_password: PASSWORD, new_password: 'Another-password-2' },
    });
    assert.equal(change.status, 400, 'a locked username cannot change its password either');
    assert.equal(change.body.code, 'invalid_credentials');
    await unlock();

    for (let i = 0; i < MAX_FAILURES; i++) {
      const wrong = await server.request('POST', '/admin/v1/client_credentials', {
        body: { username: 'locked-admin', current_password: WRONG, new_password: 'Another-password-2' },
      });
      assert.equal(wrong.body.code, 'invalid_credentials');
    }
    assert.equal((await login('locked-admin', PASSWORD)).body.error, 'invalid_grant', 'guessing through client_credentials locks the login');
    await unlock();
    assert.equal((await login('locked-admin', PASSWORD)).status, 200);
  });

  it('keeps tenants apart', async () => {
    await fail('locked@example.com', MAX_FAILURES);
    const other = await server.otherTenant();
    const created = await server.request('POST', '/admin/v1/client', {
      token: other.token,
      body: { username: 'locked@example.com', password: PASSWORD, authorities: 'ROLE_ADMIN' },
    });
    assert.equal(created.status, 201);
    const app = await createCredential(server.db, other.tenantId, { name: 'other app', authorities: ['ROLE_ADMIN'] });
    const there = await server.token(app.client_id, app.client_secret, { grant_type: 'password', username: 'locked@example.com', password: PASSWORD });
    assert.equal(there.status, 200, 'a lock in one tenant does not reach the same username in another');
    await unlock();
  });

  it(`locks a credential after ${MAX_FAILURES} wrong secrets, for the address they came from only`, async () => {
    const app = await createCredential(server.db, (await server.db.query<{ tenant_id: string }>('SELECT tenant_id FROM api_credential LIMIT 1'))[0].tenant_id, {
      name: 'integration',
      authorities: ['ROLE_ADMIN'],
    });
    /** A client_credentials request from a chosen loopback address, as a second host would send it. */
    const grant = (secret: string, localAddress: string) =>
      new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
        const request = http.request(`${server.url}/authorization/v1/oauth/token?grant_type=client_credentials`, {
          method: 'POST',
          localAddress,
          headers: { authorization: `Basic ${Buffer.from(`${app.client_id}:${secret}`).toString('base64')}` },
        });
        request.on('response', (response) => {
          let text = '';
          response.on('data', (chunk: Buffer) => (text += chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) }));
        });
        request.on('error', reject);
        request.end();
      });

    const started = Date.now();
    for (let i = 0; i < MAX_FAILURES; i++) assert.equal((await grant('wrong-secret', '127.0.0.1')).status, 401);
    assert.ok(Date.now() - started >= 1500, 'consecutive wrong secrets are answered ever more slowly');
    const locked = await grant(app.client_secret, '127.0.0.1');
    assert.equal(locked.status, 401, 'even the right secret fails from the guessing address');
    assert.equal(locked.body.error, 'invalid_client');
    assert.equal((await grant(app.client_secret, '127.0.0.2')).status, 200, 'the integration elsewhere keeps working');
    await unlock();
    assert.equal((await grant(app.client_secret, '127.0.0.1')).status, 200, 'the lock ends');
  });
});
