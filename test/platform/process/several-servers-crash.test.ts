import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { durableStorage, stopServerProcess, type DurableStorage, type RunningServer } from '../../support/process.ts';
import { finished, pollUntil, type BulkStatus } from '../bulk/support.ts';
import { eventually, startReceiver, type Receiver } from '../webhooks/receiver.ts';
import { adminToken, call, pidOfConnection, startServers } from './servers.ts';

const SERVERS = 3;
// Slow enough that a job is still running while the test finds the server running it.
const ITEM_DELAY_MS = 80;

/**
 * Three servers on one database, one of them killed outright while it does background work
 * for all: what it held is taken over by the others, once.
 */
describe(`${SERVERS} servers on one database, one killed with SIGKILL`, () => {
  let storage: DurableStorage;
  let servers: RunningServer[];
  let token: string;
  let receiver: Receiver;
  let answering = false;

  const alive = () => servers.filter((server) => server.child.exitCode === null && server.child.signalCode === null);
  const kill = (server: RunningServer) => stopServerProcess(server, 'SIGKILL');

  before(async () => {
    storage = await durableStorage();
    receiver = await startReceiver(() => (answering ? { status: 200 } : 'hang'));
    servers = await startServers(SERVERS, { ...storage.env, BULK_ITEM_DELAY_MS: String(ITEM_DELAY_MS) });
    token = await adminToken(servers[0]);
  });
  after(async () => {
    await Promise.all((servers ?? []).map((server) => stopServerProcess(server)));
    await receiver?.close();
    await storage?.dispose();
  });

  it('loses no webhook event when the server delivering it dies mid-delivery; a repeat only under the same delivery id', async (t) => {
    const hook = await call(servers[0], token, 'POST', '/nucleus/v1/webhook', { url: receiver.url, atom_service: ['client'] });
    assert.equal(hook.status, 201, JSON.stringify(hook.body));
    const created = await Promise.all(
      Array.from({ length: 9 }, (_, i) => call(servers[i % SERVERS], token, 'POST', '/nucleus/v1/client', { username: `crash-${i}-${randomUUID()}@example.com`, client_type: 'individual' })),
    );
    const ids = created.map((c) => c.body.id as string).sort();
    // Every delivery is on the wire, none answered: the receiver holds them all.
    const inFlight = await receiver.waitFor(ids.length, undefined, 30_000);
    const pids = servers.map((server) => server.child.pid!);
    const senders = inFlight.map((request) => pidOfConnection(request.remotePort, pids));
    assert.ok(senders.every((pid) => pid !== undefined), `every delivery's sender found: ${senders.join(' ')}`);
    const busiest = pids.reduce((a, b) => (senders.filter((p) => p === b).length > senders.filter((p) => p === a).length ? b : a));
    const victim = servers[pids.indexOf(busiest)];
    const lostWithIt = inFlight.filter((_, i) => senders[i] === busiest).map((r) => JSON.parse(r.body).id as string);
    t.diagnostic(`in flight per server: ${pids.map((pid) => senders.filter((p) => p === pid).length).join(', ')}; killed ${victim.url}`);
    await kill(victim);
    const killedAt = receiver.received.length;
    answering = true;

    // The dead server's leases run out (25 s) and the others deliver what it held; what they
    // held themselves times out (15 s) and is retried.
    const survivor = alive()[0];
    const listed = await eventually(
      () => call(survivor, token, 'GET', `/nucleus/v1/webhook/${hook.body.id}/delivery?size=50`),
      (r) => r.body.total_elements === ids.length && r.body.content.every((d: { status: string }) => d.status === 'delivered'),
      90_000,
    );
    assert.equal(listed.body.total_elements, ids.length);
    const deliveryIdsByRecord = new Map<string, Set<string>>();
    for (const request of receiver.received) {
      const recordId = JSON.parse(request.body).id as string;
      deliveryIdsByRecord.set(recordId, (deliveryIdsByRecord.get(recordId) ?? new Set()).add(String(request.headers['x-hydrogen-delivery-id'])));
    }
    assert.deepEqual([...deliveryIdsByRecord.keys()].sort(), ids, 'every event arrived');
    for (const [recordId, deliveryIds] of deliveryIdsByRecord) assert.equal(deliveryIds.size, 1, `record ${recordId} arrived under one delivery id`);
    const redelivered = receiver.received.slice(killedAt).map((r) => JSON.parse(r.body).id as string);
    for (const id of lostWithIt) assert.ok(redelivered.includes(id), `${id}, in flight on the killed server, was delivered again by another`);
    for (const delivery of listed.body.content) assert.equal(delivery.attempts.at(-1).status_code, 200);
  });

  it('applies a bulk job once when the server running it dies and another takes it over', async (t) => {
    const live = alive();
    const prefix = `takeover-${randomUUID()}`;
    const submitted = await call(live[0], token, 'POST', '/nucleus/v1/bulk/account_type', Array.from({ length: 100 }, (_, i) => ({ name: `${prefix} ${i}` })));
    assert.equal(submitted.status, 200, JSON.stringify(submitted.body));
    const id = submitted.body.id as string;
    const status = async (server: RunningServer) => (await call(server, token, 'GET', `/nucleus/v1/bulk/status/${id}`)).body as BulkStatus;
    await pollUntil(() => status(live[0]), (s) => s.progress.processed >= 10);

    // The server running the job is the one whose pause pauses the job.
    let runner: RunningServer | undefined;
    for (const candidate of live) {
      const observer = live.find((server) => server !== candidate)!;
      candidate.child.kill('SIGSTOP');
      const before = (await status(observer)).progress.processed;
      await sleep(1_500);
      const after = (await status(observer)).progress.processed;
      if (after - before <= 1) {
        runner = candidate;
        break;
      }
      candidate.child.kill('SIGCONT');
    }
    assert.ok(runner, 'one of the servers runs the job');
    const killedAt = (await status(live.find((server) => server !== runner)!)).progress.processed;
    assert.ok(killedAt < 100, `killed half-way: ${killedAt} done`);
    t.diagnostic(`killed ${runner.url}, the job's runner, ${killedAt} items in`);
    await kill(runner);

    // Its lease (10 s) runs out, and a survivor takes the job up where it stopped.
    const survivor = alive()[0];
    const done = await pollUntil(() => status(survivor), finished, 60_000);
    assert.equal(done.status, 'Complete');
    assert.deepEqual(done.progress, { total: 100, processed: 100, succeeded: 100, failed: 0 });
    const listed = await call(survivor, token, 'GET', `/nucleus/v1/account_type?size=500&filter=${encodeURIComponent(`name=like="${prefix}*"`)}`);
    assert.equal(listed.body.total_elements, 100, 'each item applied once');
    assert.deepEqual(new Set(listed.body.content.map((r: { id: string }) => r.id)), new Set(Object.values(done.success).map((s) => s.id)));
  });
});
