import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startServer, type TestServer } from '../../support/server.ts';
import { windowStart } from '../../../src/proton/calculators/emergency-expenses.ts';

const DAY = 24 * 60 * 60 * 1000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY).toISOString();

describe('calculators reading Nucleus balances and transactions', () => {
  let server: TestServer;
  let clientId: string;
  let accountId: string;
  let savingsId: string;
  let cardId: string;
  let euroId: string;

  async function create(entity: string, body: Record<string, unknown>): Promise<string> {
    const created = await server.request('POST', `/nucleus/v1/${entity}`, { body });
    assert.equal(created.status, 201, `${entity}: ${JSON.stringify(created.body)}`);
    return created.body.id as string;
  }

  async function spend(account: string, days: number, amount: number, category: string, subcategory: string, extra: Record<string, unknown> = {}) {
    await create('aggregation_account_transaction', {
      aggregation_account_id: account,
      currency_code: 'USD',
      transaction_date: daysAgo(days),
      bank_credit: { amount, transaction_type: 'Debit', category, subcategory },
      ...extra,
    });
  }

  before(async () => {
    server = await startServer();
    clientId = await create('client', { username: 'saver@calc.test', client_type: 'individual' });
    const type = await create('account_type', { name: 'Brokerage' });
    accountId = await create('account', { name: 'brokerage', account_type_id: type, clients: [{ client_id: clientId, client_account_association_type: 'owner' }] });
    const model = await create('model', { name: 'balanced' });
    // Two portfolios; only the last asset size of each counts (older ones are history).
    for (const [name, sizes] of [
      ['growth', [9000, 10000.1]],
      ['income', [4000, 5000.2]],
    ] as const) {
      const portfolio = await create('portfolio', { name, account_id: accountId, percentage: 50, model_id: model });
      for (const [i, size] of sizes.entries()) {
        await create('portfolio_asset_size', { account_id: accountId, portfolio_id: portfolio, model_id: model, asset_size: size, cash_flow: 0, currency_code: 'USD', date: `2026-0${i + 1}-15T00:00:00.000Z` });
      }
    }
    savingsId = await create('aggregation_account', { account_name: 'savings', institution_name: 'Bank', client_id: clientId, is_asset: true, currency_code: 'USD' });
    await create('aggregation_account_balance', { aggregation_account_id: savingsId, currency_code: 'USD', balance: 100, balance_time_stamp: '2026-01-01T00:00:00.000Z' });
    await create('aggregation_account_balance', { aggregation_account_id: savingsId, currency_code: 'USD', balance: 2500.3, balance_time_stamp: '2026-03-01T00:00:00.000Z' });
    cardId = await create('aggregation_account', { account_name: 'credit card', institution_name: 'Bank', client_id: clientId, is_asset: false, currency_code: 'USD' });
    await create('aggregation_account_balance', { aggregation_account_id: cardId, currency_code: 'USD', balance: 600, balance_time_stamp: '2026-03-01T00:00:00.000Z' });
    euroId = await create('aggregation_account', { account_name: 'euro savings', institution_name: 'Bank', client_id: clientId, is_asset: true, currency_code: 'EUR' });
    await create('aggregation_account_balance', { aggregation_account_id: euroId, currency_code: 'EUR', balance: 50, balance_time_stamp: '2026-03-01T00:00:00.000Z' });

    // Planted spending over the last three months, with what must not count beside it.
    for (const days of [10, 40, 70]) {
      await spend(savingsId, days, 1500, 'Home', 'Mortgage & Rent');
      await spend(savingsId, days, 400, 'Food & Dining', 'Groceries');
      await spend(cardId, days, 90, 'Bills & Utilities', 'Phone');
      await spend(cardId, days, 250, 'Food & Dining', 'Restaurants');
    }
    await spend(savingsId, 200, 1500, 'Home', 'Mortgage & Rent');
    await spend(savingsId, 20, 3000, 'Home', 'Mortgage & Rent', { is_transfer: true });
    await spend(savingsId, 25, 700, 'Financial', 'Loan Payment', { is_excluded_analysis: true });
    await create('aggregation_account_transaction', {
      aggregation_account_id: savingsId,
      currency_code: 'USD',
      transaction_date: daysAgo(5),
      bank_credit: { amount: 5000, transaction_type: 'Credit', category: 'Income', subcategory: 'Paycheck' },
    });
  });

  after(() => server.close());

  const savings = { horizon: 5, return_schedule: [0.05], deposit_schedule: [{ deposit_amount: 100, deposit_frequency_interval: 'year' }] };

  test("an account's latest portfolio values and an aggregation account's latest balance are added to the balance today", async () => {
    const named = await server.request('POST', '/proton/v1/savings_calculator', {
      body: { ...savings, initial_balance: 1000, account_ids: [accountId], aggregation_account_ids: [savingsId, cardId] },
    });
    assert.equal(named.status, 200, JSON.stringify(named.body));
    // 1000 stated + 10000.10 + 5000.20 (last asset sizes) + 2500.30 (last balance) - 600 (card owed)
    assert.equal(named.body.inputs.initial_balance, 17900.6);
    const stated = await server.request('POST', '/proton/v1/savings_calculator', { body: { ...savings, initial_balance: 17900.6 } });
    assert.equal(stated.status, 200);
    assert.equal(named.body.ending_balance, stated.body.ending_balance);
  });

  test('calculators naming other balance fields add to them too', async () => {
    const purchase = await server.request('POST', '/proton/v1/purchase_calculator/amount', {
      body: { purchase_horizon: 3, portfolio_return: 0.04, current_savings: 0, aggregation_account_ids: [savingsId] },
    });
    assert.equal(purchase.status, 200, JSON.stringify(purchase.body));
    assert.equal(purchase.body.inputs.current_savings, 2500.3);
  });

  test('balances in two currencies are refused, naming the field', async () => {
    const mixed = await server.request('POST', '/proton/v1/savings_calculator', {
      body: { ...savings, account_ids: [accountId], aggregation_account_ids: [euroId] },
    });
    assert.equal(mixed.status, 400);
    assert.equal(mixed.body.field, 'aggregation_account_ids');
    assert.match(mixed.body.message, /EUR, USD/);
  });

  test('where the balance today is solved for, named accounts are only checked', async () => {
    const request = {
      accumulation_horizon: 0,
      decumulation_horizon: 10,
      portfolio_return: 0.05,
      annuity_amount: 1000,
      annuity_frequency_interval: 'year',
    };
    const plain = await server.request('POST', '/proton/v1/annuity_calculator/initial_balance', { body: request });
    const named = await server.request('POST', '/proton/v1/annuity_calculator/initial_balance', { body: { ...request, account_ids: [accountId] } });
    assert.equal(plain.status, 200, JSON.stringify(plain.body));
    assert.equal(named.body.initial_balance, plain.body.initial_balance);
  });

  test("the emergency fund derives the expenses it is not given from the client's essential spending", async () => {
    const fund = await server.request('POST', '/proton/v1/emergency_fund_calculator', {
      body: { emergency_fund_duration: 6, client_id: clientId, lookback_periods: 3, frequency_unit: 'month', utility_payments: 120 },
    });
    assert.equal(fund.status, 200, JSON.stringify(fund.body));
    const inputs = fund.body.inputs;
    assert.equal(inputs.housing_cost, 1500);
    assert.equal(inputs.food_costs, 400);
    assert.equal(inputs.telecom_payments, 90);
    assert.equal(inputs.utility_payments, 120, 'a stated expense is kept');
    assert.equal(inputs.debt_payments, 0, 'excluded transactions do not count');
    assert.equal(fund.body.expenses_per_period, 1500 + 400 + 90 + 120);
    assert.equal(fund.body.emergency_fund_target, 6 * 2110);

    const longer = await server.request('POST', '/proton/v1/emergency_fund_calculator', {
      body: { emergency_fund_duration: 6, client_id: clientId, lookback_periods: 12, frequency_unit: 'month' },
    });
    // Twelve months hold the three recent rents and the one from 200 days ago.
    assert.equal(longer.body.inputs.housing_cost, 500);
  });

  test("a client login cannot have another client's accounts or transactions read", async () => {
    await create('client', { username: 'other@calc.test', client_type: 'individual', password: 'Other-Pass-word-1', authorities: ['ROLE_CLIENT'] });
    const login = await server.token('test-admin', 'test-admin-secret', { grant_type: 'password', username: 'other@calc.test', password: 'Other-Pass-word-1' });
    const token = login.body.access_token as string;
    const balances = await server.request('POST', '/proton/v1/savings_calculator', { token, body: { ...savings, aggregation_account_ids: [savingsId] } });
    assert.equal(balances.status, 404);
    const fund = await server.request('POST', '/proton/v1/emergency_fund_calculator', { token, body: { emergency_fund_duration: 3, client_id: clientId } });
    assert.equal(fund.status, 404);
  });

  test('windows count calendar months and years back from now', () => {
    const end = new Date('2026-03-31T12:00:00.000Z');
    assert.equal(windowStart(end, 'month', 1).toISOString(), '2026-02-28T12:00:00.000Z');
    assert.equal(windowStart(end, 'month', 13).toISOString(), '2025-02-28T12:00:00.000Z');
    assert.equal(windowStart(new Date('2028-03-31T00:00:00.000Z'), 'six_months', 1).toISOString(), '2027-09-30T00:00:00.000Z');
    assert.equal(windowStart(end, 'quarter', 1).toISOString(), '2025-12-31T12:00:00.000Z');
    assert.equal(windowStart(end, 'two_weeks', 2).toISOString(), '2026-03-03T12:00:00.000Z');
    assert.equal(windowStart(end, 'year', 2).toISOString(), '2024-03-31T12:00:00.000Z');
  });
});
