import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { durableStorage, startServerProcess, type DurableStorage } from '../../support/process.ts';
import { eventually, startReceiver, type Receiver } from './receiver.ts';

const ADMIN = { ADMIN_CLIENT_ID: 'webhook-admin', ADMIN_CLIENT_SECRET: 'webhook-admin-secret' };

/** The real server process, as `npm start` runs it. */
const startProcess = (env: Record<string, string>) => startServerProcess({ ...env, ...ADMIN, WEBHOOK_ALLOW_PRIVATE: 'true' });

describe('webhook deliveries across a crash', () => {
  let storage: DurableStorage;
  let receiver: Receiver;
  let answering = false;

  before(async () => {
    storage = await durableStorage();
    receiver = await startReceiver(() => (answering ? { status: 200 } : 'hang'));
  });
  after(async () => {
    await receiver.close();
    await storage.dispose();
  });

  it('resumes deliveries after SIGKILL mid-delivery: nothing lost, duplicates only with the same delivery id', async () => {
    const first = await startProcess(storage.env);
    const basic = Buffer.from(`${ADMIN.ADMIN_CLIENT_ID}:${ADMIN.ADMIN_CLIENT_SECRET}`).toString('base64');
    const issued = await fetch(`${first.url}/authorization/v1/oauth/token?grant_type=client_credentials`, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}` },
    });
    const { access_token } = await issued.json();
    const call = async (base: string, method: string, route: string, body?: unknown) => {
      const response = await fetch(`${base}/nucleus/v1${route}`, {
        method,
        headers: { authorization: `Bearer ${access_token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      return { status: response.status, body: await response.json() };
    };

    const hook = await call(first.url, 'POST', '/webhook', { url: receiver.url, atom_service: ['client'] });
    assert.equal(hook.status, 201);
    const ids: string[] = [];
    for (const name of ['crash-1', 'crash-2', 'crash-3']) {
      const created = await call(first.url, 'POST', '/client', { username: `${name}@example.com`, client_type: 'individual' });
      assert.equal(created.status, 201);
      ids.push(created.body.id);
    }
    // Every delivery is on the wire, none answered, when the process dies.
    await receiver.waitFor(3);
    first.child.kill('SIGKILL');
    await once(first.child, 'exit');
    const beforeRestart = receiver.received.length;

    answering = true;
    const second = await startProcess(storage.env);
    try {
      // The dead process's leases have to run out first (request timeout + margin, 25 s).
      await receiver.waitFor(beforeRestart + 3, undefined, 90_000);
      const deliveryIdsByRecord = new Map<string, Set<string>>();
      for (const request of receiver.received) {
        const recordId = JSON.parse(request.body).id as string;
        const seen = deliveryIdsByRecord.get(recordId) ?? new Set();
        seen.add(String(request.headers['x-hydrogen-delivery-id']));
        deliveryIdsByRecord.set(recordId, seen);
      }
      assert.deepEqual([...deliveryIdsByRecord.keys()].sort(), [...ids].sort(), 'every committed change arrived');
      for (const [recordId, deliveryIds] of deliveryIdsByRecord) {
        assert.equal(deliveryIds.size, 1, `record ${recordId} arrived under one delivery id`);
      }

      const listed = await eventually(
        () => call(second.url, 'GET', `/webhook/${hook.body.id}/delivery`),
        (r) => r.body.content.every((d: { status: string }) => d.status === 'delivered'),
        30_000,
      );
      assert.equal(listed.body.total_elements, 3);
      for (const delivery of listed.body.content) {
        const [interrupted, ...rest] = delivery.attempts;
        assert.match(interrupted.error, /^interrupted/);
        assert.equal(rest.at(-1).status_code, 200);
      }
    } finally {
      second.child.kill('SIGTERM');
      const [code] = await once(second.child, 'exit');
      assert.equal(code, 0, 'SIGTERM stops the worker and exits cleanly');
    }
  });
});
