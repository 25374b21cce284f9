import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  callServer,
  durableStorage,
  serverToken,
  startServerProcess,
  stopServerProcess,
  type DurableStorage,
  type RunningServer,
} from '../../support/process.ts';
import { TOKEN_CACHE_TTL_MS } from '../../../src/platform/auth/token-cache.ts';

const ADMIN = { ADMIN_CLIENT_ID: 'keys-admin', ADMIN_CLIENT_SECRET: 'keys-admin-secret' };

/** Milliseconds until `read` answers `status`, asking every 50 ms for at most `limitMs`. */
async function millisUntil(status: number, read: () => Promise<{ status: number }>, limitMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < limitMs) {
    if ((await read()).status === status) return Date.now() - started;
    await sleep(50);
  }
  throw new Error(`still not ${status} after ${limitMs} ms`);
}

/**
 * Two server processes on one PostgreSQL database, as two servers behind a load balancer:
 * a change made through one reaches the other within the token cache's bound.
 */
describe('credential changes across server processes', () => {
  let storage: DurableStorage;
  let first: RunningServer;
  let second: RunningServer;
  let admin: string;

  async function credential(name: string): Promise<{ id: string; client_id: string; client_secret: string }> {
    const created = await callServer(first, 'POST', '/admin/v1/api_credential', admin, { name, authorities: ['ROLE_SUPPORT'] });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    return created.body;
  }

  before(async () => {
    storage = await durableStorage();
    first = await startServerProcess({ ...storage.env, ...ADMIN });
    second = await startServerProcess({ ...storage.env, ...ADMIN });
    admin = (await serverToken(first, ADMIN.ADMIN_CLIENT_ID, ADMIN.ADMIN_CLIENT_SECRET)).body.access_token;
  });
  after(async () => {
    await Promise.all([first && stopServerProcess(first), second && stopServerProcess(second)]);
    await storage?.dispose();
  });

  it("refuses a revoked credential's live token at once on the revoking process and within the cache bound on the other", async () => {
    const doomed = await credential('doomed');
    const token = (await serverToken(first, doomed.client_id, doomed.client_secret)).body.access_token;
    const clients = (server: RunningServer) => callServer(server, 'GET', '/nucleus/v1/client', token);
    assert.equal((await clients(first)).status, 200);
    assert.equal((await clients(second)).status, 200, 'the other process now holds the token in its cache');

    const revoked = await callServer(first, 'POST', `/admin/v1/api_credential/${doomed.id}/revoke`, admin);
    assert.equal(revoked.status, 200, JSON.stringify(revoked.body));
    const revokedAt = Date.now();
    assert.equal((await clients(first)).status, 401, 'at once where it was revoked');
    assert.equal((await serverToken(second, doomed.client_id, doomed.client_secret)).status, 401, 'no new token anywhere');
    await millisUntil(401, () => clients(second), TOKEN_CACHE_TTL_MS + 1000);
    assert.ok(Date.now() - revokedAt <= TOKEN_CACHE_TTL_MS + 1000, 'within the bound');
  });

  it('applies a changed allowlist on the other process within the cache bound', async () => {
    const fenced = await credential('fenced');
    const token = (await serverToken(first, fenced.client_id, fenced.client_secret)).body.access_token;
    assert.equal((await callServer(second, 'GET', '/nucleus/v1/client', token)).status, 200);
    const changed = await callServer(first, 'PUT', `/admin/v1/api_credential/${fenced.id}`, admin, { allowed_ips: ['192.0.2.1'] });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    await millisUntil(403, () => callServer(second, 'GET', '/nucleus/v1/client', token), TOKEN_CACHE_TTL_MS + 1000);
    const refused = await callServer(second, 'GET', '/nucleus/v1/client', token);
    assert.equal(refused.body.code, 'ip_not_allowed');
    assert.match(refused.body.message, /127\.0\.0\.1/);
  });
});
