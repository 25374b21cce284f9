import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, startServer, type HttpResult, type TestServer } from '../../support/server.ts';

/**
 * The operations beyond an entity's five, asked by a client login (ROLE_CLIENT, password grant),
 * a read-only role (ROLE_SUPPORT) and a read-only scope (the super admin's token with
 * scope=read): Electron's card load, Hydro, an account's subscription and the order_* operations.
 *
 * Ann holds account A with portfolio PA on a two-fund model (X 50 %, Y 50 %): 60 X at 10 and 400
 * in cash, so every order mode has something to order. Bob holds account B with PB alike. Ann has
 * a card on PA, issued and active, and a deposit funding for it.
 */
describe('client logins and read-only callers on operations beyond the entity table', () => {
  let server: TestServer;
  const ids: Record<string, string> = {};
  const tokens: Record<'ann' | 'support' | 'readOnly', string> = { ann: '', support: '', readOnly: '' };
  const today = new Date().toISOString().slice(0, 10);

  async function post(entity: string, body: object, token?: string): Promise<string> {
    const created = await server.request('POST', `/nucleus/v1/${entity}`, { body, token });
    assert.equal(created.status, 201, `${entity}: ${JSON.stringify(created.body)}`);
    return created.body.id;
  }

  const count = async (table: string) => Number((await server.db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`))[0].n);

  function refused(result: HttpResult, code: 'forbidden' | 'insufficient_scope' | 'not_found', what: string): void {
    assert.equal(result.body.code, code, `${what}: ${result.status} ${JSON.stringify(result.body)}`);
    assert.equal(result.status, code === 'not_found' ? 404 : 403, what);
  }

  before(async () => {
    server = await startServer();
    const password = 'ann-has-a-long-password';
    ids.ann = await post('client', { username: 'ann@ops.test', client_type: 'individual', first_name: 'Ann', last_name: 'Card', password, authorities: ['ROLE_CLIENT'] });
    ids.bob = await post('client', { username: 'bob@ops.test', client_type: 'individual' });
    tokens.ann = (await server.token(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, { grant_type: 'password', username: 'ann@ops.test', password })).body.access_token;
    const support = await server.credential(['ROLE_SUPPORT']);
    tokens.support = (await server.token(support.clientId, support.clientSecret, { grant_type: 'client_credentials' })).body.access_token;
    const readOnly = await server.token(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, { grant_type: 'client_credentials', scope: 'read' });
    assert.equal(readOnly.body.scope, 'read');
    tokens.readOnly = readOnly.body.access_token;

    const type = await post('account_type', { name: 'Managed' });
    ids.model = await post('model', { name: 'Two funds' });
    for (const [ticker, price] of [['X', 10], ['Y', 20], ['CASH', 1]] as const) {
      ids[ticker] = await post('security', { name: `Fund ${ticker}`, ticker });
      await post('security_price', { security_id: ids[ticker], date: '2024-06-28T20:00:00Z', price });
    }
    for (const ticker of ['X', 'Y']) {
      await post('model_holding', { model_id: ids.model, security_id: ids[ticker], date: '2024-06-01', current_weight: 50, strategic_weight: 50 });
    }
    ids.allocation = await post('allocation', { name: 'All in' });
    await post('allocation_composition', { allocation_id: ids.allocation, model_id: ids.model, date: '2024-01-01', current_weight: 100, strategic_weight: 100 });
    ids.buy = await post('transaction_code', { transaction_code: 'BUY', is_buy: true });
    ids.sell = await post('transaction_code', { transaction_code: 'SELL', is_buy: false });
    for (const [client, account, portfolio] of [['ann', 'A', 'PA'], ['bob', 'B', 'PB']]) {
      ids[account] = await post('account', { name: account, account_type_id: type, clients: [{ client_id: ids[client], client_account_association_type: 'owner' }] });
      ids[portfolio] = await post('portfolio', { name: portfolio, account_id: ids[account], percentage: 100, model_id: ids.model, currency_code: 'USD' });
      for (const [ticker, shares] of [['X', 60], ['CASH', 400]] as const) {
        await post('portfolio_holding', { portfolio_id: ids[portfolio], account_id: ids[account], model_id: ids.model, security_id: ids[ticker], date: '2024-06-28T21:00:00Z', shares });
      }
    }
    ids.card = await post('card', { card_holder_name: 'Ann Card', card_issuance: 'virtual', card_name: 'Everyday', card_type: 'debit', portfolio_id: ids.PA, client_id: ids.ann });
    for (const [path, body] of [['/card/client', { nucleus_client_id: ids.ann }], ['/card/issue', { nucleus_card_id: ids.card }], ['/card/reactivate', { nucleus_card_id: ids.card }]] as const) {
      const done = await server.request('POST', `/electron/v1${path}`, { body });
      assert.equal(done.status, 200, `${path}: ${JSON.stringify(done.body)}`);
    }
  });
  after(() => server.close());

  it("Electron: a client login may not load its own card, nor may a read-only role or scope; the program's role may", async () => {
    const deposit = { card_id: ids.card, amount: 25, currency_code: 'USD', is_deposit: true, funding_type: 'card', funding_status: 'requested', frequency_unit: 'one_time', start_date: '2025-01-01' };
    // Ann may record the request for money on her own card; moving it is the program's.
    const funding = await post('funding', deposit, tokens.ann);
    assert.equal((await server.request('GET', `/nucleus/v1/funding/${funding}`, { token: tokens.ann })).status, 200, 'she sees the funding and its card');
    const load = (token?: string) => server.request('POST', '/electron/v1/card/load', { token, body: { nucleus_funding_id: funding } });
    refused(await load(tokens.ann), 'forbidden', 'the client login');
    refused(await load(tokens.support), 'forbidden', 'the read-only role');
    refused(await load(tokens.readOnly), 'insufficient_scope', 'the read-only scope');
    assert.equal(await count('electron_money_movement'), 0, 'nothing moved');
    assert.equal((await server.request('GET', `/nucleus/v1/funding/${funding}`)).body.funding_status, 'requested');

    const loaded = await load();
    assert.equal(loaded.status, 200, JSON.stringify(loaded.body));
    assert.equal(loaded.body.vendor_response.balance, 25);
  });

  it('Hydro: a client login is no partner, even for a read; a read-only scope reads but records nothing', async () => {
    const annScoped = await server.token(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, { grant_type: 'password', username: 'ann@ops.test', password: 'ann-has-a-long-password', scope: 'read' });
    for (const token of [tokens.ann, annScoped.body.access_token]) {
      refused(await server.request('GET', '/hydro/v1/message', { token }), 'forbidden', 'a client login reading');
      refused(await server.request('POST', '/hydro/v1/application', { token, body: { name: 'Ann app' } }), token === tokens.ann ? 'forbidden' : 'insufficient_scope', 'a client login creating');
    }
    assert.equal((await server.request('GET', '/hydro/v1/message', { token: tokens.readOnly })).status, 200);
    refused(await server.request('POST', '/hydro/v1/application', { token: tokens.readOnly, body: { name: 'Read only app' } }), 'insufficient_scope', 'the read-only scope');
    assert.equal(await count('hydro_application'), 0);
    // Any application token is the partner, whatever its role: the rule is about acting for a client.
    assert.equal((await server.request('GET', '/hydro/v1/message', { token: tokens.support })).status, 200);
  });

  it('subscribe: a client login subscribes its own account only; a read-only role or scope subscribes none', async () => {
    const subscribe = (account: string, token?: string) =>
      server.request('POST', `/nucleus/v1/account/${account}/subscribe`, { token, body: { allocation_id: ids.allocation, current_weight: 100, strategic_weight: 100, date: today } });
    const before = [await count('nucleus_account_allocation'), await count('nucleus_portfolio')];
    refused(await subscribe(ids.B, tokens.ann), 'not_found', "the client login on another's account");
    refused(await subscribe(ids.A, tokens.support), 'forbidden', 'the read-only role');
    refused(await subscribe(ids.A, tokens.readOnly), 'insufficient_scope', 'the read-only scope');
    assert.deepEqual([await count('nucleus_account_allocation'), await count('nucleus_portfolio')], before, 'nothing recorded');

    const own = await subscribe(ids.A, tokens.ann);
    assert.equal(own.status, 201, JSON.stringify(own.body));
    assert.deepEqual(own.body.map((p: { account_id: string; model_id: string }) => [p.account_id, p.model_id]), [[ids.A, ids.model]]);
  });

  const MODES = ['order_rebalance', 'order_buy_only', 'order_sell_only', 'order_sell_all'];
  const orderRequest = (extra: object = {}) => ({ buy_transaction_code_id: ids.buy, sell_transaction_code_id: ids.sell, cash_sec_id: ids.CASH, use_cash_available: true, ...extra });

  it('order generation: a client login orders for its own account and portfolios; a read-only role proposes but commits nothing; a read-only scope does neither', async () => {
    for (const mode of MODES) {
      for (const [own, others] of [[`account/${ids.A}`, `account/${ids.B}`], [`portfolio/${ids.PA}`, `portfolio/${ids.PB}`]]) {
        const order = (path: string, token: string, commit: boolean) =>
          server.request('POST', `/nucleus/v1/${path}/${mode}`, { token, body: orderRequest({ commit_orders: commit }) });
        const what = `${mode} on ${own.split('/')[0]}`;
        const orders = await count('nucleus_order');
        refused(await order(others, tokens.ann, false), 'not_found', `${what}: the client login on another's`);
        refused(await order(own, tokens.support, true), 'forbidden', `${what}: the read-only role committing`);
        refused(await order(own, tokens.readOnly, false), 'insufficient_scope', `${what}: the read-only scope proposing`);
        assert.equal(await count('nucleus_order'), orders, `${what}: nothing stored`);

        const proposed = await order(own, tokens.support, false);
        assert.equal(proposed.status, 200, `${what}: ${JSON.stringify(proposed.body)}`);
        assert.ok(proposed.body.length > 0, `${what}: the read-only role sees what would be ordered`);
        const committed = await order(own, tokens.ann, true);
        assert.equal(committed.status, 201, `${what}: ${JSON.stringify(committed.body)}`);
        assert.ok(committed.body.length > 0 && committed.body.every((o: { id?: string }) => o.id), `${what}: stored`);
      }
    }
  });

  it("order_bulk: block orders are the firm's, so neither a client login, even of its own orders, nor a read-only role or scope nets any", async () => {
    const body = { date: today, buy_transaction_code_id: ids.buy, sell_transaction_code_id: ids.sell };
    await post('order', { date: today, order_ticket_id: ids.bob, portfolio_id: ids.PB, account_id: ids.B, model_id: ids.model, security_id: ids.Y, transaction_code_id: ids.buy, quantity: 1, price: 20, amount: 20 });
    const before = [await count('nucleus_order'), await count('nucleus_order_bulk')];
    for (const path of ['order_bulk', `account/${ids.A}/order_bulk`, `client/${ids.ann}/order_bulk`]) {
      refused(await server.request('POST', `/nucleus/v1/${path}`, { token: tokens.ann, body }), 'forbidden', `${path}: the client login`);
      refused(await server.request('POST', `/nucleus/v1/${path}`, { token: tokens.support, body }), 'forbidden', `${path}: the read-only role`);
      refused(await server.request('POST', `/nucleus/v1/${path}`, { token: tokens.readOnly, body }), 'insufficient_scope', `${path}: the read-only scope`);
    }
    for (const path of [`account/${ids.B}/order_bulk`, `client/${ids.bob}/order_bulk`]) {
      refused(await server.request('POST', `/nucleus/v1/${path}`, { token: tokens.ann, body }), 'not_found', `${path}: the client login on another's`);
    }
    assert.deepEqual([await count('nucleus_order'), await count('nucleus_order_bulk')], before, 'nothing netted');

    const netted = await server.request('POST', '/nucleus/v1/order_bulk', { body });
    assert.equal(netted.status, 201, JSON.stringify(netted.body));
    assert.ok(netted.body.length > 0);
  });

  it("order_reconciliation: a client login books its own portfolios' orders; a read-only role or scope books none", async () => {
    // One committed rebalance, tracked, is what is booked: all of Ann's orders together would sell more X than she holds.
    const [first] = (await server.request('POST', `/nucleus/v1/portfolio/${ids.PA}/order_rebalance`, { token: tokens.ann, body: orderRequest({ commit_orders: true }) })).body as { id: string }[];
    const track = await server.request('GET', `/nucleus/v1/order_track?filter=${encodeURIComponent(`order_id==${first.id}`)}`, { token: tokens.ann });
    const body = { order_track_ids: [track.body.content[0].id] };
    const transactions = await count('nucleus_portfolio_transaction');
    for (const path of [`account/${ids.A}/order_reconciliation`, `portfolio/${ids.PA}/order_reconciliation`]) {
      refused(await server.request('POST', `/nucleus/v1/${path}`, { token: tokens.support, body }), 'forbidden', `${path}: the read-only role`);
      refused(await server.request('POST', `/nucleus/v1/${path}`, { token: tokens.readOnly, body }), 'insufficient_scope', `${path}: the read-only scope`);
    }
    for (const path of [`account/${ids.B}/order_reconciliation`, `portfolio/${ids.PB}/order_reconciliation`]) {
      refused(await server.request('POST', `/nucleus/v1/${path}`, { token: tokens.ann, body }), 'not_found', `${path}: the client login on another's`);
    }
    assert.equal(await count('nucleus_portfolio_transaction'), transactions, 'nothing booked');

    const booked = await server.request('POST', `/nucleus/v1/portfolio/${ids.PA}/order_reconciliation`, { token: tokens.ann, body });
    assert.equal(booked.status, 201, JSON.stringify(booked.body));
    assert.equal(booked.body.portfolio_transaction_id.length, 1);
  });
});
