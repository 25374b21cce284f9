import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { startServer, type TestServer } from '../../support/server.ts';
import { post } from '../../nucleus/views/world.ts';
import { checkEndpoint } from '../calculators/endpoint-checks.ts';

/**
 * Model A 50 %, B 30 %, C 20 %, with CASH as its is_cash holding; the portfolio holds A 60 × 100,
 * B 40 × 50, C 40 × 25 and 1000 in cash, so V = 10000: A is 1000 over its 5000, B 1000 under
 * its 3000 and C 1000 under its 2000. Rebalancing sells 10 A and, with the 1000 of proceeds
 * and 1000 of spare cash, buys 20 B and 40 C.
 */
describe('order_rebalance', () => {
  let server: TestServer;
  const ids: Record<string, string> = {};
  before(async () => {
    server = await startServer();
    const p = (entity: string, body: object) => post(server, entity, body);
    for (const name of ['owner', 'outsider']) {
      ids[name] = await p('client', { username: `${name}@orders.test`, client_type: 'individual', password: `${name}-Pass-word-1`, authorities: ['ROLE_CLIENT'] });
    }
    const type = await p('account_type', { name: 'Managed' });
    ids.account = await p('account', { name: 'Managed', account_type_id: type, clients: [{ client_id: ids.owner, client_account_association_type: 'owner' }] });
    ids.model = await p('model', { name: 'Three funds' });
    for (const [ticker, price] of [['A', 100], ['B', 50], ['C', 25], ['CASH', 1]] as const) {
      ids[ticker] = await p('security', { name: `Fund ${ticker}`, ticker });
      await p('security_price', { security_id: ids[ticker], date: '2026-06-26T20:00:00Z', price });
    }
    for (const [ticker, weight] of [['A', 50], ['B', 30], ['C', 20], ['CASH', 0]] as const) {
      await p('model_holding', { model_id: ids.model, security_id: ids[ticker], date: '2026-06-01', current_weight: weight, strategic_weight: weight, is_cash: ticker === 'CASH' });
    }
    ids.portfolio = await p('portfolio', { name: 'Core', account_id: ids.account, percentage: 100, model_id: ids.model });
    for (const [ticker, shares] of [['A', 60], ['B', 40], ['C', 40], ['CASH', 1000]] as const) {
      await p('portfolio_holding', { portfolio_id: ids.portfolio, account_id: ids.account, model_id: ids.model, security_id: ids[ticker], date: '2026-06-26T21:00:00Z', shares });
    }
    ids.buy = await p('transaction_code', { transaction_code: 'BUY', is_buy: true });
    ids.sell = await p('transaction_code', { transaction_code: 'SELL', is_buy: false });
  });
  after(async () => {
    await server.close();
  });

  const request = (extra: object = {}) => ({ account_id: ids.account, order_scope: 'all', buy_transaction_code_id: ids.buy, sell_transaction_code_id: ids.sell, use_cash_available: true, ...extra });
  const ticker = (securityId: string) => Object.keys(ids).find((k) => ids[k] === securityId);
  const summary = (orders: { security_id: string; transaction_code_id: string; quantity: number; amount: number }[]) =>
    orders.map((o) => [o.transaction_code_id === ids.buy ? 'buy' : 'sell', ticker(o.security_id), o.quantity, o.amount]);
  async function orders(body: object) {
    const result = await server.request('POST', '/proton/v1/order_rebalance', { body });
    assert.equal(result.status, 200, JSON.stringify(result.body));
    return result.body;
  }

  test('sells what is over target and buys what is under', async () => {
    const body = await checkEndpoint(server, '/order_rebalance', request(), { body: request({ order_scope: 'some' }), field: 'order_scope' });
    assert.deepEqual(summary(body.orders), [
      ['sell', 'A', 10, 1000],
      ['buy', 'B', 20, 1000],
      ['buy', 'C', 40, 1000],
    ]);
    assert.equal(body.committed, false);
    assert.equal(new Set(body.orders.map((o: { order_ticket_id: string }) => o.order_ticket_id)).size, 1);
    assert.deepEqual(summary((await orders(request({ portfolio_id: ids.portfolio, account_id: undefined }))).orders), summary(body.orders));
  });

  test('order_scope and the thresholds', async () => {
    assert.deepEqual(summary((await orders(request({ order_scope: 'sell_only' }))).orders), [['sell', 'A', 10, 1000]]);
    // Only the 1000 of spare cash for the 2000 wanted: each buy is halved.
    assert.deepEqual(summary((await orders(request({ order_scope: 'buy_only' }))).orders), [
      ['buy', 'B', 10, 500],
      ['buy', 'C', 20, 500],
    ]);
    // A is 10 points off target, so a threshold of 10 points leaves the portfolio alone.
    assert.deepEqual((await orders(request({ port_threshold: 10 }))).orders, []);
    assert.deepEqual(summary((await orders(request({ sell_threshold: 1001 }))).orders), [
      ['buy', 'B', 10, 500],
      ['buy', 'C', 20, 500],
    ]);
  });

  test('refusals name the field', async () => {
    const noCode = await server.request('POST', '/proton/v1/order_rebalance', { body: request({ buy_transaction_code_id: undefined }) });
    assert.equal(noCode.status, 400);
    assert.equal(noCode.body.field, 'buy_transaction_code_id');
    const nothing = await server.request('POST', '/proton/v1/order_rebalance', { body: { order_scope: 'all' } });
    assert.equal(nothing.status, 400);
    assert.equal(nothing.body.field, 'account_id');
  });

  test("another client's account is a 404 for a client login and for another tenant", async () => {
    const login = await server.token('test-admin', 'test-admin-secret', { grant_type: 'password', username: 'outsider@orders.test', password: 'outsider-Pass-word-1' });
    const foreign = await server.request('POST', '/proton/v1/order_rebalance', { token: login.body.access_token, body: request() });
    assert.equal(foreign.status, 404);
    const other = await server.otherTenant();
    const otherTenant = await server.request('POST', '/proton/v1/order_rebalance', { token: other.token, body: request({ portfolio_id: ids.portfolio }) });
    assert.equal(otherTenant.status, 404);
    const unknownAccount = await server.request('POST', '/proton/v1/order_rebalance', { body: request({ portfolio_id: ids.portfolio, account_id: randomUUID() }) });
    assert.equal(unknownAccount.status, 404);
  });
});
