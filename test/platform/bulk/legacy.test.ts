import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../../support/server.ts';

describe('legacy bulk paths (/bulk_<entity>)', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  const account = (name: string) => ({ account_name: name, institution_name: 'Bank' });

  it('creates, then updates, and answers with the records in the order sent', async () => {
    const created = await server.request('POST', '/nucleus/v1/bulk_aggregation_account', { body: [account('first'), account('second')] });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    assert.deepEqual(created.body.map((r: { account_name: string }) => r.account_name), ['first', 'second']);
    const [first, second] = created.body;
    assert.equal((await server.request('GET', `/nucleus/v1/aggregation_account/${first.id}`)).status, 200);

    const updated = await server.request('PUT', '/nucleus/v1/bulk_aggregation_account', {
      body: [{ id: second.id, account_name: 'second, renamed' }, { id: first.id, account_holder: 'one' }],
    });
    assert.equal(updated.status, 200, JSON.stringify(updated.body));
    assert.deepEqual(
      updated.body.map((r: { id: string; account_name: string }) => [r.id, r.account_name]),
      [
        [second.id, 'second, renamed'],
        [first.id, 'first'],
      ],
    );
  });

  it('names each refused item, and keeps the others applied', async () => {
    const before = (await server.request('GET', '/nucleus/v1/aggregation_account')).body.total_elements;
    const answer = await server.request('POST', '/nucleus/v1/bulk_aggregation_account', {
      body: [account('kept'), { institution_name: 'Bank' }, account('also kept'), { account_name: 'x', institution_name: 3 }],
    });
    assert.equal(answer.status, 400);
    assert.equal(answer.body.field, 'data[1].account_name');
    assert.deepEqual(
      answer.body.errors.map((e: { field: string }) => e.field),
      ['data[1].account_name', 'data[3].institution_name'],
    );
    assert.match(answer.body.message, /2 of 4 items were refused/);
    const after = (await server.request('GET', '/nucleus/v1/aggregation_account')).body.total_elements;
    assert.equal(after, before + 2);
  });

  it('serves only the methods the specification lists', async () => {
    assert.equal((await server.request('DELETE', '/nucleus/v1/bulk_aggregation_account', { body: [{}] })).status, 405);
    assert.equal((await server.request('POST', '/nucleus/v1/bulk_bank_link', { body: [{}] })).status, 405);
    assert.equal((await server.request('POST', '/nucleus/v1/bulk_aggregation_account', { body: [] })).status, 400);
  });
});
