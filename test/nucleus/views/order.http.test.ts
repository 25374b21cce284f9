import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startServer, type TestServer } from '../../support/server.ts';
import { post } from './world.ts';

/**
 * The three-security model of rebalance.test.ts through the API: model A 50 %, B 30 %, C 20 %
 * (strategic 40/40/20); the portfolio holds A 60 × 100, B 40 × 50, C 40 × 25 and 1000 in cash,
 * so V = 10000 and the rebalance sells 10 A and buys 20 B and 40 C.
 */
describe('order generation over HTTP', () => {
  let server: TestServer;
  const ids: Record<string, string> = {};
  before(async () => {
    server = await startServer();
    const p = (entity: string, body: object) => post(server, entity, body);
    ids.client = await p('client', { username: 'investor', client_type: 'individual' });
    const type = await p('account_type', { name: 'Managed' });
    ids.account = await p('account', { name: 'Managed', account_type_id: type, clients: [{ client_id: ids.client, client_account_association_type: 'owner' }] });
    ids.model = await p('model', { name: 'Three funds' });
    for (const [ticker, price] of [['A', 100], ['B', 50], ['C', 25], ['CASH', 1]] as const) {
      ids[ticker] = await p('security', { name: `Fund ${ticker}`, ticker });
      await p('security_price', { security_id: ids[ticker], date: '2024-06-28T20:00:00Z', price });
    }
    // An older price must not count.
    await p('security_price', { security_id: ids.A, date: '2024-06-27T20:00:00Z', price: 90 });
    for (const [ticker, current_weight, strategic_weight] of [['A', 50, 40], ['B', 30, 40], ['C', 20, 20]] as const) {
      await p('model_holding', { model_id: ids.model, security_id: ids[ticker], date: '2024-06-01', current_weight, strategic_weight });
    }
    ids.portfolio = await p('portfolio', { name: 'Core', account_id: ids.account, percentage: 100, model_id: ids.model });
    ids.unmodelled = await p('portfolio', { name: 'Side', account_id: ids.account, percentage: 0 });
    for (const [ticker, shares] of [['A', 60], ['B', 40], ['C', 40], ['CASH', 1000]] as const) {
      await p('portfolio_holding', { portfolio_id: ids.portfolio, account_id: ids.account, model_id: ids.model, security_id: ids[ticker], date: '2024-06-28T21:00:00Z', shares });
    }
    ids.buy = await p('transaction_code', { transaction_code: 'BUY', is_buy: true });
    ids.sell = await p('transaction_code', { transaction_code: 'SELL', is_buy: false });
  });
  after(() => server.close());

  const request = () => ({ buy_transaction_code_id: ids.buy, sell_transaction_code_id: ids.sell, cash_sec_id: ids.CASH, use_cash_available: true });
  const ticker = (securityId: string) => Object.keys(ids).find((k) => ids[k] === securityId);
  async function orders(path: string, body: object, status = 200) {
    const result = await server.request('POST', `/nucleus/v1/${path}`, { body });
    assert.equal(result.status, status, JSON.stringify(result.body));
    return result.body as { id?: string; security_id: string; transaction_code_id: string; quantity: number; price: number; amount: number; order_ticket_id: string; order_type: string }[];
  }
  const summary = (list: Awaited<ReturnType<typeof orders>>) =>
    list.map((o) => [o.transaction_code_id === ids.buy ? 'buy' : 'sell', ticker(o.security_id), o.quantity, o.amount]);

  it('proposes the orders that rebalance a drifted portfolio, storing nothing', async () => {
    const proposed = await orders(`portfolio/${ids.portfolio}/order_rebalance`, request());
    assert.deepEqual(summary(proposed), [
      ['sell', 'A', 10, 1000],
      ['buy', 'B', 20, 1000],
      ['buy', 'C', 40, 1000],
    ]);
    assert.equal(new Set(proposed.map((o) => o.order_ticket_id)).size, 1);
    assert.ok(proposed.every((o) => o.order_type === 'rebalance' && !o.id));
    assert.equal((await server.request('GET', '/nucleus/v1/order')).body.total_elements, 0);
  });

  it('rebalances every modelled portfolio of an account, honouring every option', async () => {
    assert.deepEqual(summary(await orders(`account/${ids.account}/order_rebalance`, request())), [
      ['sell', 'A', 10, 1000],
      ['buy', 'B', 20, 1000],
      ['buy', 'C', 40, 1000],
    ]);
    // Strategic targets A 4000, B 4000, C 2000: sell 20 A; buy 40 B and 40 C with 2000 + 1000 of cash.
    assert.deepEqual(summary(await orders(`account/${ids.account}/order_rebalance`, { ...request(), use_strategic: true })), [
      ['sell', 'A', 20, 2000],
      ['buy', 'B', 40, 2000],
      ['buy', 'C', 40, 1000],
    ]);
    assert.deepEqual(summary(await orders(`portfolio/${ids.portfolio}/order_rebalance`, { ...request(), use_cash_available: false })), [
      ['sell', 'A', 10, 1000],
      ['buy', 'B', 10, 500],
      ['buy', 'C', 20, 500],
    ]);
    assert.deepEqual(await orders(`portfolio/${ids.portfolio}/order_rebalance`, { ...request(), port_threshold: 10 }), []);
    assert.deepEqual(summary(await orders(`portfolio/${ids.portfolio}/order_rebalance`, { ...request(), sell_threshold: 1500, buy_threshold: 400 })), [
      ['buy', 'B', 10, 500],
      ['buy', 'C', 20, 500],
    ]);
  });

  it('leaves securities restricted by security_exclusion alone when restrictions are on', async () => {
    await post(server, 'security_exclusion', { client_id: ids.client, account_id: ids.account, security_id: ids.B, is_restrict_buy: true, is_restrict_sell: false });
    assert.deepEqual(summary(await orders(`portfolio/${ids.portfolio}/order_rebalance`, { ...request(), restrictions_on: true })), [
      ['sell', 'A', 10, 1000],
      ['buy', 'C', 40, 1000],
    ]);
    assert.equal((await orders(`portfolio/${ids.portfolio}/order_rebalance`, request())).length, 3, 'restrictions off');
  });

  it('buys only, sells only and sells everything', async () => {
    assert.deepEqual(summary(await orders(`portfolio/${ids.portfolio}/order_buy_only`, request())), [
      ['buy', 'B', 10, 500],
      ['buy', 'C', 20, 500],
    ]);
    assert.deepEqual(summary(await orders(`account/${ids.account}/order_sell_only`, request())), [['sell', 'A', 10, 1000]]);
    const all = await orders(`portfolio/${ids.portfolio}/order_sell_all`, request());
    assert.deepEqual(summary(all), [
      ['sell', 'A', 60, 6000],
      ['sell', 'B', 40, 2000],
      ['sell', 'C', 40, 1000],
    ]);
    assert.ok(all.every((o) => o.order_type === 'sell_all'));
  });

  it('stores the orders with an order_track each when asked to commit them', async () => {
    const stored = await orders(`portfolio/${ids.portfolio}/order_rebalance`, { ...request(), commit_orders: true }, 201);
    assert.equal(stored.length, 3);
    const ticket = stored[0].order_ticket_id;
    const listed = await server.request('GET', `/nucleus/v1/order?filter=${encodeURIComponent(`order_ticket_id==${ticket}`)}`);
    assert.deepEqual(listed.body.content.map((o: { id: string }) => o.id).sort(), stored.map((o) => o.id).sort());
    const sale = listed.body.content.find((o: { transaction_code_id: string }) => o.transaction_code_id === ids.sell);
    assert.deepEqual([sale.security_id, sale.quantity, sale.price, sale.amount, sale.portfolio_id, sale.account_id], [ids.A, 10, 100, 1000, ids.portfolio, ids.account]);
    for (const order of stored) {
      const tracks = await server.request('GET', `/nucleus/v1/order_track?filter=${encodeURIComponent(`order_id==${order.id}`)}`);
      assert.equal(tracks.body.total_elements, 1);
      const status = await server.request('GET', `/nucleus/v1/order_status/${tracks.body.content[0].order_status_id}`);
      assert.equal(status.body.status, 'new');
    }
    // A second commit reuses the "new" status.
    await orders(`portfolio/${ids.portfolio}/order_sell_only`, { ...request(), commit_orders: true }, 201);
    assert.equal((await server.request('GET', '/nucleus/v1/order_status')).body.total_elements, 1);
  });

  it('nets the day\'s stored orders by security into block orders, once', async () => {
    // Stored so far today: sell 10 A, buy 20 B, buy 40 C (rebalance) and sell 10 A (sell_only).
    const today = new Date().toISOString().slice(0, 10);
    const body = { date: `${today}T00:00:00Z`, buy_transaction_code_id: ids.buy, sell_transaction_code_id: ids.sell };
    const blocks = await orders(`client/${ids.client}/order_bulk`, body, 201);
    assert.deepEqual(summary(blocks).sort(), [
      ['buy', 'B', 20, 1000],
      ['buy', 'C', 40, 1000],
      ['sell', 'A', 20, 2000],
    ]);
    const bulkId = (blocks[0] as { order_bulk_id?: string }).order_bulk_id;
    const links = await server.request('GET', `/nucleus/v1/order_bulk?filter=${encodeURIComponent(`order_bulk_id==${bulkId}`)}`);
    assert.equal(links.body.total_elements, 4);
    const marked = await server.request('GET', `/nucleus/v1/order?filter=${encodeURIComponent(`order_bulk_id==${bulkId}`)}&size=50`);
    assert.equal(marked.body.total_elements, 7, 'the four orders taken in and the three blocks');
    assert.deepEqual(await orders(`account/${ids.account}/order_bulk`, body, 201), [], 'nothing left to net');
    const noCode = await server.request('POST', `/nucleus/v1/account/${ids.account}/order_bulk`, { body: { date: '2024-01-01' } });
    assert.equal(noCode.status, 201, 'no orders that day, so no code is needed');
  });

  it('refuses what it cannot do with the field or the reason', async () => {
    const noBuyCode = await server.request('POST', `/nucleus/v1/portfolio/${ids.portfolio}/order_rebalance`, { body: { ...request(), buy_transaction_code_id: undefined } });
    assert.equal(noBuyCode.status, 400);
    assert.equal(noBuyCode.body.field, 'buy_transaction_code_id');
    const unknownCode = await server.request('POST', `/nucleus/v1/portfolio/${ids.portfolio}/order_rebalance`, { body: { ...request(), sell_transaction_code_id: randomUUID() } });
    assert.equal(unknownCode.body.field, 'sell_transaction_code_id');
    const badThreshold = await server.request('POST', `/nucleus/v1/portfolio/${ids.portfolio}/order_rebalance`, { body: { ...request(), port_threshold: 'high' } });
    assert.equal(badThreshold.status, 400);
    assert.equal(badThreshold.body.field, 'port_threshold');
    const unpriced = await post(server, 'security', { name: 'No price', ticker: 'NOP' });
    await post(server, 'portfolio_holding', { portfolio_id: ids.unmodelled, account_id: ids.account, security_id: unpriced, model_id: ids.model, date: '2024-06-28T21:00:00Z', shares: 1 });
    const missing = await server.request('POST', `/nucleus/v1/portfolio/${ids.unmodelled}/order_sell_all`, { body: request() });
    assert.equal(missing.status, 422);
    assert.match(missing.body.message, new RegExp(unpriced));
  });

  it('answers 401 and 404 like any request', async () => {
    const path = `/nucleus/v1/portfolio/${ids.portfolio}/order_rebalance`;
    assert.equal((await server.request('POST', path, { body: request(), token: null })).status, 401);
    assert.equal((await server.request('POST', `/nucleus/v1/portfolio/${randomUUID()}/order_rebalance`, { body: request() })).status, 404);
    assert.equal((await server.request('POST', `/nucleus/v1/account/${randomUUID()}/order_sell_all`, { body: request() })).status, 404);
    const other = await server.otherTenant();
    assert.equal((await server.request('POST', path, { body: request(), token: other.token })).status, 404);
  });
});
