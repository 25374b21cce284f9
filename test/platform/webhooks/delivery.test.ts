import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { startServer, type TestServer } from '../../support/server.ts';
import { eventually, startReceiver, type Receiver, type Received } from './receiver.ts';

const FAST = {
  pollIntervalMs: 50,
  requestTimeoutMs: 2_000,
  leaseMs: 4_000,
  retryDelaysMs: [200, 200, 200, 200, 200],
  jitter: 0,
  pauseAfterFailures: 3,
  pauseAfterMs: 0,
};

/** Hydrogen's signature, computed here from its description rather than with the server's code. */
function expectedHydrogenSignature(secret: string, r: Received): string {
  const signed = `${r.headers.date} ${r.headers['content-type']} ${r.headers['content-length']} ${r.body}`;
  return Buffer.from(createHmac('sha256', secret).update(signed).digest('hex')).toString('base64');
}

/** Standard Webhooks' signature as its libraries compute it from a "whsec_" secret. */
function expectedStandardSignature(whsecSecret: string, r: Received): string {
  const key = Buffer.from(whsecSecret.replace(/^whsec_/, ''), 'base64');
  const signed = `${r.headers['webhook-id']}.${r.headers['webhook-timestamp']}.${r.body}`;
  return `v1,${createHmac('sha256', key).update(signed).digest('base64')}`;
}

