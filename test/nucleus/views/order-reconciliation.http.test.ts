import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, startServer, type TestServer } from '../../support/server.ts';
import { post } from './world.ts';

/**
 * Ann's portfolio PA holds 10 X; Bob's PB holds 5 Y. X is priced 10, Y 20. Today Ann ordered
 * 4 Y (filled 3 at 21 by its track) and sold 2 X; Bob ordered 1 X (filled 1.5 by its track).
 */
describe('firm-wide order_bulk and order_reconciliation', () => {
  let server: TestServer;
  const ids: Record<string, string> = {};
  let annToken: string;
  const today = new Date().toISOString().slice(0, 10);
  before(async () => {
    server = await startServer();
    const p = (entity: string, body: object) => post(server, entity, body);
    ids.ann = await p('client', { username: 'ann@example.com', client_type: 'individual' });
    ids.bob = await p('client', { username: 'bob@example.com', client_type: 'individual' });
    ids.type = await p('account_type', { name: 'Managed' });
    const owner = (client_id: string) => [{ client_id, client_account_association_type: 'owner' }];
    ids.A = await p('account', { name: 'Ann', account_type_id: ids.type, clients: owner(ids.ann) });
    ids.B = await p('account', { name: 'Bob', account_type_id: ids.type, clients: owner(ids.bob) });
    ids.model = await p('model', { name: 'Two funds' });
    for (const [ticker, price] of [['X', 10], ['Y', 20]] as const) {
      ids[ticker] = await p('security', { name: `Fund ${ticker}`, ticker });
      await p('security_price', { security_id: ids[ticker], date: '2024-06-28T20:00:00Z', price });
    }
    ids.PA = await p('portfolio', { name: 'PA', account_id: ids.A, percentage: 100, model_id: ids.model });
    ids.PB = await p('portfolio', { name: 'PB', account_id: ids.B, percentage: 100, model_id: ids.model });
    const hold = (portfolio_id: string, account_id: string, security_id: string, shares: number) =>
      p('portfolio_holding', { portfolio_id, account_id, model_id: ids.model, security_id, date: '2024-06-01T00:00:00Z', shares });
    await hold(ids.PA, ids.A, ids.X, 10);
    await hold(ids.PB, ids.B, ids.Y, 5);
    ids.buy = await p('transaction_code', { transaction_code: 'BUY', is_buy: true });
    ids.sell = await p('transaction_code', { transaction_code: 'SELL', is_buy: false });
    ids.filled = await p('order_status', { status: 'filled', description: 'Executed' });
    const order = (portfolio_id: string, account_id: string, security_id: string, code: string, quantity: number, price: number) =>
      p('order', { date: today, order_ticket_id: randomUUID(), portfolio_id, account_id, model_id: ids.model, security_id, transaction_code_id: code, quantity, price, amount: quantity * price });
    ids.o1 = await order(ids.PA, ids.A, ids.Y, ids.buy, 4, 20);
    ids.o2 = await order(ids.PA, ids.A, ids.X, ids.sell, 2, 10);
    ids.o3 = await order(ids.PB, ids.B, ids.X, ids.buy, 1, 10);
    ids.t1 = await p('order_track', { order_id: ids.o1, order_status_id: ids.filled, date: today, quantity: 3, price: 21 });
    ids.t3 = await p('order_track', { order_id: ids.o3, order_status_id: ids.filled, date: today, quantity: 1.5, price: 10 });

    const password = 'ann-has-a-long-password';
    assert.equal((await server.request('PUT', `/nucleus/v1/client/${ids.ann}`, { body: { password, authorities: ['ROLE_CLIENT'] } })).status, 200);
    const login = await server.token(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, { grant_type: 'password', username: 'ann@example.com', password });
    annToken = login.body.access_token;
  });
  after(() => server.close());

  const ticker = (securityId: string) => (securityId === ids.X ? 'X' : securityId === ids.Y ? 'Y' : securityId);
  const codes = () => ({ buy_transaction_code_id: ids.buy, sell_transaction_code_id: ids.sell });

  it('nets the firm\'s orders of the day, or one account\'s, into block orders', async () => {
    const narrowed = await server.request('POST', '/nucleus/v1/order_bulk', { body: { date: today, account_id: ids.A, ...codes() } });
    assert.equal(narrowed.status, 201, JSON.stringify(narrowed.body));
    const summary = (blocks: { security_id: string; transaction_code_id: string; quantity: number }[]) =>
      blocks.map((b) => [ticker(b.security_id), b.transaction_code_id === ids.buy ? 'buy' : 'sell', b.quantity]).sort();
    assert.deepEqual(summary(narrowed.body), [['X', 'sell', 2], ['Y', 'buy', 4]]);
    const rest = await server.request('POST', '/nucleus/v1/order_bulk', { body: { date: `${today}T00:00:00Z`, ...codes() } });
    assert.deepEqual(summary(rest.body), [['X', 'buy', 1]], "only Bob's order was left");
    const links = await server.request('GET', `/nucleus/v1/order_bulk?filter=${encodeURIComponent(`order_id==${ids.o3}`)}`);
    assert.equal(links.body.total_elements, 1);
    const unknown = await server.request('POST', '/nucleus/v1/order_bulk', { body: { date: today, client_id: randomUUID() } });
    assert.deepEqual([unknown.status, unknown.body.field], [400, 'client_id']);
    const noDate = await server.request('POST', '/nucleus/v1/order_bulk', { body: {} });
    assert.deepEqual([noDate.status, noDate.body.field], [400, 'date']);
    const bobs = await server.request('POST', '/nucleus/v1/order_bulk', { body: { date: today, account_id: ids.B }, token: annToken });
    assert.deepEqual([bobs.status, bobs.body.field], [400, 'account_id'], "a client cannot name another client's account");
    const other = await server.otherTenant();
    const foreign = await server.request('POST', '/nucleus/v1/order_bulk', { body: { date: today }, token: other.token });
    assert.deepEqual([foreign.status, foreign.body], [201, []], "another tenant sees none of these orders");
  });

  it('books the tracks named into transactions, a holdings snapshot and an asset size, reporting what is unfilled', async () => {
    const result = await server.request('POST', `/nucleus/v1/portfolio/${ids.PA}/order_reconciliation`, { body: { order_track_ids: [ids.t1] } });
    assert.equal(result.status, 201, JSON.stringify(result.body));
    assert.deepEqual([result.body.account_id, result.body.portfolio_id], [[ids.A], [ids.PA]]);
    assert.equal(result.body.portfolio_transaction_id.length, 1);
    assert.equal(result.body.portfolio_holding_id.length, 2);
    assert.equal(result.body.portfolio_asset_size_id.length, 1);
    const lines = result.body.securities.map((s: Record<string, number | string>) => [ticker(String(s.security_id)), s.ordered_shares, s.filled_shares, s.unfilled_shares, s.ordered_amount, s.filled_amount, s.held_shares, s.reconciled_shares]).sort();
    assert.deepEqual(lines, [
      ['X', 0, 0, 0, 0, 0, 10, 10],
      ['Y', 4, 3, 1, 80, 63, 0, 3],
    ]);
    const transaction = (await server.request('GET', `/nucleus/v1/portfolio_transaction/${result.body.portfolio_transaction_id[0]}`)).body;
    assert.deepEqual([transaction.security_id, transaction.quantity, transaction.price, transaction.amount, transaction.transaction_code_id], [ids.Y, 3, 21, 63, ids.buy]);
    const size = (await server.request('GET', `/nucleus/v1/portfolio_asset_size/${result.body.portfolio_asset_size_id[0]}`)).body;
    assert.deepEqual([size.asset_size, size.cash_flow], [160, 0], '10 X at 10 and 3 Y at 20');
    const holding = await server.request('GET', `/nucleus/v1/account/${ids.A}/holding?get_latest=true`);
    assert.deepEqual(holding.body.content.map((h: { security_id: string; shares: number }) => [ticker(h.security_id), h.shares]).sort(), [['X', 10], ['Y', 3]]);
  });

  it("books an account's remaining orders once, then has nothing left", async () => {
    const result = await server.request('POST', `/nucleus/v1/account/${ids.A}/order_reconciliation`, { body: {} });
    assert.equal(result.status, 201, JSON.stringify(result.body));
    assert.equal(result.body.portfolio_transaction_id.length, 1, 'the sale of X; the buy of Y is booked already');
    assert.deepEqual(result.body.securities.map((s: { security_id: string; reconciled_shares: number }) => [ticker(s.security_id), s.reconciled_shares]).sort(), [['X', 8], ['Y', 3]]);
    const again = await server.request('POST', `/nucleus/v1/account/${ids.A}/order_reconciliation`, { body: {} });
    assert.deepEqual([again.status, again.body.portfolio_transaction_id, again.body.securities], [200, [], []]);
  });

  it('books whole shares with non_fractional', async () => {
    const result = await server.request('POST', `/nucleus/v1/portfolio/${ids.PB}/order_reconciliation`, { body: { non_fractional: true, order_track_ids: [ids.t3] } });
    assert.equal(result.status, 201, JSON.stringify(result.body));
    const x = result.body.securities.find((s: { security_id: string }) => s.security_id === ids.X);
    assert.deepEqual([x.ordered_shares, x.filled_shares, x.unfilled_shares, x.reconciled_shares], [1, 1, 0, 1]);
  });

  it('refuses bad input naming the field', async () => {
    const unknown = await server.request('POST', `/nucleus/v1/portfolio/${ids.PA}/order_reconciliation`, { body: { order_track_ids: [randomUUID()] } });
    assert.deepEqual([unknown.status, unknown.body.field], [400, 'order_track_ids']);
    const elsewhere = await server.request('POST', `/nucleus/v1/portfolio/${ids.PA}/order_reconciliation`, { body: { order_track_ids: [ids.t3] } });
    assert.deepEqual([elsewhere.status, elsewhere.body.field], [400, 'order_track_ids']);
    const narrowing = await server.request('POST', `/nucleus/v1/account/${ids.A}/order_reconciliation`, { body: { portfolio_id: ids.PB } });
    assert.deepEqual([narrowing.status, narrowing.body.field], [400, 'portfolio_id']);
    const badFlag = await server.request('POST', `/nucleus/v1/account/${ids.A}/order_reconciliation`, { body: { non_fractional: 'yes' } });
    assert.deepEqual([badFlag.status, badFlag.body.field], [400, 'non_fractional']);
  });

  it("lets a client reconcile its own portfolios only; other tenants get 404", async () => {
    const own = await server.request('POST', `/nucleus/v1/portfolio/${ids.PA}/order_reconciliation`, { body: {}, token: annToken });
    assert.equal(own.status, 200, JSON.stringify(own.body));
    assert.equal((await server.request('POST', `/nucleus/v1/portfolio/${ids.PB}/order_reconciliation`, { body: {}, token: annToken })).status, 404);
    assert.equal((await server.request('POST', `/nucleus/v1/account/${ids.B}/order_reconciliation`, { body: {}, token: annToken })).status, 404);
    const other = await server.otherTenant();
    assert.equal((await server.request('POST', `/nucleus/v1/account/${ids.A}/order_reconciliation`, { body: {}, token: other.token })).status, 404);
    assert.equal((await server.request('POST', `/nucleus/v1/portfolio/${randomUUID()}/order_reconciliation`, { body: {} })).status, 404);
  });

  it('refuses to sell more than is held, writing nothing', async () => {
    await post(server, 'order', { date: today, order_ticket_id: randomUUID(), portfolio_id: ids.PA, account_id: ids.A, model_id: ids.model, security_id: ids.Y, transaction_code_id: ids.sell, quantity: 100, price: 20 });
    const before = (await server.request('GET', '/nucleus/v1/portfolio_transaction')).body.total_elements;
    const oversold = await server.request('POST', `/nucleus/v1/portfolio/${ids.PA}/order_reconciliation`, { body: {} });
    assert.deepEqual([oversold.status, oversold.body.code], [422, 'oversold'], JSON.stringify(oversold.body));
    assert.equal((await server.request('GET', '/nucleus/v1/portfolio_transaction')).body.total_elements, before);
  });

  it('refuses orders that do not say their side, their price or their model, writing nothing', async () => {
    const p = (entity: string, body: object) => post(server, entity, body);
    ids.C = await p('account', { name: 'Firm', account_type_id: ids.type });
    const portfolio = (name: string, model?: string) => p('portfolio', { name, account_id: ids.C, percentage: 0, ...(model ? { model_id: model } : {}) });
    const order = (portfolio_id: string, fields: object) => p('order', { date: today, order_ticket_id: randomUUID(), portfolio_id, account_id: ids.C, security_id: ids.X, quantity: 1, ...fields });
    const sideless = await p('transaction_code', { transaction_code: 'MEMO' });
    const cases = [
      { code: 'unknown_side', portfolio: await portfolio('Memo', ids.model), order: { transaction_code_id: sideless, price: 10 } },
      { code: 'missing_price', portfolio: await portfolio('Unpriced', ids.model), order: { transaction_code_id: ids.buy } },
      { code: 'missing_model', portfolio: await portfolio('Unmodelled'), order: { transaction_code_id: ids.buy, price: 10 } },
    ];
    for (const { code, portfolio: id, order: fields } of cases) {
      await order(id, fields);
      const before = (await server.request('GET', '/nucleus/v1/portfolio_transaction')).body.total_elements;
      const refused = await server.request('POST', `/nucleus/v1/portfolio/${id}/order_reconciliation`, { body: {} });
      assert.deepEqual([refused.status, refused.body.code], [422, code], JSON.stringify(refused.body));
      assert.equal((await server.request('GET', '/nucleus/v1/portfolio_transaction')).body.total_elements, before, code);
    }
  });
});
