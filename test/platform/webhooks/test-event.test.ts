import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import { startServer, type TestServer } from '../../support/server.ts';
import { eventually, startReceiver, type Receiver } from './receiver.ts';

const FAST = { pollIntervalMs: 50, requestTimeoutMs: 2_000, leaseMs: 4_000, retryDelaysMs: [200], jitter: 0 };

describe('POST /nucleus/v1/webhook/{webhook_id}/test', () => {
  let server: TestServer;
  let receiver: Receiver;
  before(async () => {
    server = await startServer({ webhookTimings: FAST });
    receiver = await startReceiver();
  });
  after(async () => {
    await server.close();
    await receiver.close();
  });

  async function webhook(extra: Record<string, unknown> = {}) {
    const created = await server.request('POST', '/nucleus/v1/webhook', { body: { url: receiver.url, atom_service: ['client'], ...extra } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    return created.body;
  }

  const deliveriesOf = async (id: string) => (await server.request('GET', `/nucleus/v1/webhook/${id}/delivery`)).body;

  it('queues a signed test event that is sent and shows in the delivery log', async () => {
    const hook = await webhook();
    const answer = await server.request('POST', `/nucleus/v1/webhook/${hook.id}/test`);
    assert.equal(answer.status, 202, JSON.stringify(answer.body));
    assert.equal(answer.body.service, 'webhook.test');
    assert.equal(answer.body.action, 'test');
    assert.equal(answer.body.entity, 'webhook');
    assert.equal(answer.body.record_id, hook.id);
    assert.equal(answer.body.status, 'pending');

    const [sent] = await receiver.waitFor(1, (r) => r.headers['x-hydrogen-delivery-id'] === answer.body.id);
    assert.equal(sent.headers['x-hydrogen-service'], 'webhook.test');
    assert.equal(sent.headers['x-deuterium-action'], 'test');
    const body = JSON.parse(sent.body);
    assert.equal(body.event, 'webhook.test');
    assert.equal(body.webhook_id, hook.id);
    assert.equal(body.id, answer.body.event_id);
    const signed = `${sent.headers.date} ${sent.headers['content-type']} ${sent.headers['content-length']} ${sent.body}`;
    const expected = Buffer.from(createHmac('sha256', hook.secret).update(signed).digest('hex')).toString('base64');
    assert.match(String(sent.headers['x-hydrogen-signature']), new RegExp(`signature=${expected.replace(/[+/=]/g, '\\$&')}$`));

    // Recorded as delivered in the transaction that settles the job, after the receiver answered: a busy machine can take seconds.
    const log = await eventually(() => deliveriesOf(hook.id), (l) => l.content[0]?.status === 'delivered');
    assert.equal(log.total_elements, 1);
    assert.equal(log.content[0].id, answer.body.id);
    assert.equal(log.content[0].status, 'delivered');
    assert.equal(log.content[0].attempts[0].status_code, 200);
  });

  it('answers 404 for an unknown webhook or one of another tenant, queueing nothing', async () => {
    const unknown = await server.request('POST', `/nucleus/v1/webhook/${randomUUID()}/test`);
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.code, 'not_found');
    const hook = await webhook();
    const other = await server.otherTenant();
    assert.equal((await server.request('POST', `/nucleus/v1/webhook/${hook.id}/test`, { token: other.token })).status, 404);
    assert.equal((await deliveriesOf(hook.id)).total_elements, 0);
  });

  it('is refused to a token that may not change webhooks, and for an inactive webhook, queueing nothing', async () => {
    const hook = await webhook();
    const support = await server.credential(['ROLE_SUPPORT']);
    const supportToken = (await server.token(support.clientId, support.clientSecret, { grant_type: 'client_credentials' })).body.access_token;
    const refused = await server.request('POST', `/nucleus/v1/webhook/${hook.id}/test`, { token: supportToken });
    assert.equal(refused.status, 403);
    assert.equal(typeof refused.body.message, 'string');

    const inactive = await webhook({ is_active: false });
    const paused = await server.request('POST', `/nucleus/v1/webhook/${inactive.id}/test`);
    assert.equal(paused.status, 409);
    assert.equal(paused.body.code, 'webhook_inactive');
    assert.equal(paused.body.field, 'is_active');

    assert.equal((await deliveriesOf(hook.id)).total_elements, 0);
    assert.equal((await deliveriesOf(inactive.id)).total_elements, 0);
    const jobs = await server.db.query<{ n: string }>(`SELECT count(*) AS n FROM job WHERE kind = 'webhook-delivery' AND id IN (SELECT id FROM webhook_delivery WHERE webhook_id = ANY($1::uuid[]))`, [[hook.id, inactive.id]]);
    assert.equal(Number(jobs[0].n), 0);
  });
});
