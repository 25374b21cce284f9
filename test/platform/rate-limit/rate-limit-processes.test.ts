import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  callServer,
  durableStorage,
  serverToken,
  startServerProcess,
  stopServerProcess,
  type DurableStorage,
  type RunningServer,
} from '../../support/process.ts';

const ADMIN = { ADMIN_CLIENT_ID: 'limits-admin', ADMIN_CLIENT_SECRET: 'limits-admin-secret' };
const LIMIT = 10;

/** Two server processes on one database, as two servers behind a load balancer. */
describe('a rate limit across server processes', () => {
  let storage: DurableStorage;
  let first: RunningServer;
  let second: RunningServer;

  before(async () => {
    storage = await durableStorage();
    const env = { ...storage.env, ...ADMIN, RATE_LIMIT: String(LIMIT), SANDBOX_RATE_LIMIT: String(LIMIT), RATE_LIMIT_WINDOW_SECONDS: '120' };
    [first, second] = await Promise.all([startServerProcess(env), startServerProcess(env)]);
  });
  after(async () => {
    await Promise.all([first && stopServerProcess(first), second && stopServerProcess(second)]);
    await storage?.dispose();
  });

  it('holds for the sum of the requests both processes take, sent at once', async () => {
    const admin = (await serverToken(first, ADMIN.ADMIN_CLIENT_ID, ADMIN.ADMIN_CLIENT_SECRET)).body.access_token;
    const created = await callServer(first, 'POST', '/admin/v1/api_credential', admin, { name: 'shared', authorities: ['ROLE_ADMIN'] });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const token = (await serverToken(second, created.body.client_id, created.body.client_secret)).body.access_token;

    const answers = await Promise.all(
      Array.from({ length: 3 * LIMIT }, (_, i) => callServer(i % 2 === 0 ? first : second, 'GET', '/nucleus/v1/client', token)),
    );
    const statuses = answers.map((a) => a.status);
    assert.equal(statuses.filter((s) => s === 200).length, LIMIT, statuses.join(' '));
    assert.equal(statuses.filter((s) => s === 429).length, 2 * LIMIT, statuses.join(' '));
    // Each accepted request had its own place in the shared count.
    const remaining = answers.filter((a) => a.status === 200).map((a) => Number(a.headers.get('ratelimit-remaining')));
    assert.deepEqual(remaining.sort((a, b) => a - b), Array.from({ length: LIMIT }, (_, i) => i));
    for (const server of [first, second]) assert.equal((await callServer(server, 'GET', '/nucleus/v1/client', token)).status, 429);
  });
});
