import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startServer, type TestServer } from '../../support/server.ts';
import { analyze, business, checkErrors, clientLogin, create, fxRate } from './fixtures.ts';

/*
 * Two cash accounts over April and May 2024 (the window):
 *   checking: balance 10000 on 03-31, 12500 on 04-30, 11000 on 05-31 (a 9999 recorded earlier that day is superseded);
 *             +4000 Sales 04-05, -1500 Rent 04-20, -200 petty cash 04-28, +2000 Sales 05-10,
 *             -3000 uncategorized and pending 05-15, -50 transfer to savings 05-20
 *   savings:  balance 5000 on 03-15, 5050 on 05-20; +100 Interest 03-20 (before the window),
 *             +10 excluded from analysis 04-25, +50 transfer from checking 05-20
 * A credit card (not cash) and an inactive cash account hold money that must not count.
 * Opening 15000, closing 16050; inflows 6050, outflows 4750, net 1300.
 */
describe('business/cash_analysis', () => {
  let server: TestServer;
  let owner: { id: string; token: string };
  let businessId: string;
  const accounts: Record<string, string> = {};

  async function account(name: string, extra: Record<string, unknown>) {
    accounts[name] = await create(server, 'aggregation_account', { account_name: name, institution_name: 'First Bank', business_id: businessId, ...extra });
  }
  async function balance(name: string, day: string, amount: number, currency = 'USD') {
    await create(server, 'aggregation_account_balance', { aggregation_account_id: accounts[name], balance: amount, balance_time_stamp: `${day}T18:00:00Z`, currency_code: currency });
  }
  async function bank(name: string, day: string, type: 'Credit' | 'Debit', amount: number, category?: string, extra: Record<string, unknown> = {}, currency = 'USD') {
    await create(server, 'aggregation_account_transaction', {
      aggregation_account_id: accounts[name],
      transaction_date: `${day}T10:00:00Z`,
      currency_code: currency,
      status: 'posted',
      bank_credit: { amount, transaction_type: type, ...(category ? { category } : {}) },
      ...extra,
    });
  }

  before(async () => {
    server = await startServer();
    owner = await clientLogin(server, 'ROLE_CLIENT');
    businessId = await business(server, owner.id, 'Cashflow Coffee');
    await account('checking', { is_cash: true, currency_code: 'USD' });
    await account('savings', { is_cash: true, currency_code: 'USD' });
    await account('card', { is_cash: false, category: 'Credit Card' });
    await account('closed', { is_cash: true, is_active: false });
    await balance('checking', '2024-03-31', 10000);
    await balance('checking', '2024-04-30', 12500);
    await balance('checking', '2024-05-31', 9999);
    await balance('checking', '2024-05-31', 11000);
    await balance('savings', '2024-03-15', 5000);
    await balance('savings', '2024-05-20', 5050);
    await balance('card', '2024-05-31', 2000);
    await balance('closed', '2024-05-31', 7000);
    await bank('checking', '2024-04-05', 'Credit', 4000, 'Sales');
    await bank('checking', '2024-04-20', 'Debit', 1500, 'Rent');
    await create(server, 'aggregation_account_transaction', {
      aggregation_account_id: accounts.checking,
      transaction_date: '2024-04-28T10:00:00Z',
      currency_code: 'USD',
      status: 'posted',
      cash: { amount: 200, transaction_type: 'Debit', name: 'petty cash' },
    });
    await bank('checking', '2024-05-10', 'Credit', 2000, 'Sales');
    await bank('checking', '2024-05-15', 'Debit', 3000, undefined, { status: 'pending' });
    await bank('checking', '2024-05-20', 'Debit', 50, 'Transfer', { is_transfer: true });
    await bank('savings', '2024-05-20', 'Credit', 50, 'Transfer', { is_transfer: true });
    await bank('savings', '2024-03-20', 'Credit', 100, 'Interest');
    await bank('savings', '2024-04-25', 'Credit', 10, 'Interest', { is_excluded_analysis: true });
    await bank('card', '2024-04-10', 'Debit', 999, 'Supplies');
    await bank('closed', '2024-04-10', 'Credit', 999, 'Sales');
  });
  after(async () => {
    await server.close();
  });

  const request = () => ({ business_id: businessId, currency_code: 'USD', start_date: '2024-04-01', end_date: '2024-05-31' });

  test('balances, flows per account, per month and per category', async () => {
    const result = await analyze(server, 'cash_analysis', { ...request(), show_history: true, show_inflow_details: true, show_outflow_details: true });
    assert.equal(result.status, 200, JSON.stringify(result.body));
    const body = result.body;
    assert.equal(body.currency_code, 'USD');
    assert.deepEqual(body.summary, {
      account_count: 2,
      opening_balance: 15000,
      closing_balance: 16050,
      balance_change: 1050,
      inflows: 6050,
      outflows: 4750,
      net_cash_flow: 1300,
      inflow_count: 3,
      outflow_count: 4,
    });
    assert.deepEqual(body.accounts, [
      { aggregation_account_id: accounts.checking, account_name: 'checking', opening_balance: 10000, closing_balance: 11000, inflows: 6000, outflows: 4750, net_cash_flow: 1250 },
      { aggregation_account_id: accounts.savings, account_name: 'savings', opening_balance: 5000, closing_balance: 5050, inflows: 50, outflows: 0, net_cash_flow: 50 },
    ]);
    assert.deepEqual(body.history, [
      { period_start: '2024-04-01', period_end: '2024-04-30', inflows: 4000, outflows: 1700, net_cash_flow: 2300, closing_balance: 17500 },
      { period_start: '2024-05-01', period_end: '2024-05-31', inflows: 2050, outflows: 3050, net_cash_flow: -1000, closing_balance: 16050 },
    ]);
    assert.deepEqual(body.inflow_details, [
      { category: 'Sales', amount: 6000, transaction_count: 2, share: 6000 / 6050 },
      { category: 'Transfer', amount: 50, transaction_count: 1, share: 50 / 6050 },
    ]);
    assert.deepEqual(body.outflow_details, [
      { category: null, amount: 3200, transaction_count: 2, share: 3200 / 4750 },
      { category: 'Rent', amount: 1500, transaction_count: 1, share: 1500 / 4750 },
      { category: 'Transfer', amount: 50, transaction_count: 1, share: 50 / 4750 },
    ]);
  });

  test('scope, status, cleansing and an open start filter as they say', async () => {
    const flows = async (extra: Record<string, unknown>) => {
      const result = await analyze(server, 'cash_analysis', { ...request(), ...extra });
      assert.equal(result.status, 200, JSON.stringify(result.body));
      return [result.body.summary.inflows, result.body.summary.outflows];
    };
    assert.deepEqual(await flows({ scope: 'external' }), [6000, 4700]);
    assert.deepEqual(await flows({ scope: 'internal' }), [50, 50]);
    assert.deepEqual(await flows({ transaction_status_scope: ['posted'] }), [6050, 1750]);
    assert.deepEqual(await flows({ only_cleansed: true }), [6050, 1550]);
    const open = await analyze(server, 'cash_analysis', { business_id: businessId, currency_code: 'USD', end_date: '2024-05-31' });
    assert.equal(open.body.analysis_start, '2024-03-20');
    assert.equal(open.body.summary.opening_balance, 5000);
    assert.equal(open.body.summary.inflows, 6150);
    assert.equal(open.body.history, null);
    assert.equal(open.body.inflow_details, null);
  });

  test('a foreign-currency account: flows at the rate of their day, balances at that of the day reported', async () => {
    await account('euro', { is_cash: true, currency_code: 'EUR' });
    await balance('euro', '2024-03-31', 1000, 'EUR');
    await bank('euro', '2024-04-15', 'Credit', 500, 'Sales', {}, 'EUR');
    const mixed = await analyze(server, 'cash_analysis', { business_id: businessId, start_date: '2024-04-01', end_date: '2024-05-31' });
    assert.equal(mixed.status, 400);
    assert.equal(mixed.body.field, 'currency_conversion');
    await fxRate(server, 'EUR', 'USD', '2024-01-01', 1.1);
    await fxRate(server, 'EUR', 'USD', '2024-04-10', 1.2);
    const converted = await analyze(server, 'cash_analysis', { business_id: businessId, currency_conversion: 'USD', start_date: '2024-04-01', end_date: '2024-05-31' });
    assert.equal(converted.status, 200, JSON.stringify(converted.body));
    assert.equal(converted.body.summary.opening_balance, 15000 + 1100);
    assert.equal(converted.body.summary.closing_balance, 16050 + 1200);
    assert.equal(converted.body.summary.inflows, 6050 + 600);
    const dollars = await analyze(server, 'cash_analysis', request());
    assert.equal(dollars.body.summary.inflows, 6050);
  });

  test('bad input is a 400 naming the field, no token a 401', async () => {
    await checkErrors(server, 'cash_analysis', request(), [
      { body: { end_date: '2024-05-31' }, field: 'business_id' },
      { body: { ...request(), scope: 'everything' }, field: 'scope' },
      { body: { ...request(), start_date: '2024-06-01' }, field: 'start_date' },
      { body: { ...request(), start_date: '1990-01-01', show_history: true, history_frequency_interval: 'day' }, field: 'history_frequency_interval' },
      { body: { ...request(), currency_code: 'usd' }, field: 'currency_code' },
    ]);
  });

  test("a client login reads its own business's cash, and nobody else's", async () => {
    const own = await analyze(server, 'cash_analysis', request(), owner.token);
    assert.equal(own.status, 200, JSON.stringify(own.body));
    assert.equal(own.body.summary.net_cash_flow, 1300);
    const outsider = await clientLogin(server, 'ROLE_CLIENT');
    assert.equal((await analyze(server, 'cash_analysis', request(), outsider.token)).status, 404);
    assert.equal((await analyze(server, 'cash_analysis', { client_id: owner.id, currency_code: 'USD' }, outsider.token)).status, 404);
    const other = await server.otherTenant();
    assert.equal((await analyze(server, 'cash_analysis', request(), other.token)).status, 404);
  });
});