describe('webhook delivery to a real receiver', () => {
  let server: TestServer;
  const receivers: Receiver[] = [];
  before(async () => {
    server = await startServer({ webhookTimings: FAST });
  });
  after(async () => {
    await server.close();
    for (const receiver of receivers) await receiver.close();
  });

  async function receiver(answer?: Receiver['answer']): Promise<Receiver> {
    const started = await startReceiver(answer);
    receivers.push(started);
    return started;
  }

  async function webhook(url: string, services: string[], extra: Record<string, unknown> = {}) {
    const created = await server.request('POST', '/nucleus/v1/webhook', { body: { url, atom_service: services, ...extra } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    return created.body;
  }

  const username = (label: string) => `${label}-${randomBytes(4).toString('hex')}@example.com`;

  async function client(label: string, extra: Record<string, unknown> = {}) {
    const created = await server.request('POST', '/nucleus/v1/client', {
      body: { username: username(label), client_type: 'individual', ...extra },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    return created.body;
  }

  const forRecord = (id: string) => (r: Received) => JSON.parse(r.body).id === id;

  it('generates a whsec_ secret, returns it, and signs with both schemes', async () => {
    const target = await receiver();
    const hook = await webhook(target.url, ['client']);
    assert.match(hook.secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
    assert.equal(hook.is_active, true);
    assert.equal((await server.request('GET', `/nucleus/v1/webhook/${hook.id}`)).body.secret, hook.secret);

    const record = await client('signed', { password: 'not-in-the-payload' });
    const [delivery] = await target.waitFor(1, forRecord(record.id));
    const h = delivery.headers;
    assert.deepEqual(JSON.parse(delivery.body), record, 'the body is the record as the API returned it');
    assert.equal(h['content-type'], 'application/json');
    assert.equal(Number(h['content-length']), Buffer.byteLength(delivery.body));
    assert.ok(!Number.isNaN(Date.parse(String(h.date))));
    assert.equal(h['x-hydrogen-service'], 'client');
    assert.equal(h['x-deuterium-action'], 'create');
    assert.equal(
      h['x-hydrogen-signature'],
      `headers=date content-type content-length content,algorithm=HMAC_SHA_256,signature=${expectedHydrogenSignature(hook.secret, delivery)}`,
    );
    assert.match(String(h['x-hydrogen-delivery-id']), /^[0-9a-f-]{36}$/);
    assert.equal(h['webhook-id'], h['x-hydrogen-delivery-id']);
    assert.ok(Math.abs(Number(h['webhook-timestamp']) - Date.now() / 1000) < 300);
    assert.equal(h['webhook-signature'], expectedStandardSignature(hook.secret, delivery));
  });

  it('signs with a secret the client chose, and refuses unusable ones', async () => {
    const target = await receiver();
    const own = 'a secret of our own';
    await webhook(target.url, ['client'], { secret: own });
    const record = await client('own-secret');
    const [delivery] = await target.waitFor(1, forRecord(record.id));
    const signature = /signature=(.+)$/.exec(String(delivery.headers['x-hydrogen-signature']))![1];
    assert.equal(signature, expectedHydrogenSignature(own, delivery));
    // Any other secret works with Standard Webhooks libraries as "whsec_" + base64 of its UTF-8 bytes.
    assert.equal(delivery.headers['webhook-signature'], expectedStandardSignature(`whsec_${Buffer.from(own).toString('base64')}`, delivery));

    const short = await server.request('POST', '/nucleus/v1/webhook', { body: { url: target.url, secret: 'whsec_c2hvcnQ=' } });
    assert.equal(short.status, 400);
    assert.equal(short.body.field, 'secret');
    const scheme = await server.request('POST', '/nucleus/v1/webhook', { body: { url: 'ftp://127.0.0.1/x' } });
    assert.equal(scheme.status, 400);
    assert.equal(scheme.body.field, 'url');
    const service = await server.request('POST', '/nucleus/v1/webhook', { body: { url: target.url, atom_service: ['nothing'] } });
    assert.equal(service.status, 400);
    assert.match(service.body.field, /^atom_service/);
  });

  it('retries after a failure with the same delivery id', async () => {
    const target = await receiver((_, index) => ({ status: index === 0 ? 500 : 200 }));
    const hook = await webhook(target.url, ['client']);
    const record = await client('retry');
    const [first, second] = await target.waitFor(2, forRecord(record.id));
    assert.equal(second.headers['x-hydrogen-delivery-id'], first.headers['x-hydrogen-delivery-id']);
    assert.equal(second.headers['webhook-id'], first.headers['webhook-id']);
    assert.equal(second.body, first.body);

    const listed = await eventually(
      () => server.request('GET', `/nucleus/v1/webhook/${hook.id}/delivery`),
      (r) => r.body.content?.[0]?.status === 'delivered',
    );
    assert.equal(listed.status, 200);
    assert.equal(listed.body.total_elements, 1);
    const [delivery] = listed.body.content;
    assert.equal(delivery.id, first.headers['x-hydrogen-delivery-id']);
    assert.equal(delivery.record_id, record.id);
    assert.equal(delivery.service, 'client');
    assert.deepEqual(delivery.attempts.map((a: { status_code: number }) => a.status_code), [500, 200]);
    assert.ok(delivery.attempts.every((a: { latency_ms: number; attempt_date: string }) => a.latency_ms >= 0 && a.attempt_date));
    assert.equal(delivery.next_attempt_date, null);
    assert.ok(delivery.delivered_date);
  });

  it('waits as long as Retry-After asks on a 429', async () => {
    const target = await receiver((_, index) => (index === 0 ? { status: 429, headers: { 'retry-after': '2' } } : { status: 204 }));
    await webhook(target.url, ['client']);
    const record = await client('throttled');
    const [first, second] = await target.waitFor(2, forRecord(record.id));
    assert.equal(second.headers['x-hydrogen-delivery-id'], first.headers['x-hydrogen-delivery-id']);
    // The usual retry here would come after 200 ms; Retry-After asked for 2 s.
    assert.ok(second.receivedAt - first.receivedAt >= 1_900, `retried after ${second.receivedAt - first.receivedAt} ms`);
  });

  it('disables a webhook whose receiver answers 410, and resumes when it is switched back on', async () => {
    let gone = true;
    const target = await receiver(() => ({ status: gone ? 410 : 200 }));
    const hook = await webhook(target.url, ['client']);
    const record = await client('gone');
    await target.waitFor(1, forRecord(record.id));
    const disabled = await eventually(
      () => server.request('GET', `/nucleus/v1/webhook/${hook.id}`),
      (r) => r.body.is_active === false,
    );
    assert.equal(disabled.body.is_active, false);
    const status = await server.request('GET', `/nucleus/v1/webhook/${hook.id}/status`);
    assert.equal(status.body.state, 'disabled');
    assert.equal(status.body.pending_deliveries, 1, 'the refused delivery waits');
    const audits = await server.db.query<{ doc: { request_url: string; request: string } }>(
      `SELECT doc FROM nucleus_audit_log WHERE doc->>'request_url' LIKE 'job:webhook-delivery/%' AND doc->>'request' LIKE '%410 Gone%'`,
    );
    assert.equal(audits.length, 1, 'the server switching the webhook off is audited once');
    const request = JSON.parse(audits[0].doc.request);
    assert.equal(request.actor, 'system');
    assert.match(request.reason, /410 Gone/);
    assert.deepEqual(request.body, { is_active: false });

    const ignored = await client('while-disabled');
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(target.received.filter(forRecord(ignored.id)).length, 0, 'an inactive webhook gets no new events');

    gone = false;
    const reactivated = await server.request('PUT', `/nucleus/v1/webhook/${hook.id}`, { body: { is_active: true } });
    assert.equal(reactivated.status, 200);
    await target.waitFor(2, forRecord(record.id));
    const healthy = await eventually(
      () => server.request('GET', `/nucleus/v1/webhook/${hook.id}/status`),
      (r) => r.body.pending_deliveries === 0,
    );
    assert.equal(healthy.body.state, 'active');
    assert.equal(healthy.body.consecutive_failures, 0);
  });

  it('pauses a webhook that keeps failing and says so', async () => {
    const target = await receiver(() => ({ status: 503 }));
    const hook = await webhook(target.url, ['client']);
    await client('failing');
    const paused = await eventually(
      () => server.request('GET', `/nucleus/v1/webhook/${hook.id}/status`),
      (r) => r.body.state === 'paused',
    );
    assert.equal(paused.body.consecutive_failures, FAST.pauseAfterFailures);
    assert.ok(paused.body.paused_date);
    assert.equal((await server.request('GET', `/nucleus/v1/webhook/${hook.id}`)).body.is_active, false);
    await new Promise((r) => setTimeout(r, 600));
    assert.equal(target.received.length, FAST.pauseAfterFailures, 'nothing is sent while paused');
  });

  it('cancels what was still pending when a webhook is deleted', async () => {
    const target = await receiver(() => ({ status: 500 }));
    const hook = await webhook(target.url, ['client']);
    const record = await client('deleted-hook');
    await target.waitFor(1, forRecord(record.id));
    assert.equal((await server.request('DELETE', `/nucleus/v1/webhook/${hook.id}`)).status, 204);
    const rows = await server.db.query<{ status: string }>('SELECT status FROM webhook_delivery WHERE webhook_id = $1', [hook.id]);
    assert.deepEqual(rows.map((r) => r.status), ['cancelled']);
    const sent = target.received.length;
    await new Promise((r) => setTimeout(r, 600));
    assert.equal(target.received.length, sent);
    assert.equal((await server.request('GET', `/nucleus/v1/webhook/${hook.id}/delivery`)).status, 404);
  });

  it('never delivers a change that rolled back after its event was written', async () => {
    const target = await receiver();
    await webhook(target.url, ['client']);
    // Fails the transaction at COMMIT, after the write hooks (and so the outbox insert) ran.
    await server.db.query(`CREATE FUNCTION refuse_rollback_marker() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.payload LIKE '%rollback-me%' THEN RAISE EXCEPTION 'refused at commit'; END IF;
        RETURN NULL;
      END $$`);
    await server.db.query(`CREATE CONSTRAINT TRIGGER refuse_rollback_marker AFTER INSERT ON webhook_event
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION refuse_rollback_marker()`);
    try {
      const refused = await server.request('POST', '/nucleus/v1/client', {
        body: { username: username('rollback-me'), client_type: 'individual' },
      });
      assert.equal(refused.status, 500);
      const record = await client('committed');
      await target.waitFor(1, forRecord(record.id));
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(target.received.filter((r) => r.body.includes('rollback-me')).length, 0);
      const events = await server.db.query(`SELECT 1 FROM webhook_event WHERE payload LIKE '%rollback-me%'`);
      assert.equal(events.length, 0);
      const clients = await server.db.query(`SELECT 1 FROM nucleus_client WHERE doc->>'username' LIKE 'rollback-me%'`);
      assert.equal(clients.length, 0);
    } finally {
      await server.db.query('DROP TRIGGER refuse_rollback_marker ON webhook_event');
      await server.db.query('DROP FUNCTION refuse_rollback_marker()');
    }
  });

  it('lists deliveries page by page and redelivers one on request', async () => {
    const target = await receiver();
    const hook = await webhook(target.url, ['client']);
    const first = await client('page-1');
    const second = await client('page-2');
    await target.waitFor(1, forRecord(first.id));
    await target.waitFor(1, forRecord(second.id));

    const page = await eventually(
      () => server.request('GET', `/nucleus/v1/webhook/${hook.id}/delivery?size=1&status=delivered`),
      (r) => r.body.total_elements === 2,
    );
    assert.equal(page.body.content.length, 1);
    assert.equal(page.body.total_pages, 2);
    assert.equal(page.body.content[0].record_id, second.id, 'newest first');
    const oldest = await server.request('GET', `/nucleus/v1/webhook/${hook.id}/delivery?size=1&ascending=true`);
    assert.equal(oldest.body.content[0].record_id, first.id);

    const deliveryId = oldest.body.content[0].id;
    const redelivered = await server.request('POST', `/nucleus/v1/webhook/${hook.id}/delivery/${deliveryId}/redeliver`);
    assert.equal(redelivered.status, 202);
    assert.equal(redelivered.body.id, deliveryId);
    const copies = await target.waitFor(2, forRecord(first.id));
    assert.ok(copies.every((r) => r.headers['x-hydrogen-delivery-id'] === deliveryId));
    const one = await eventually(
      () => server.request('GET', `/nucleus/v1/webhook/${hook.id}/delivery/${deliveryId}`),
      (r) => r.body.status === 'delivered' && r.body.attempts.length === 2,
    );
    assert.deepEqual(one.body.attempts.map((a: { attempt_number: number }) => a.attempt_number), [1, 2]);

    const unknown = await server.request('POST', `/nucleus/v1/webhook/${hook.id}/delivery/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}/redeliver`);
    assert.equal(unknown.status, 404);

    assert.equal((await server.request('PUT', `/nucleus/v1/webhook/${hook.id}`, { body: { is_active: false } })).status, 200);
    const inactive = await server.request('POST', `/nucleus/v1/webhook/${hook.id}/delivery/${deliveryId}/redeliver`);
    assert.deepEqual([inactive.status, inactive.body.code, inactive.body.field], [409, 'webhook_inactive', 'is_active']);
  });

  it('refuses to redeliver a delivery while it is being attempted', async () => {
    const target = await receiver(() => 'hang');
    const hook = await webhook(target.url, ['client']);
    const record = await client('busy');
    await target.waitFor(1, forRecord(record.id));
    const [delivery] = (await server.request('GET', `/nucleus/v1/webhook/${hook.id}/delivery`)).body.content;
    const busy = await server.request('POST', `/nucleus/v1/webhook/${hook.id}/delivery/${delivery.id}/redeliver`);
    assert.deepEqual([busy.status, busy.body.code], [409, 'delivery_busy']);
    // A receiver that never answers would hold a delivery worker on every later event.
    assert.equal((await server.request('DELETE', `/nucleus/v1/webhook/${hook.id}`)).status, 204);
  });

  it('raises status and verification events, and delete events, only to subscribers', async () => {
    const everything = await receiver();
    const verifiedOnly = await receiver();
    await webhook(everything.url, ['client', 'client_verified']);
    await webhook(verifiedOnly.url, ['client_verified']);
    const record = await client('verify');
    await server.request('PUT', `/nucleus/v1/client/${record.id}`, { body: { is_verified: true } });
    await server.request('PUT', `/nucleus/v1/client/${record.id}`, { body: { first_name: 'Still verified' } });
    assert.equal((await server.request('DELETE', `/nucleus/v1/client/${record.id}`)).status, 204);

    const all = await everything.waitFor(5, forRecord(record.id));
    const seen = all.map((r) => `${r.headers['x-hydrogen-service']}:${r.headers['x-deuterium-action']}`).sort();
    assert.deepEqual(seen, ['client:create', 'client:delete', 'client:update', 'client:update', 'client_verified:update']);
    const verified = await verifiedOnly.waitFor(1, forRecord(record.id));
    assert.equal(verified[0].headers['x-hydrogen-service'], 'client_verified');
    assert.equal(JSON.parse(verified[0].body).is_verified, true);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(everything.received.filter(forRecord(record.id)).length, 5);
    assert.equal(verifiedOnly.received.filter(forRecord(record.id)).length, 1);
  });

  it('keeps tenants apart and delivery history to administrators', async () => {
    const ours = await receiver();
    const theirs = await receiver();
    const hook = await webhook(ours.url, ['client']);
    const other = await server.otherTenant();
    const created = await server.request('POST', '/nucleus/v1/webhook', {
      token: other.token,
      body: { url: theirs.url, atom_service: ['client'] },
    });
    assert.equal(created.status, 201);
    const record = await client('isolated');
    await ours.waitFor(1, forRecord(record.id));
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(theirs.received.length, 0);
    const foreign = await server.request('GET', `/nucleus/v1/webhook/${hook.id}/delivery`, { token: other.token });
    assert.equal(foreign.status, 404);

    // Inside the tenant, delivery history is administration, like the webhooks themselves.
    const support = await server.credential(['ROLE_SUPPORT']);
    const supportToken = (await server.token(support.clientId, support.clientSecret, { grant_type: 'client_credentials' })).body.access_token;
    for (const [method, path] of [
      ['GET', `/nucleus/v1/webhook/${hook.id}/delivery`],
      ['GET', `/nucleus/v1/webhook/${hook.id}/status`],
      ['POST', `/nucleus/v1/webhook/${hook.id}/delivery/${ours.received[0].headers['x-hydrogen-delivery-id']}/redeliver`],
    ]) {
      assert.equal((await server.request(method, path, { token: supportToken })).status, 403, `${method} ${path}`);
    }
  });
});
