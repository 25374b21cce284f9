import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { changeCountsSql } from '../../../src/platform/entity/change-counters.ts';
import { startServer, type TestServer } from '../../support/server.ts';

describe('entity change counters', () => {
  let server: TestServer;
  const counts = async () => {
    const [row] = await server.db.query<{ counts: string }>(`SELECT ${changeCountsSql(['nucleus_spending_control', 'nucleus_client'])} AS counts`);
    return row.counts;
  };

  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  test('every write to a counted table moves its counter, whoever makes it; reads do not', async () => {
    const start = await counts();
    assert.match(start, /^\d+,\d+$/);
    const created = await server.request('POST', '/nucleus/v1/spending_control', {
      body: { currency_code: 'USD', control_type: 'deny_list', control_scope: 'mcc', control_values: ['7995'] },
    });
    assert.equal(created.status, 201);
    const afterCreate = await counts();
    assert.notEqual(afterCreate, start);
    assert.equal(afterCreate.split(',')[1], start.split(',')[1], 'the client counter stays');
    await server.request('GET', `/nucleus/v1/spending_control/${created.body.id}`);
    await server.request('GET', '/nucleus/v1/spending_control');
    assert.equal(await counts(), afterCreate);
    await server.request('PUT', `/nucleus/v1/spending_control/${created.body.id}`, { body: { control_values: ['7995', '7801'] } });
    const afterUpdate = await counts();
    assert.notEqual(afterUpdate, afterCreate);
    await server.db.query(`UPDATE nucleus_spending_control SET doc = doc || '{"description": "by hand"}'`);
    const afterSql = await counts();
    assert.notEqual(afterSql, afterUpdate);
    assert.equal((await server.request('DELETE', `/nucleus/v1/spending_control/${created.body.id}`)).status, 204);
    assert.notEqual(await counts(), afterSql);
  });

  test('only entities declared to count changes have a counter', async () => {
    const [row] = await server.db.query<{ card: string | null; model: string | null }>(
      `SELECT to_regclass('nucleus_card_changes')::text AS card, to_regclass('nucleus_model_changes')::text AS model`,
    );
    assert.deepEqual(row, { card: 'nucleus_card_changes', model: null });
  });
});
