import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startServer, type TestServer } from '../../support/server.ts';
import { CardWorld, create, type Cardholder } from './card-world.ts';

/**
 * On the embedded database card_authorization keeps a card's rules and its holder's holds in
 * memory between decisions (src/proton/card/card-memory.ts). Whatever changes them, through
 * the API or not, must count from the very next decision; on PostgreSQL, which reads them
 * every time, the same expectations hold.
 */
describe('card_authorization sees every change at once', () => {
  let server: TestServer;
  let world: CardWorld;

  before(async () => {
    server = await startServer();
    world = await new CardWorld(server).setUp();
  });
  after(() => server.close());

  const authorize = (holder: Cardholder, amount: number, date: string, extra: Record<string, unknown> = {}) =>
    server.request('POST', '/proton/v1/card_authorization', {
      body: { card_id: holder.card, amount, currency_code: 'USD', date, transaction_type: 'purchase', ...extra },
    });
  const decided = async (holder: Cardholder, amount: number, date: string, extra: Record<string, unknown> = {}) => {
    const answer = await authorize(holder, amount, date, extra);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    return answer.body as { status: string; reason: string; spending_control_id: string | null; authorization_id: string | null };
  };

  test('controls created, changed and deleted through the API, and a client joining a group', async () => {
    const holder = await world.cardholder();
    const day = '2026-07-01T12:00:00Z';
    assert.equal((await decided(holder, 50, day)).status, 'approved');
    const limit = await create(server, 'spending_control', { client_id: holder.client, currency_code: 'USD', control_type: 'spending_limit', control_scope: 'all', limit_value: 60, frequency_unit: 'daily' });
    const over = await decided(holder, 20, day);
    assert.deepEqual([over.status, over.spending_control_id], ['declined', limit]);
    assert.equal((await server.request('PUT', `/nucleus/v1/spending_control/${limit}`, { body: { limit_value: 80 } })).status, 200);
    assert.equal((await decided(holder, 20, day)).status, 'approved');
    assert.equal((await server.request('DELETE', `/nucleus/v1/spending_control/${limit}`)).status, 204);
    assert.equal((await decided(holder, 500, day)).status, 'approved');

    const groupDeny = await create(server, 'spending_control', { client_group: 'blocked-gamers', currency_code: 'USD', control_type: 'deny_list', control_scope: 'mcc', control_values: ['7995'] });
    assert.equal((await decided(holder, 1, day, { merchant_category_code: '7995' })).status, 'approved');
    assert.equal((await server.request('PUT', `/nucleus/v1/client/${holder.client}`, { body: { group: ['blocked-gamers'] } })).status, 200);
    const denied = await decided(holder, 1, day, { merchant_category_code: '7995' });
    assert.deepEqual([denied.reason, denied.spending_control_id], ['deny_list', groupDeny]);
  });

  test('a control or a card changed with SQL outside the API', async () => {
    const holder = await world.cardholder();
    const day = '2026-07-02T12:00:00Z';
    const limit = await create(server, 'spending_control', { client_id: holder.client, currency_code: 'USD', control_type: 'spending_limit', control_scope: 'all', limit_value: 10, frequency_unit: 'daily' });
    assert.equal((await decided(holder, 20, day)).status, 'declined');
    await server.db.query(`UPDATE nucleus_spending_control SET doc = jsonb_set(doc, '{limit_value}', '1000') WHERE id = $1`, [limit]);
    assert.equal((await decided(holder, 20, day)).status, 'approved');
    await server.db.query(`UPDATE nucleus_card SET doc = jsonb_set(doc, '{status}', '"lost"') WHERE id = $1`, [holder.card]);
    assert.equal((await decided(holder, 1, day)).reason, 'inactive_card');
    await server.db.query('DELETE FROM nucleus_card WHERE id = $1', [holder.card]);
    assert.equal((await authorize(holder, 1, day)).status, 404);
  });

  test('holds count until they expire, on later days and on a day before they were first read', async () => {
    const holder = await world.cardholder();
    await create(server, 'spending_control', { client_id: holder.client, currency_code: 'USD', control_type: 'spending_limit', control_scope: 'all', limit_value: 100, frequency_unit: 'monthly' });
    // Read first on the 20th: the holds of the 10th, made afterwards, still count on the 12th.
    assert.equal((await decided(holder, 1, '2026-08-20T12:00:00Z')).status, 'approved');
    assert.equal((await decided(holder, 60, '2026-08-10T12:00:00Z')).status, 'approved');
    assert.equal((await decided(holder, 39, '2026-08-12T12:00:00Z')).status, 'approved');
    // 60 + 39 held on the 12th; the 1 of the 20th is not yet made for that day.
    assert.equal((await decided(holder, 2, '2026-08-12T13:00:00Z')).status, 'declined');
    assert.equal((await decided(holder, 1, '2026-08-12T13:00:00Z')).status, 'approved');
    // On the 18th the hold of the 60 made for the 10th has expired (seven days), 39 + 1 remain.
    assert.equal((await decided(holder, 60, '2026-08-18T12:00:00Z')).status, 'approved');
    assert.equal((await decided(holder, 1, '2026-08-18T13:00:00Z')).status, 'declined');
    // Back in July, none of these holds is made for the day yet.
    assert.equal((await decided(holder, 100, '2026-07-31T12:00:00Z')).status, 'approved');
  });

  test('holds deleted or changed with SQL', async () => {
    const holder = await world.cardholder();
    const day = '2026-10-01';
    await create(server, 'spending_control', { client_id: holder.client, currency_code: 'USD', control_type: 'spending_limit', control_scope: 'all', limit_value: 100, frequency_unit: 'daily' });
    const first = await decided(holder, 60, `${day}T09:00:00Z`);
    assert.equal((await decided(holder, 50, `${day}T10:00:00Z`)).status, 'declined');
    await server.db.query('UPDATE proton_card_hold SET amount_cents = 1000 WHERE id = $1', [first.authorization_id]);
    assert.equal((await decided(holder, 50, `${day}T10:00:00Z`)).status, 'approved');
    await server.db.query('DELETE FROM proton_card_hold WHERE card_id = $1', [holder.card]);
    assert.equal((await decided(holder, 100, `${day}T11:00:00Z`)).status, 'approved');
  });

  test('a card transaction settling a hold, and one posted with SQL', async () => {
    const holder = await world.cardholder();
    const day = '2026-09-01';
    await create(server, 'spending_control', { client_id: holder.client, currency_code: 'USD', control_type: 'spending_limit', control_scope: 'all', limit_value: 100, frequency_unit: 'daily' });
    const held = await decided(holder, 70, `${day}T09:00:00Z`);
    await world.spend(holder, `${day}T09:30:00Z`, 70, { secondary_id: held.authorization_id! });
    assert.equal((await decided(holder, 25, `${day}T10:00:00Z`)).status, 'approved');
    // 70 spent and 25 held leave 5; a transaction of 1 written with SQL leaves 4.
    await server.db.query(
      `INSERT INTO nucleus_portfolio_transaction (tenant_id, id, create_date, update_date, doc)
       SELECT tenant_id, gen_random_uuid(), now(), now(), (doc - 'secondary_id') || '{"amount": 1}' FROM nucleus_portfolio_transaction WHERE doc->>'secondary_id' = $1`,
      [held.authorization_id],
    );
    assert.equal((await decided(holder, 4.5, `${day}T11:00:00Z`)).status, 'declined');
    assert.equal((await decided(holder, 4, `${day}T11:00:00Z`)).status, 'approved');
  });
});
