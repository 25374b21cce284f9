import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { durableStorage, startServerProcess, stopServerProcess, type RunningServer } from '../../support/process.ts';
import { pollUntil, type BulkStatus } from './support.ts';

const ADMIN = { ADMIN_CLIENT_ID: 'bulk-admin', ADMIN_CLIENT_SECRET: 'bulk-admin-secret-value' };

describe('bulk jobs across a crash', () => {
  let storage: Awaited<ReturnType<typeof durableStorage>>;
  const running: RunningServer[] = [];
  before(async () => {
    storage = await durableStorage();
  });
  after(async () => {
    for (const server of running) await stopServerProcess(server, 'SIGKILL');
    await storage.dispose();
  });

  async function start(itemDelayMs: number): Promise<RunningServer> {
    const server = await startServerProcess({ ...storage.env, ...ADMIN, BULK_ITEM_DELAY_MS: String(itemDelayMs) });
    running.push(server);
    return server;
  }

  it('a bulk of 100 survives a restart half-way and completes', async () => {
    const first = await start(50);
    const basic = Buffer.from(`${ADMIN.ADMIN_CLIENT_ID}:${ADMIN.ADMIN_CLIENT_SECRET}`).toString('base64');
    const issued = await fetch(`${first.url}/authorization/v1/oauth/token?grant_type=client_credentials`, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}` },
    });
    const { access_token } = await issued.json();
    const call = async (server: RunningServer, method: string, path: string, body?: unknown) => {
      const response = await fetch(server.url + path, {
        method,
        headers: { authorization: `Bearer ${access_token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      return { status: response.status, body: await response.json() };
    };
    const statusOn = (server: RunningServer) => async () => (await call(server, 'GET', `/nucleus/v1/bulk/status/${id}`)).body as BulkStatus;

    const submitted = await call(first, 'POST', '/nucleus/v1/bulk/account_type', Array.from({ length: 100 }, (_, i) => ({ name: `restart ${i}` })));
    assert.equal(submitted.status, 200);
    const id: string = submitted.body.id;

    await pollUntil(statusOn(first), (s) => s.progress.processed >= 30);
    await stopServerProcess(first, 'SIGKILL');

    const second = await start(5);
    const resumed = await statusOn(second)();
    assert.equal(resumed.status, 'In Progress');
    assert.ok(resumed.progress.processed >= 30 && resumed.progress.processed < 100, `killed half-way: ${resumed.progress.processed} done`);

    // The dead process's lease on the job must run out (10 s) before the job is taken up again.
    const done = await pollUntil(statusOn(second), (s) => s.status === 'Complete' || s.status === 'Failed', 60_000);
    assert.equal(done.status, 'Complete');
    assert.deepEqual(done.progress, { total: 100, processed: 100, succeeded: 100, failed: 0 });
    const ids = Object.values(done.success).map((s) => s.id);
    assert.equal(new Set(ids).size, 100);

    // Exactly one record per item: an item applied before the crash was not applied again.
    const listed = await call(second, 'GET', '/nucleus/v1/account_type?size=500');
    assert.equal(listed.body.total_elements, 100);
    const names = new Set(listed.body.content.map((r: { name: string }) => r.name));
    assert.equal(names.size, 100);
    assert.deepEqual(new Set(listed.body.content.map((r: { id: string }) => r.id)), new Set(ids));
  });
});
