import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startServer, type TestServer } from '../../support/server.ts';
import { buildWorld, post, storeEuroRates, type World } from './world.ts';

describe('overviews and aggregate data over HTTP', () => {
  let server: TestServer;
  let world: World;
  const held: Record<string, string> = {};
  let businessCard: string;
  let otherCard: string;
  before(async () => {
    server = await startServer();
    world = await buildWorld(server);
    await storeEuroRates(server);
    const { ann } = world.clients;
    const account = (name: string, extra: object) => post(server, 'aggregation_account', { account_name: name, institution_name: 'First Bank', ...extra });
    const balance = (id: string, value: number, stamp: string, currency_code = 'USD') =>
      post(server, 'aggregation_account_balance', { aggregation_account_id: id, balance: value, balance_time_stamp: stamp, currency_code });
    held.checking = await account('Checking', { client_id: ann, category: 'Banking', is_asset: true });
    held.savings = await account('Savings', { client_id: ann, category: 'Banking' });
    held.card = await account('Visa', { client_id: ann, category: 'Credit', is_asset: false });
    held.business = await account('Operating', { business_id: world.business, category: 'Banking', currency_code: 'EUR' });
    await balance(held.checking, 1000.5, '2024-02-01T00:00:00Z');
    await balance(held.checking, 1100.5, '2024-03-01T00:00:00Z');
    await balance(held.savings, 2000, '2024-03-01T00:00:00Z');
    await balance(held.card, 500.25, '2024-03-01T00:00:00Z');
    await balance(held.business, 300, '2024-02-15T00:00:00Z', 'EUR');
    const holding = (holding_date: string, ticker: string, shares: number, amount: number) =>
      post(server, 'aggregation_account_holding', { aggregation_account_id: held.checking, holding_date, ticker, shares, amount, currency_code: 'USD' });
    await holding('2024-02-01T00:00:00Z', 'OLD', 1, 10);
    await holding('2024-03-01T00:00:00Z', 'AAA', 2, 250);
    const transaction = (transaction_date: string, amount: number) =>
      post(server, 'aggregation_account_transaction', {
        aggregation_account_id: held.checking,
        transaction_date,
        currency_code: 'USD',
        bank_credit: { amount, transaction_type: 'debit' },
      });
    held.t1 = await transaction('2024-01-05T00:00:00Z', 45.5);
    held.t2 = await transaction('2024-02-05T00:00:00Z', 12);

    otherCard = await post(server, 'card', { card_holder_name: 'Ann Lee', card_issuance: 'physical', card_name: 'Travel', card_type: 'credit', portfolio_id: world.portfolios.P1, client_id: ann });
    businessCard = await post(server, 'card', { card_holder_name: 'Bob Builders', card_issuance: 'physical', card_name: 'Company', card_type: 'debit', portfolio_id: world.portfolios.P4, business_id: world.business });
    const { M1, M2 } = world.models;
    const { S1, S2 } = world.securities;
    await post(server, 'model_holding', { model_id: M1, date: '2024-01-01', security_id: S1, current_weight: 100, strategic_weight: 100 });
    await post(server, 'model_holding', { model_id: M1, date: '2024-02-01', security_id: S1, current_weight: 50, strategic_weight: 60 });
    await post(server, 'model_holding', { model_id: M1, date: '2024-02-01', security_id: S2, current_weight: 50, strategic_weight: 40 });
    await post(server, 'model_holding', { model_id: M2, date: '2024-01-01', security_id: S2, current_weight: 100, strategic_weight: 100 });
    const classified = await server.request('PUT', `/nucleus/v1/security/${S1}`, { body: { asset_class: 'Equity', sector: 'Technology' } });
    assert.equal(classified.status, 200);
    // S2 is a fund of a security no model holds itself.
    const component = await post(server, 'security', { name: 'Three', ticker: 'THREE', asset_class: 'Bond' });
    const composed = await server.request('PUT', `/nucleus/v1/security/${S2}`, {
      body: { security_composition: [{ component_id: component, weight: 100, start_date: '2024-01-01', end_date: '2030-12-31' }] },
    });
    assert.equal(composed.status, 200);
  });
  after(() => server.close());

  async function get(path: string) {
    const result = await server.request('GET', `/nucleus/v1/${path}`);
    assert.equal(result.status, 200, `${path}: ${JSON.stringify(result.body)}`);
    return result.body;
  }

  it('shows an account with its holders, goals, portfolios and totals', async () => {
    const overview = await get(`account/${world.accounts.A1}/account_overview`);
    assert.equal(overview.account_name, 'Ann brokerage');
    assert.equal(overview.account_type_name, 'Brokerage');
    assert.deepEqual(overview.clients, [{ client_id: world.clients.ann, client_account_association_type: 'owner', first_name: 'Ann', last_name: 'Lee' }]);
    assert.deepEqual(overview.goals, [{ goal_id: world.goals.G1, goal_name: 'Retirement', goal_amount: 100000 }]);
    // P1 at 1100 (Apr 1) and P2 at 210.10 (Feb 1).
    assert.deepEqual(overview.totals, [{ currency_code: 'USD', value: 1310.1, date: '2024-04-01' }]);
    assert.deepEqual(overview.portfolios.map((p: { portfolio_name: string }) => p.portfolio_name), ['P2', 'P1'], 'newest update first');
    assert.deepEqual(overview.portfolios[1], {
      portfolio_id: world.portfolios.P1,
      portfolio_name: 'P1',
      model_id: world.models.M1,
      percentage: 80,
      is_subledger: false,
      is_active: true,
      currency_code: 'USD',
      create_date: overview.portfolios[1].create_date,
      update_date: overview.portfolios[1].update_date,
      asset_size: 1100,
      asset_size_date: '2024-04-01',
    });
    const byName = await get(`account/${world.accounts.A1}/account_overview?order_by=name&ascending=true`);
    assert.deepEqual(byName.portfolios.map((p: { portfolio_name: string }) => p.portfolio_name), ['P1', 'P2']);
    const bad = await server.request('GET', `/nucleus/v1/account/${world.accounts.A1}/account_overview?order_by=nope`);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.field, 'order_by');
  });

  it('shows a client\'s accounts, never adding different currencies together', async () => {
    const ann = await get(`client/${world.clients.ann}/account_overview`);
    assert.deepEqual(ann.accounts.map((a: { account_name: string }) => a.account_name), ['Joint', 'Ann brokerage']);
    assert.deepEqual(ann.totals, [{ currency_code: 'USD', value: 1620.1, date: '2024-04-01' }]);
    const bob = await get(`client/${world.clients.bob}/account_overview?order_by=name&ascending=true`);
    assert.deepEqual(bob.accounts.map((a: { account_name: string }) => a.account_name), ['Bob euro', 'Joint']);
    assert.deepEqual(bob.totals, [
      { currency_code: 'EUR', value: 520, date: '2024-02-01' },
      { currency_code: 'USD', value: 310, date: '2024-03-31' },
    ]);
  });

  it('shows an advisor\'s book, and each client in it on request', async () => {
    const book = await get(`client/${world.clients.ann}/advisor_overview`);
    assert.deepEqual(book, {
      client_id: world.clients.ann,
      first_name: 'Ann',
      last_name: 'Lee',
      account_count: 2,
      client_count: 1,
      totals: [{ currency_code: 'USD', value: 1620.1, date: '2024-04-01' }],
    });
    const detailed = await get(`client/${world.clients.ann}/advisor_overview?show_clients=true`);
    assert.deepEqual(detailed.clients, [
      { client_id: world.clients.bob, first_name: 'Bob', last_name: 'Ray', account_count: 1, totals: [{ currency_code: 'USD', value: 310, date: '2024-03-31' }] },
    ]);
  });

  it('shows a client\'s goals with their progress, through accounts or portfolio_goal', async () => {
    const overview = await get(`client/${world.clients.ann}/goal_overview`);
    assert.equal(overview.client_asset_size, 1620.1);
    assert.equal(overview.client_asset_size_date, '2024-04-01');
    const [retirement, house] = overview.client_view_goal_data;
    assert.equal(retirement.goal_name, 'Retirement');
    assert.equal(retirement.goal_asset_size_by_goal, 1310.1);
    assert.equal(retirement.goal_progress, 1.31); // 1310.10 of 100000
    assert.deepEqual(retirement.accounts, [
      {
        account_id: world.accounts.A1,
        account_name: 'Ann brokerage',
        account_type_id: retirement.accounts[0].account_type_id,
        account_type_name: 'Brokerage',
        goal_asset_size_by_account: 1310.1,
        goal_asset_size_by_account_date: '2024-04-01',
      },
    ]);
    assert.deepEqual(retirement.portfolios.map((p: { portfolio_name: string; goal_asset_size_by_portfolio: number }) => [p.portfolio_name, p.goal_asset_size_by_portfolio]), [
      ['P1', 1100],
      ['P2', 210.1],
    ]);
    assert.equal(house.goal_name, 'House');
    assert.deepEqual([house.accounts, house.portfolios, house.goal_asset_size_by_goal], [[], [], undefined]);

    const mapped = await get(`client/${world.clients.ann}/goal_overview?portfolio_goal=true`);
    const [retirementByMapping, houseByMapping] = mapped.client_view_goal_data;
    // P3 serves G1 at 50 % (310 → 155); P1's latest mapping gives it to G2 whole.
    assert.deepEqual([retirementByMapping.goal_asset_size_by_goal, retirementByMapping.goal_progress], [155, 0.16]);
    assert.deepEqual([houseByMapping.goal_asset_size_by_goal, houseByMapping.goal_progress], [1100, 2.2]);
  });

  it('groups held-away accounts by category with net worth, converting on request', async () => {
    const overview = await get(`client/${world.clients.ann}/aggregation_account_overview`);
    assert.equal(overview.currency_code, 'USD');
    assert.deepEqual([overview.total_assets, overview.total_liabilities, overview.net_worth], [3100.5, 500.25, 2600.25]);
    assert.deepEqual(
      overview.categories.map((c: { category: string; total_balance: number; aggregation_accounts: { account_name: string; balance: number }[] }) => [
        c.category,
        c.total_balance,
        c.aggregation_accounts.map((a) => [a.account_name, a.balance]),
      ]),
      [
        ['Banking', 3100.5, [['Checking', 1100.5], ['Savings', 2000]]],
        ['Credit', 500.25, [['Visa', 500.25]]],
      ],
    );
    const business = await get(`business/${world.business}/aggregation_account_overview`);
    assert.deepEqual([business.currency_code, business.net_worth], ['EUR', 300]);
    // 300 EUR on Feb 15 at 1.2.
    const converted = await get(`business/${world.business}/aggregation_account_overview?currency_conversion=USD`);
    assert.deepEqual([converted.currency_code, converted.net_worth, converted.categories[0].aggregation_accounts[0].balance], ['USD', 360, 360]);
  });

  it('lists card holders with their cards and balances, paged over holders', async () => {
    const page = await get('card/cardholder_overview?order_by=card_name&ascending=true');
    assert.equal(page.total_elements, 2);
    const ann = page.content.find((h: { client_details?: { client_id: string } }) => h.client_details?.client_id === world.clients.ann);
    assert.deepEqual(ann.card_details.map((c: { card_name: string; balance: { balance: number } }) => [c.card_name, c.balance.balance]), [
      ['Everyday', 310],
      ['Travel', 1100],
    ]);
    assert.deepEqual(ann.total_balance, [{ currency_code: 'USD', total_balance: 1410, total_balance_available: 1410 }]);
    assert.equal(ann.card_details[0].balance.balance_timestamp, '2024-03-31T16:00:00.000Z');
    const company = page.content.find((h: { business_details?: unknown }) => h.business_details && !('client_details' in h));
    assert.equal(company.business_details.legal_name, 'Bob Builders LLC');
    assert.deepEqual(company.total_balance, [{ currency_code: 'EUR', total_balance: 520, total_balance_available: 520 }]);
    const converted = await get('card/cardholder_overview?currency_conversion=USD');
    const companyInUsd = converted.content.find((h: { business_details?: unknown }) => h.business_details);
    assert.deepEqual(companyInUsd.total_balance, [{ currency_code: 'USD', total_balance: 624, total_balance_available: 624 }]);
    const credit = await get(`card/cardholder_overview?filter=${encodeURIComponent('card_type==credit')}`);
    assert.deepEqual(credit.content.map((h: { card_details: { card_id: string }[] }) => h.card_details.map((c) => c.card_id)), [[otherCard]]);
    const first = await get('card/cardholder_overview?size=1');
    assert.deepEqual([first.number_of_elements, first.total_elements, first.total_pages], [1, 2, 2]);
    assert.ok(businessCard);
  });

  it('aggregates a portfolio with its value, holdings and breakdowns', async () => {
    const p1 = await get(`portfolio/${world.portfolios.P1}/aggregate_data`);
    assert.deepEqual([p1.asset_size, p1.asset_size_date, p1.currency_code], [1100, '2024-04-01', 'USD']);
    assert.deepEqual(p1.holdings, [
      { security_id: world.securities.S1, security_name: 'Stock one', security_ticker: 'ONE', date: '2024-02-01', shares: 12, amount: 1300, weight: 100, asset_class: 'Equity', sector: 'Technology' },
    ]);
    assert.deepEqual(p1.breakdowns.asset_class, [{ name: 'Equity', amount: 1300, weight: 100 }]);
    // P2: S1's share valued at its Jan 10 price of 100, S3 at 200.10.
    const p2 = await get(`portfolio/${world.portfolios.P2}/aggregate_data?show_sector=false`);
    assert.deepEqual(p2.breakdowns.asset_class, [
      { name: null, amount: 200.1, weight: 66.6778 },
      { name: 'Equity', amount: 100, weight: 33.3222 },
    ]);
    assert.equal(p2.breakdowns.sector, undefined);
    assert.ok(p2.holdings.every((h: Record<string, unknown>) => !('sector' in h)));
  });

  it('aggregates an allocation with its models and their latest holdings', async () => {
    const data = await get(`allocation/${world.allocation}/aggregate_data`);
    assert.equal(data.allocation_name, 'Balanced');
    const byModel = Object.fromEntries(data.allocation_compositions.map((c: { model_name: string }) => [c.model_name, c]));
    assert.deepEqual([byModel.Growth.model_current_weight, byModel.Growth.model_strategic_weight], [60, 50]);
    assert.deepEqual(byModel.Growth.model_holdings.map((h: { security_ticker: string; model_holding_date: string }) => [h.security_ticker, h.model_holding_date]).sort(), [
      ['ONE', '2024-02-01'],
      ['TWO', '2024-02-01'],
    ]);
    assert.equal(byModel.Growth.model_holdings.find((h: { security_ticker: string }) => h.security_ticker === 'ONE').security_asset_class, 'Equity');
    assert.deepEqual(byModel.Income.model_holdings.map((h: { security_ticker: string }) => h.security_ticker), ['TWO']);
    assert.deepEqual(
      byModel.Income.model_holdings[0].security_compositions.map((c: Record<string, unknown>) => [c.security_ticker, c.security_asset_class, c.security_weight, c.start_date]),
      [['THREE', 'Bond', 100, '2024-01-01']],
      "a fund's components are described as its holdings are",
    );
  });

  it('aggregates a held-away account with its latest balance, holdings and transactions', async () => {
    const data = await get(`aggregation_account/${held.checking}/aggregate_data`);
    assert.equal(data.aggregation_account.account_name, 'Checking');
    assert.equal(data.balance.balance, 1100.5);
    assert.deepEqual(data.holdings.map((h: { ticker: string }) => h.ticker), ['AAA']);
    assert.deepEqual(data.recent_transactions.map((t: { id: string }) => t.id), [held.t2, held.t1]);
    // In EUR: USD→EUR is the inverse of the EUR→USD rate of each record's date.
    const euro = await get(`aggregation_account/${held.checking}/aggregate_data?currency_conversion=EUR`);
    assert.deepEqual([euro.currency_code, euro.balance.balance, euro.balance.currency_code], ['EUR', 917.08, 'EUR']);
    assert.equal(euro.holdings[0].amount, 208.33);
    assert.equal(euro.recent_transactions[1].bank_credit.amount, 41.36);
  });

  it('answers 401, 404 and another tenant\'s 404 on every overview', async () => {
    const other = await server.otherTenant();
    const paths = [
      `account/${world.accounts.A1}/account_overview`,
      `client/${world.clients.ann}/account_overview`,
      `client/${world.clients.ann}/advisor_overview`,
      `client/${world.clients.ann}/goal_overview`,
      `client/${world.clients.ann}/aggregation_account_overview`,
      `business/${world.business}/aggregation_account_overview`,
      `portfolio/${world.portfolios.P1}/aggregate_data`,
      `allocation/${world.allocation}/aggregate_data`,
      `aggregation_account/${held.checking}/aggregate_data`,
    ];
    for (const path of paths) {
      assert.equal((await server.request('GET', `/nucleus/v1/${path}`, { token: null })).status, 401, path);
      assert.equal((await server.request('GET', `/nucleus/v1/${path}`, { token: other.token })).status, 404, path);
      const unknown = path.replace(/[0-9a-f-]{36}/, randomUUID());
      assert.equal((await server.request('GET', `/nucleus/v1/${unknown}`)).status, 404, unknown);
    }
    const foreignCards = await server.request('GET', '/nucleus/v1/card/cardholder_overview', { token: other.token });
    assert.equal(foreignCards.body.total_elements, 0);
  });
});
