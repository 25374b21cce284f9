import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, startServer, type TestServer } from '../../support/server.ts';
import { post } from './world.ts';

/**
 * Model M, worth 1000 (model_asset_size), holds X 60 % and Y 40 %; X is priced 10, Y 20, Z 25.
 * A portfolio following M holds 100 X (1000).
 */
describe('POST /model/{model_id}/model_change', () => {
  let server: TestServer;
  const ids: Record<string, string> = {};
  let annToken: string;
  before(async () => {
    server = await startServer();
    const p = (entity: string, body: object) => post(server, entity, body);
    ids.M = await p('model', { name: 'Balanced' });
    ids.small = await p('model', { name: 'Unsized' });
    ids.empty = await p('model', { name: 'Not yet composed' });
    for (const [ticker, price] of [['X', 10], ['Y', 20], ['Z', 25]] as const) {
      ids[ticker] = await p('security', { name: `Fund ${ticker}`, ticker });
      await p('security_price', { security_id: ids[ticker], date: '2024-01-01T20:00:00Z', price });
    }
    ids.unpriced = await p('security', { name: 'No price', ticker: 'NOP' });
    await p('model_asset_size', { model_id: ids.M, date: '2024-01-01', asset_size: 1000 });
    for (const [ticker, weight] of [['X', 60], ['Y', 40]] as const) {
      await p('model_holding', { model_id: ids.M, security_id: ids[ticker], date: '2024-01-01', current_weight: weight, strategic_weight: weight });
    }
    await p('model_holding', { model_id: ids.small, security_id: ids.X, date: '2024-01-01', current_weight: 33, strategic_weight: 33 });
    ids.buy = await p('transaction_code', { transaction_code: 'BUY', is_buy: true });
    ids.sell = await p('transaction_code', { transaction_code: 'SELL', is_buy: false });
    ids.ann = await p('client', { username: 'ann@example.com', client_type: 'individual' });
    const type = await p('account_type', { name: 'Managed' });
    ids.A = await p('account', { name: 'Ann', account_type_id: type, clients: [{ client_id: ids.ann, client_account_association_type: 'owner' }] });
    ids.P = await p('portfolio', { name: 'Core', account_id: ids.A, percentage: 100, model_id: ids.M });
    await p('portfolio_holding', { portfolio_id: ids.P, account_id: ids.A, model_id: ids.M, security_id: ids.X, date: '2024-01-02T00:00:00Z', shares: 100 });

    const password = 'ann-has-a-long-password';
    assert.equal((await server.request('PUT', `/nucleus/v1/client/${ids.ann}`, { body: { password, authorities: ['ROLE_CLIENT'] } })).status, 200);
    annToken = (await server.token(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, { grant_type: 'password', username: 'ann@example.com', password })).body.access_token;
  });
  after(() => server.close());

  const ticker = (securityId: string) => Object.keys(ids).find((k) => ids[k] === securityId);
  type Txn = { security_id: string; transaction_code_id: string; shares: number; price: number; date: string };
  const summary = (list: Txn[]) => list.map((t) => [ticker(t.security_id), t.transaction_code_id === ids.buy ? 'buy' : 'sell', t.shares, t.price]);
  const change = (modelId: string, body: object, token?: string | null) => server.request('POST', `/nucleus/v1/model/${modelId}/model_change`, { body, ...(token !== undefined ? { token } : {}) });

  it('records a first composition as the buys that build it, once', async () => {
    const first = await change(ids.M, {});
    assert.equal(first.status, 201, JSON.stringify(first.body));
    // 60 % of 1000 in X at 10, 40 % in Y at 20.
    assert.deepEqual(summary(first.body), [['X', 'buy', 60, 10], ['Y', 'buy', 20, 20]]);
    assert.ok(first.body.every((t: Txn) => t.date === '2024-01-01'));
    const stored = await server.request('GET', `/nucleus/v1/model_transaction?filter=${encodeURIComponent(`model_id==${ids.M}`)}`);
    assert.equal(stored.body.total_elements, 2);
    const again = await change(ids.M, {});
    assert.deepEqual([again.status, again.body.code], [409, 'already_recorded']);
  });

  it('stores new holdings, trades the difference and makes rebalancing target them', async () => {
    const result = await change(ids.M, { date: '2024-02-01', holdings: [{ security_id: ids.X, current_weight: 50, strategic_weight: 50 }, { security_id: ids.Z, current_weight: 50, strategic_weight: 50 }] });
    assert.equal(result.status, 201, JSON.stringify(result.body));
    assert.deepEqual(summary(result.body).sort(), [['X', 'sell', 10, 10], ['Y', 'sell', 20, 20], ['Z', 'buy', 20, 25]]);
    const holdings = await server.request('GET', `/nucleus/v1/model_holding?filter=${encodeURIComponent(`model_id==${ids.M};date==2024-02-01`)}`);
    assert.deepEqual(holdings.body.content.map((h: { security_id: string; current_weight: number }) => [ticker(h.security_id), h.current_weight]).sort(), [['X', 50], ['Y', 0], ['Z', 50]]);
    const orders = await server.request('POST', `/nucleus/v1/portfolio/${ids.P}/order_rebalance`, { body: { buy_transaction_code_id: ids.buy, sell_transaction_code_id: ids.sell } });
    assert.equal(orders.status, 200, JSON.stringify(orders.body));
    assert.deepEqual(orders.body.map((o: { security_id: string; quantity: number }) => [ticker(o.security_id), o.quantity]), [['X', 50], ['Z', 20]]);
  });

  it('trades a notional 100 when the model has no asset size, in whole shares with non_fractional', async () => {
    const fractional = await change(ids.small, { holdings: [{ security_id: ids.X, current_weight: 66, strategic_weight: 66 }], date: '2024-03-01', non_fractional: true });
    assert.equal(fractional.status, 201, JSON.stringify(fractional.body));
    // 33 percentage points of 100 at 10: 3.3 shares, 3 whole.
    assert.deepEqual(summary(fractional.body), [['X', 'buy', 3, 10]]);
  });

  it('refuses bad input naming the field', async () => {
    const line = (security_id: string, current_weight = 10) => ({ security_id, current_weight, strategic_weight: current_weight });
    const unknown = await change(ids.M, { holdings: [line(randomUUID())] });
    assert.deepEqual([unknown.status, unknown.body.field], [400, 'holdings[0].security_id']);
    const over = await change(ids.M, { holdings: [line(ids.X, 70), line(ids.Y, 40)] });
    assert.deepEqual([over.status, over.body.field], [400, 'holdings']);
    const twice = await change(ids.M, { holdings: [line(ids.X), line(ids.X)] });
    assert.deepEqual([twice.status, twice.body.field], [400, 'holdings[1].security_id']);
    const badCode = await change(ids.M, { holdings: [line(ids.X, 100)], buy_transaction_code_id: randomUUID() });
    assert.deepEqual([badCode.status, badCode.body.field], [400, 'buy_transaction_code_id']);
    const badWeight = await change(ids.M, { holdings: [{ security_id: ids.X, current_weight: 'half', strategic_weight: 50 }] });
    assert.equal(badWeight.status, 400);
    const unpriced = await change(ids.M, { holdings: [line(ids.unpriced, 100)] });
    assert.deepEqual([unpriced.status, unpriced.body.code], [422, 'missing_price']);
    assert.equal((await server.request('GET', `/nucleus/v1/model_holding?filter=${encodeURIComponent(`security_id==${ids.unpriced}`)}`)).body.total_elements, 0, 'nothing written');
  });

  it('has nothing to record for a model without holdings', async () => {
    const result = await change(ids.empty, {});
    assert.deepEqual([result.status, result.body.code], [422, 'no_holdings']);
  });

  it('answers 404 for models out of reach and 403 to a client, who may not change models', async () => {
    assert.equal((await change(randomUUID(), {})).status, 404);
    const other = await server.otherTenant();
    assert.equal((await change(ids.M, {}, other.token)).status, 404);
    assert.equal((await change(ids.small, { holdings: [] }, annToken)).status, 403);
    assert.equal((await change(ids.M, {}, null)).status, 401);
  });
});
