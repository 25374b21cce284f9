import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../../support/server.ts';
import { finished, pollUntil, type BulkStatus } from './support.ts';

const account = (name: string) => ({ account_name: name, institution_name: 'Bank' });

describe('legacy bulk paths (/bulk_<entity>)', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

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

describe('legacy bulk paths whose job does not finish in time', () => {
  const statusPath = (message: string) => /GET (\/nucleus\/v1\/bulk\/status\/[0-9a-f-]{36})/.exec(message)?.[1];

  it('answers 504 bulk_pending, naming the bulk to follow, when the job outlasts LEGACY_BULK_WAIT_MS', async () => {
    const server = await startServer({ bulkItemDelayMs: 500, legacyBulkWaitMs: 100 });
    try {
      const answer = await server.request('POST', '/nucleus/v1/bulk_aggregation_account', { body: [account('slow')] });
      assert.deepEqual([answer.status, answer.body.code], [504, 'bulk_pending'], JSON.stringify(answer.body));
      const follow = statusPath(answer.body.message);
      assert.ok(follow, answer.body.message);
      const done = await pollUntil(async () => (await server.request<BulkStatus>('GET', follow)).body, finished);
      assert.deepEqual([done.status, done.progress.succeeded], ['Complete', 1], 'the items are applied all the same');
    } finally {
      await server.close();
    }
  });

  it('answers 500 bulk_failed when the job fails for good', async () => {
    const server = await startServer();
    try {
      // A fault no item is to blame for, which retrying cannot cure: the table the items go to is gone.
      await server.db.query('DROP TABLE nucleus_aggregation_account CASCADE');
      const answer = server.request('POST', '/nucleus/v1/bulk_aggregation_account', { body: [account('lost')] });
      await pollUntil(() => server.db.query("SELECT 1 FROM job WHERE kind = 'bulk' AND last_error IS NOT NULL"), (rows) => rows.length === 1);
      // The retries back off over 15 s; as though the first four runs had failed, the next is the last.
      await server.db.query("UPDATE job SET attempts = 4, run_at = CASE WHEN state = 'pending' THEN now() ELSE run_at END WHERE kind = 'bulk'");
      const failed = await answer;
      assert.deepEqual([failed.status, failed.body.code], [500, 'bulk_failed'], JSON.stringify(failed.body));
      const follow = statusPath(failed.body.message);
      assert.ok(follow, failed.body.message);
      assert.equal((await server.request<BulkStatus>('GET', follow)).body.status, 'Failed');
    } finally {
      await server.close();
    }
  });
});
