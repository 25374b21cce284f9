import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../../support/server.ts';
import { isPublicAddress } from '../../../src/platform/webhooks/target.ts';
import { eventually, startReceiver, type Receiver } from './receiver.ts';

describe('webhook targets when private addresses are not allowed', () => {
  let server: TestServer;
  let receiver: Receiver;
  before(async () => {
    server = await startServer({ webhookAllowPrivate: false, webhookTimings: { pollIntervalMs: 50, retryDelaysMs: [60_000] } });
    receiver = await startReceiver();
  });
  after(async () => {
    await server.close();
    await receiver.close();
  });

  const refused = [
    'http://127.0.0.1:8080/hook',
    'http://localhost/hook',
    'http://10.1.2.3/hook',
    'http://172.20.0.1/hook',
    'https://192.168.1.10/hook',
    'http://169.254.169.254/latest/meta-data',
    'http://100.64.0.1/hook',
    'http://0.0.0.0/hook',
    'http://[::1]/hook',
    'http://[fe80::1]/hook',
    'http://[fd00::1]/hook',
    'http://[::ffff:127.0.0.1]/hook',
    'http://[64:ff9b::a00:1]/hook',
  ];

  for (const url of refused) {
    it(`refuses ${url} with a 400 naming url`, async () => {
      const created = await server.request('POST', '/nucleus/v1/webhook', { body: { url, atom_service: ['client'] } });
      assert.equal(created.status, 400, JSON.stringify(created.body));
      assert.equal(created.body.field, 'url');
    });
  }

  it('accepts a public address, and refuses moving it to a private one', async () => {
    // Not subscribed to anything, so nothing is ever sent to this address.
    const created = await server.request('POST', '/nucleus/v1/webhook', { body: { url: 'https://93.184.215.14/hook' } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const moved = await server.request('PUT', `/nucleus/v1/webhook/${created.body.id}`, { body: { url: 'http://192.168.0.1/hook' } });
    assert.equal(moved.status, 400);
    assert.equal(moved.body.field, 'url');
    assert.equal((await server.request('GET', `/nucleus/v1/webhook/${created.body.id}`)).body.url, 'https://93.184.215.14/hook');
  });

  it('checks again at delivery time and records the refusal', async () => {
    const created = await server.request('POST', '/nucleus/v1/webhook', { body: { url: 'https://93.184.215.14/hook', atom_service: ['client'] } });
    assert.equal(created.status, 201);
    // As if the address had been accepted earlier, under another setting or another DNS answer.
    await server.db.query(`UPDATE nucleus_webhook SET doc = jsonb_set(doc, '{url}', to_jsonb($2::text)) WHERE id = $1`, [
      created.body.id,
      receiver.url,
    ]);
    const client = await server.request('POST', '/nucleus/v1/client', { body: { username: 'ssrf@example.com', client_type: 'individual' } });
    assert.equal(client.status, 201);
    const listed = await eventually(
      () => server.request('GET', `/nucleus/v1/webhook/${created.body.id}/delivery`),
      (r) => r.body.content?.[0]?.attempts?.[0]?.error != null,
    );
    const [attempt] = listed.body.content[0].attempts;
    assert.match(attempt.error, /^refused: url 127\.0\.0\.1 is not a public address/);
    assert.equal(attempt.status_code, null);
    assert.equal(listed.body.content[0].status, 'pending', 'a refusal is a failed attempt, retried on schedule');
    assert.equal(receiver.received.length, 0);
  });
});

describe('address classification', () => {
  it('tells public addresses from the rest, IPv4 and IPv6', () => {
    for (const address of ['93.184.215.14', '8.8.8.8', '1.1.1.1', '2606:4700::1111', '2a00:1450:4001::200e']) {
      assert.equal(isPublicAddress(address), true, address);
    }
    for (const address of [
      '127.0.0.1',
      '127.255.255.254',
      '10.0.0.1',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.0.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '255.255.255.255',
      '::',
      '::1',
      'fe80::1',
      'fc00::1',
      'fd12:3456::1',
      'ff02::1',
      '::ffff:10.0.0.1',
      '::ffff:127.0.0.1',
      '64:ff9b::7f00:1',
      '64:ff9b::192.168.0.1',
      '2002:c0a8:0001::1',
      '2002:c0a8::1',
      'not an address',
    ]) {
      assert.equal(isPublicAddress(address), false, address);
    }
  });
});
