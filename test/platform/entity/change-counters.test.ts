import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { changeCountSql } from '../../../src/platform/entity/change-counters.ts';
import { startServer, type TestServer } from '../../support/server.ts';

describe('entity change counters', () => {
  let server: TestServer;
  const counts = async () => {
    const [row] = await server.db.query<{ rules: string; spending: string }>(
      `SELECT ${changeCountSql('card_rules')} AS rules, ${changeCountSql('card_spending')} AS spending`,
    );
    return `${row.rules},${row.spending}`;
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
    assert.equal(afterCreate.split(',')[1], start.split(',')[1], "the transactions' counter stays");
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

  test('only the tables of entities declared with a counter move one', async () => {
    const triggers = await server.db.query<{ table: string }>(
      `SELECT DISTINCT event_object_table AS table FROM information_schema.triggers WHERE trigger_name LIKE '%_counts_changes' ORDER BY 1`,
    );
    assert.deepEqual(
      triggers.map((t) => t.table),
      ['nucleus_card', 'nucleus_client', 'nucleus_portfolio_transaction', 'nucleus_spending_control', 'proton_card_hold'],
    );
    const before = await counts();
    await server.request('POST', '/nucleus/v1/model', { body: { name: 'Uncounted' } });
    assert.equal(await counts(), before);
  });
});
