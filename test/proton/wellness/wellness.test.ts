import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startServer, type TestServer } from '../../support/server.ts';
import { addDays, addMonths, monthStart, today } from '../../../src/proton/calendar.ts';
import { FEES, buildHousehold, clientToken, type Household, type PlantedTransaction } from './household-fixture.ts';

/** Cents of a list of planted amounts, added as integers. */
const centsOf = (items: { amount: number }[]) => items.reduce((sum, t) => sum + Math.round(t.amount * 100), 0) / 100;
/** A hand computation with decimals, brought to the cent as the API reports it. */
const r2 = (value: number) => Math.round(value * 100) / 100;
const inWindow = (t: PlantedTransaction, start: string, end: string) => t.date >= start && t.date <= end;

describe('wellness endpoints over a year of planted transactions', () => {
  let server: TestServer;
  let home: Household;
  let other: Household;
  let otherToken: string;
  let foreignToken: string;

  before(async () => {
    server = await startServer();
    home = await buildHousehold(server, 'wellness-ann');
    other = await buildHousehold(server, 'wellness-bob');
    otherToken = await clientToken(server, other);
    foreignToken = (await server.otherTenant()).token;
  });
  after(async () => {
    await server.close();
  });

  const post = (path: string, body: unknown, token?: string | null) => server.request('POST', `/proton/v1${path}`, { body, ...(token === undefined ? {} : { token }) });

  /** 401 without a token; 404 for another client's login and for another tenant. */
  async function checkAccess(path: string, body: Record<string, unknown>): Promise<void> {
    assert.equal((await post(path, body, null)).status, 401);
    assert.equal((await post(path, body, otherToken)).status, 404, 'another client');
    assert.equal((await post(path, body, foreignToken)).status, 404, 'another tenant');
  }

  async function badField(path: string, body: Record<string, unknown>, field: string): Promise<void> {
    const result = await post(path, body);
    assert.equal(result.status, 400, JSON.stringify(result.body));
    assert.equal(result.body.field, field, JSON.stringify(result.body));
  }

  describe('recurring_transaction_analysis', () => {
    const path = '/recurring_transaction_analysis';
    const year = () => ({ client_id: home.clientId, start_date: '2025-01-01', end_date: '2025-12-31' });
    const keys = (body: { recurring_transactions: { merchant: string; frequency: string; occurrences: number }[] }) =>
      body.recurring_transactions.map((s) => `${s.merchant}|${s.frequency}|${s.occurrences}`).sort();

    test('finds exactly the planted series, no more, no fewer', async () => {
      const result = await post(path, { ...year(), show_recurring_details: true });
      assert.equal(result.status, 200, JSON.stringify(result.body));
      assert.deepEqual(keys(result.body), home.series.map((s) => `${s.merchant}|${s.frequency}|${s.dates.length}`).sort());
      for (const planted of home.series) {
        const series = result.body.recurring_transactions.find((s: { merchant: string }) => s.merchant === planted.merchant);
        const sorted = [...planted.amounts].sort((a, b) => a - b);
        const middle = sorted.length / 2;
        const median = sorted.length % 2 ? sorted[Math.floor(middle)] : (sorted[middle - 1] + sorted[middle]) / 2;
        assert.ok(Math.abs(series.typical_amount - median) < 0.006, `${planted.merchant} median`);
        assert.equal(series.total_amount, centsOf(planted.amounts.map((amount) => ({ amount }))));
        assert.equal(series.first_date, planted.dates[0]);
        assert.equal(series.last_date, planted.dates.at(-1));
        assert.deepEqual(series.transactions.map((t: { date: string }) => t.date), planted.dates);
      }
      const byMerchant = Object.fromEntries(result.body.recurring_transactions.map((s: { merchant: string; next_expected_date: string }) => [s.merchant, s.next_expected_date]));
      assert.deepEqual(byMerchant, { StreamFlix: '2026-01-06', 'SafeHome Insurance': '2026-01-14', 'City Gym': '2025-05-12', 'Oak Street Rentals': '2026-01-02' });
      // Streaming: median of twelve jittered amounts 15.49 (both middle values), times 12; insurance 320 × 4; gym 12 × 52; rent 1500 × 12.
      assert.equal(result.body.total_annual_cost, r2(15.49 * 12 + 1280 + 624 + 18000));
      assert.equal(result.body.currency_code, 'USD');
    });

    test('the window, the tolerances and the status scope filter as named', async () => {
      const second = await post(path, { ...year(), start_date: '2025-07-01' });
      assert.deepEqual(keys(second.body), ['Oak Street Rentals|monthly|6', 'StreamFlix|monthly|6']);
      const exactAmounts = await post(path, { ...year(), amount_deviation_threshold: 0 });
      assert.deepEqual(keys(exactAmounts.body), ['City Gym|weekly|10', 'Oak Street Rentals|monthly|12', 'SafeHome Insurance|quarterly|4']);
      const exactDays = await post(path, { ...year(), interval_deviation_threshold: 0 });
      assert.deepEqual(keys(exactDays.body), ['City Gym|weekly|10', 'Oak Street Rentals|monthly|12']);
      const pending = await post(path, { ...year(), transaction_status_scope: ['pending'] });
      assert.equal(pending.body.series_count, 0);
      const flaggedOnly = await post(path, { ...year(), analyze_transactions: false });
      assert.equal(flaggedOnly.body.series_count, 0, 'no transaction is marked is_recurring');
      const internal = await post(path, { ...year(), scope: 'internal' });
      assert.equal(internal.body.series_count, 0, 'the planted transactions are all external');
      const card = await post(path, { ...year(), aggregation_account_ids: [home.accounts.card] });
      assert.deepEqual(keys(card.body), ['City Gym|weekly|10', 'StreamFlix|monthly|12']);
    });

    test('errors and access', async () => {
      await badField(path, { ...year(), amount_deviation_threshold: 2 }, 'amount_deviation_threshold');
      await badField(path, { ...year(), start_date: '2026-01-01' }, 'start_date');
      await badField(path, { start_date: '2025-01-01', end_date: '2025-12-31' }, 'client_id');
      await badField(path, { ...year(), currency_conversion: 'GBP' }, 'currency_conversion');
      await checkAccess(path, year());
      const own = await post(path, { client_id: other.clientId, start_date: '2025-01-01', end_date: '2025-12-31' }, otherToken);
      assert.equal(own.status, 200, 'a client analyses its own transactions');
      assert.equal(own.body.series_count, 4);
    });
  });

  describe('fee_analysis', () => {
    const path = '/fee_analysis';
    const year = () => ({ client_id: home.clientId, start_date: '2025-01-01', end_date: '2025-12-31' });

    test('finds the planted fees by each rule and nets the refund', async () => {
      const result = await post(path, year());
      assert.equal(result.status, 200, JSON.stringify(result.body));
      const charged = FEES.filter((f) => f.type === 'Debit');
      assert.equal(result.body.total_fees, centsOf(charged));
      assert.equal(result.body.total_refunds, 35);
      assert.equal(result.body.net_fees, r2(centsOf(charged) - 35));
      assert.equal(result.body.fee_count, charged.length);
      assert.equal(result.body.refund_count, 1);
      assert.equal(result.body.fees.length, FEES.length, 'nothing else is taken for a fee');
      const types = Object.fromEntries(result.body.by_type.map((t: { fee_type: string; total: number; refunds: number; count: number }) => [t.fee_type, [t.total, t.refunds, t.count]]));
      assert.deepEqual(types, { overdraft: [70, 35, 2], late_payment: [39, 0, 1], wire_transfer: [25, 0, 1], atm: [6, 0, 2], foreign_transaction: [2.55, 0, 1] });
      const rules = Object.fromEntries(result.body.fees.map((f: { date: string; rule: string }) => [f.date, f.rule]));
      assert.equal(rules['2025-03-10'], 'category');
      assert.equal(rules['2025-02-03'], 'description');
      assert.equal(rules['2025-11-05'], 'is_fee');
      const accounts = Object.fromEntries(result.body.by_account.map((a: { aggregation_account_id: string; net: number }) => [a.aggregation_account_id, a.net]));
      assert.deepEqual(accounts, { [home.accounts.checking]: 66, [home.accounts.card]: 41.55 });
      assert.deepEqual(result.body.by_month.map((m: { month: string }) => m.month), ['2025-02', '2025-03', '2025-06', '2025-07', '2025-08', '2025-09', '2025-11']);
    });

    test('the window and the accounts filter as named', async () => {
      const summer = await post(path, { ...year(), start_date: '2025-06-01', end_date: '2025-08-31' });
      assert.equal(summer.body.total_fees, r2(3 + 2.55 + 35));
      const card = await post(path, { ...year(), aggregation_account_ids: [home.accounts.card] });
      assert.equal(card.body.total_fees, 41.55);
    });

    test('the fee of a trade counts; the trade is neither a fee nor spending', async () => {
      const trade = await server.request('POST', '/nucleus/v1/aggregation_account_transaction', {
        body: {
          aggregation_account_id: home.accounts.brokerage,
          currency_code: 'USD',
          transaction_date: '2024-12-16T15:00:00.000Z',
          investment: { price: 101.25, quantity: 10, trade_signal: 'Buy', fee: 4.95, ticker: 'IDX' },
        },
      });
      assert.equal(trade.status, 201, JSON.stringify(trade.body));
      const december = { client_id: home.clientId, start_date: '2024-12-01', end_date: '2024-12-31' };
      const fees = await post(path, december);
      assert.deepEqual(fees.body.fees.map((f: { amount: number; rule: string; fee_type: string }) => [f.amount, f.rule, f.fee_type]), [[4.95, 'trade_fee', 'trading']]);
      const flows = await post('/cash_flow_analysis', december);
      assert.equal(flows.body.spending_summary.total, 0);
    });

    test("a trade that also carries the bank's side of it is still a trade", async () => {
      const price = 52.1;
      const quantity = 20;
      const fee = 7.5;
      const trade = await server.request('POST', '/nucleus/v1/aggregation_account_transaction', {
        body: {
          aggregation_account_id: home.accounts.brokerage,
          currency_code: 'USD',
          transaction_date: '2024-11-12T15:00:00.000Z',
          bank_credit: { transaction_type: 'Debit', amount: price * quantity + fee, merchant: 'Broker Co', category: 'Investments' },
          investment: { price, quantity, trade_signal: 'Buy', fee, ticker: 'IDX' },
        },
      });
      assert.equal(trade.status, 201, JSON.stringify(trade.body));
      // The household has nothing else in November 2024: only the trade's fee, and no spending.
      const november = { client_id: home.clientId, start_date: '2024-11-01', end_date: '2024-11-30' };
      const fees = await post(path, november);
      assert.deepEqual(fees.body.fees.map((f: { amount: number; rule: string }) => [f.amount, f.rule]), [[fee, 'trade_fee']]);
      assert.equal(fees.body.total_fees, fee);
      const flows = await post('/cash_flow_analysis', november);
      assert.deepEqual([flows.body.spending_summary.total, flows.body.income_summary.total], [0, 0]);
    });

    test('errors and access', async () => {
      await badField(path, { ...year(), end_date: 'yesterday' }, 'end_date');
      await badField(path, { ...year(), client_id: 'not-a-uuid' }, 'client_id');
      await checkAccess(path, year());
      await checkAccess(path, { aggregation_account_ids: [home.accounts.checking] });
    });
  });

  describe('cash_flow_analysis', () => {
    const path = '/cash_flow_analysis';
    const june = () => ({ client_id: home.clientId, start_date: '2025-06-01', end_date: '2025-06-30' });
    const flows = (start: string, end: string, type: 'Credit' | 'Debit') => home.transactions.filter((t) => inWindow(t, start, end) && t.type === type && !t.is_transfer);

    test('income and spending against the window just before', async () => {
      const result = await post(path, { ...june(), show_spending_details: true, show_income_details: true });
      assert.equal(result.status, 200, JSON.stringify(result.body));
      assert.equal(result.body.benchmark_start_date, '2025-05-02');
      assert.equal(result.body.benchmark_end_date, '2025-05-31');
      const income = centsOf(flows('2025-06-01', '2025-06-30', 'Credit'));
      const spending = centsOf(flows('2025-06-01', '2025-06-30', 'Debit'));
      const spendingBefore = centsOf(flows('2025-05-02', '2025-05-31', 'Debit'));
      assert.equal(result.body.income_summary.total, income);
      assert.equal(result.body.income_summary.total, 4000);
      assert.equal(result.body.income_summary.benchmark_total, 0, 'the May salary came on the 1st, before the benchmark');
      assert.equal(result.body.income_summary.change_percent, null);
      assert.equal(result.body.spending_summary.total, spending);
      assert.equal(result.body.spending_summary.benchmark_total, spendingBefore);
      assert.equal(result.body.spending_summary.transaction_count, flows('2025-06-01', '2025-06-30', 'Debit').length);
      assert.ok(Math.abs(result.body.spending_summary.change_percent - (spending - spendingBefore) / spendingBefore) < 1e-9);
      assert.equal(result.body.net_summary.total, Math.round((income - spending) * 100) / 100);
      const categories = new Map<string, number>();
      for (const t of flows('2025-06-01', '2025-06-30', 'Debit')) categories.set(t.category ?? '', (categories.get(t.category ?? '') ?? 0) + Math.round(t.amount * 100));
      const reported = result.body.spending_details.by_category.map((c: { category: string | null; total: number }) => [c.category ?? '', c.total]);
      assert.deepEqual(new Map(reported), new Map([...categories].map(([k, v]) => [k, v / 100])));
      const shares = result.body.spending_details.by_category.reduce((s: number, c: { share: number }) => s + c.share, 0);
      assert.ok(Math.abs(shares - 1) < 1e-9);
      assert.deepEqual(result.body.income_details.by_merchant.map((m: { merchant: string }) => m.merchant), ['Acme Corp Payroll']);
    });

    test('history by month, an explicit benchmark, scope and status', async () => {
      const quarter = await post(path, { client_id: home.clientId, start_date: '2025-01-15', end_date: '2025-03-31', benchmark_start_date: '2025-10-01', benchmark_end_date: '2025-12-31', show_history: true });
      assert.equal(quarter.status, 200, JSON.stringify(quarter.body));
      assert.deepEqual(quarter.body.history.map((h: { period_start: string; period_end: string }) => [h.period_start, h.period_end]), [
        ['2025-01-15', '2025-01-31'],
        ['2025-02-01', '2025-02-28'],
        ['2025-03-01', '2025-03-31'],
      ]);
      assert.equal(quarter.body.history[1].spending, centsOf(flows('2025-02-01', '2025-02-28', 'Debit')));
      assert.equal(quarter.body.history[0].income, 0);
      assert.equal(quarter.body.income_summary.benchmark_total, 12000);
      assert.equal(quarter.body.spending_summary.benchmark_total, centsOf(flows('2025-10-01', '2025-12-31', 'Debit')));
      const posted = await post(path, { client_id: home.clientId, start_date: '2025-12-01', end_date: '2025-12-31', transaction_status_scope: ['posted'] });
      const all = await post(path, { client_id: home.clientId, start_date: '2025-12-01', end_date: '2025-12-31' });
      assert.equal(Math.round((all.body.spending_summary.total - posted.body.spending_summary.total) * 100), 7500, 'the pending purchase');
      const internal = await post(path, { ...june(), scope: 'internal' });
      assert.equal(internal.body.income_summary.total, 0);
      const external = await post(path, { ...june(), scope: 'external' });
      assert.equal(external.body.income_summary.total, 4000);
    });

    test('internal: portfolio transactions of the accounts, cleansed or not', async () => {
      const make = async (entity: string, body: Record<string, unknown>) => {
        const created = await server.request('POST', `/nucleus/v1/${entity}`, { body });
        assert.equal(created.status, 201, `${entity}: ${JSON.stringify(created.body)}`);
        return created.body.id as string;
      };
      const client = await make('client', { username: 'wellness-carol@example.com', client_type: 'individual' });
      const account_type_id = await make('account_type', { name: 'Wellness cash' });
      const account = await make('account', { name: 'Carol cash', account_type_id, clients: [{ client_id: client, client_account_association_type: 'owner' }] });
      const model_id = await make('model', { name: 'Wellness cash model' });
      const portfolio_id = await make('portfolio', { name: 'Carol cash', account_id: account, percentage: 100, model_id });
      const deposit = await make('transaction_code', { transaction_code: 'WELL-DEP', is_deposit: true });
      const purchase = await make('transaction_code', { transaction_code: 'WELL-BUY', is_deposit: false });
      const movement = (date: string, amount: number, transaction_code_id: string, extra: Record<string, unknown>) =>
        make('portfolio_transaction', { account_id: account, portfolio_id, model_id, transaction_code_id, date: `${date}T08:00:00.000Z`, amount, currency_code: 'USD', ...extra });
      await movement('2025-06-03', 250, deposit, { is_cleansed: true, category: 'Income' });
      await movement('2025-06-09', 40, purchase, { is_cleansed: false, merchant: 'Cafe', category: 'Restaurants' });
      await movement('2025-07-09', 55, purchase, { is_cleansed: true, merchant: 'Cafe' });
      const body = { client_id: client, start_date: '2025-06-01', end_date: '2025-06-30' };
      const all = await post(path, body);
      assert.equal(all.status, 200, JSON.stringify(all.body));
      assert.deepEqual([all.body.income_summary.total, all.body.spending_summary.total], [250, 40]);
      const cleansed = await post(path, { ...body, only_cleansed: true });
      assert.deepEqual([cleansed.body.income_summary.total, cleansed.body.spending_summary.total], [250, 0]);
      const external = await post(path, { ...body, scope: 'external' });
      assert.deepEqual([external.body.income_summary.total, external.body.spending_summary.total], [0, 0]);
      const named = await post(path, { account_ids: [account], start_date: '2025-06-01', end_date: '2025-06-30' });
      assert.equal(named.body.spending_summary.total, 40);
      assert.equal((await post(path, { account_ids: [account], start_date: '2025-06-01' }, otherToken)).status, 404);
    });

    test('errors and access', async () => {
      await badField(path, { ...june(), benchmark_start_date: '2025-01-01' }, 'benchmark_end_date');
      await badField(path, { ...june(), scope: 'everything' }, 'scope');
      await badField(path, { ...june(), start_date: '0001-01-01' }, 'start_date');
      await badField(path, { ...june(), benchmark_start_date: '2025-05-01', benchmark_end_date: '2025-04-01' }, 'benchmark_start_date');
      await badField(path, { start_date: '2025-06-01' }, 'client_id');
      await checkAccess(path, june());
      await checkAccess(path, { aggregation_account_ids: [home.accounts.card] });
    });
  });

  describe('financial_picture', () => {
    const path = '/financial_picture';

    test('net worth by category, its change and its history', async () => {
      const result = await post(path, { client_id: home.clientId, start_date: '2025-03-01', end_date: '2025-12-31', show_change: true, show_history: true });
      assert.equal(result.status, 200, JSON.stringify(result.body));
      assert.equal(result.body.total_assets, 46700.85);
      assert.equal(result.body.total_liabilities, 196200.4);
      assert.equal(result.body.net_worth, -149499.55);
      assert.deepEqual(result.body.asset_details.map((c: { category: string; balance: number }) => [c.category, c.balance]), [['Investment', 33500.1], ['Bank Account', 13200.75]]);
      assert.deepEqual(result.body.liability_details.map((c: { category: string; balance: number }) => [c.category, c.balance]), [['Mortgage', 195000], ['Credit Card', 1200.4]]);
      assert.deepEqual(result.body.history.map((h: { date: string; net_worth: number }) => [h.date, h.net_worth]), [
        ['2025-03-01', 40500 - 200400],
        ['2025-06-30', r2(41100.5 - 198450.25)],
        ['2025-12-31', -149499.55],
      ]);
      assert.equal(result.body.change.net_worth.change, r2(-149499.55 - (40500 - 200400)));
      assert.equal(result.body.change.total_assets.start, 40500);
    });

    test('an earlier day, no breakdown, and a currency filter', async () => {
      const midyear = await post(path, { client_id: home.clientId, end_date: '2025-06-30', show_category_breakdown: false });
      assert.equal(midyear.body.net_worth, r2(41100.5 - 198450.25));
      assert.equal(midyear.body.asset_details, undefined);
      const euros = await post(path, { client_id: home.clientId, end_date: '2025-06-30', currency_code: 'EUR' });
      assert.equal(euros.body.total_assets, 0);
      const rates = await server.request('POST', '/nucleus/v1/resource/fx_rate', {
        body: [
          { currency_code_from: 'USD', currency_code_to: 'EUR', date: '2025-01-01T00:00:00.000Z', exchange_rate: 0.9 },
          { currency_code_from: 'USD', currency_code_to: 'EUR', date: '2025-06-01T00:00:00.000Z', exchange_rate: 0.8 },
        ],
      });
      assert.equal(rates.status, 201, JSON.stringify(rates.body));
      const converted = await post(path, { client_id: home.clientId, start_date: '2025-03-01', end_date: '2025-06-30', currency_conversion: 'EUR', show_history: true });
      assert.equal(converted.body.currency_code, 'EUR');
      assert.deepEqual(converted.body.history.map((h: { net_worth: number }) => h.net_worth), [r2((40500 - 200400) * 0.9), r2((41100.5 - 198450.25) * 0.8)]);
      const cashFlow = await post('/cash_flow_analysis', { client_id: home.clientId, start_date: '2025-06-01', end_date: '2025-06-30', currency_conversion: 'EUR' });
      assert.equal(cashFlow.body.income_summary.total, 3200);
    });

    test('start_date defaults to twelve months before end_date, to the day', async () => {
      const end = '2026-06-29';
      const start = '2025-06-29';
      const liabilities = new Set(['card', 'mortgage']);
      // Each account stands at its latest balance on or before the day.
      const totalOn = (day: string, assets: boolean) => {
        const latest = new Map<string, number>();
        for (const b of [...home.balances].sort((x, y) => x.date.localeCompare(y.date))) {
          if (b.date <= day && liabilities.has(b.account) !== assets) latest.set(b.account, b.balance);
        }
        return r2([...latest.values()].reduce((sum, balance) => sum + balance, 0));
      };
      const result = await post(path, { client_id: home.clientId, end_date: end, show_change: true, show_history: true });
      assert.equal(result.status, 200, JSON.stringify(result.body));
      assert.equal(result.body.change.start_date, start);
      assert.equal(result.body.history[0].date, start);
      assert.equal(result.body.change.total_assets.start, totalOn(start, true));
      assert.equal(result.body.change.total_liabilities.start, totalOn(start, false));
      assert.equal(result.body.change.total_assets.end, totalOn(end, true));
    });

    test('errors and access', async () => {
      await badField(path, { end_date: '2025-06-30' }, 'client_id');
      await badField(path, { client_id: home.clientId, show_change: 'yes' }, 'show_change');
      await checkAccess(path, { client_id: home.clientId });
      const household = await server.request('POST', '/nucleus/v1/household', { body: { name: 'Ann and Bob', members: [{ client_id: home.clientId, is_primary: true }, { client_id: other.clientId, is_primary: false }] } });
      assert.equal(household.status, 201, JSON.stringify(household.body));
      const both = await post(path, { household_id: household.body.id, end_date: '2025-12-31' });
      assert.equal(both.body.total_assets, r2(2 * 46700.85));
      const householdFlows = await post('/cash_flow_analysis', { household_id: household.body.id, start_date: '2025-06-01', end_date: '2025-06-30' });
      assert.equal(householdFlows.body.income_summary.total, 8000, "both members' salaries");
      assert.equal((await post(path, { household_id: household.body.id }, foreignToken)).status, 404);
    });
  });

  describe('financial_health_check', () => {
    const path = '/financial_health_check';
    const given = { liquid_assets: 12000, non_liquid_assets: 150000, total_liabilities: 90000, short_term_liabilities: 2500, gross_annual_income: 85000, net_monthly_income: 5200, monthly_expenses: 3900 };

    test('ratios of given figures against the default and custom targets', async () => {
      const result = await post(path, { ...given, ratio_targets: { current_ratio: 5 } });
      assert.equal(result.status, 200, JSON.stringify(result.body));
      const values = Object.fromEntries(Object.entries(result.body.ratios).map(([k, v]) => [k, (v as { value: number }).value]));
      const expected = {
        liquidity_ratio_expenses: 12000 / 3900,
        liquidity_ratio_liabilities: 12000 / 90000,
        current_ratio: 12000 / 2500,
        asset_allocation_ratio: 162000 / 90000,
        savings_ratio_gross: (12 * 1300) / 85000,
        savings_ratio_net: 1300 / 5200,
      };
      for (const [name, value] of Object.entries(expected)) assert.ok(Math.abs(values[name] - value) < 1e-12, name);
      assert.equal(result.body.ratios.current_ratio.passed, false, '4.8 is under the target of 5');
      assert.equal(result.body.ratios.liquidity_ratio_expenses.target, 2.5);
      assert.equal(result.body.ratios_passed, 5);
      assert.equal(result.body.figures.liquid_assets.source, 'request');
    });

    test("figures left out are found in the client's records", async () => {
      const recent = [1, 2, 3].map((back) => monthStart(addMonths(today(), -back)));
      const outside = [monthStart(addMonths(today(), -4)), monthStart(today())];
      const transaction = (date: string, amount: number, type: string, extra: Record<string, unknown> = {}) =>
        server.request('POST', '/nucleus/v1/aggregation_account_transaction', {
          body: { aggregation_account_id: home.accounts.checking, currency_code: 'USD', transaction_date: `${addDays(date, 4)}T09:00:00.000Z`, ...extra, bank_credit: { amount, transaction_type: type, merchant: 'Health check' } },
        });
      for (const month of recent) {
        assert.equal((await transaction(month, 5000, 'Credit')).status, 201);
        assert.equal((await transaction(month, 1234.56, 'Debit')).status, 201);
        assert.equal((await transaction(month, 500, 'Debit', { is_transfer: true })).status, 201);
      }
      for (const month of outside) assert.equal((await transaction(month, 999, 'Debit')).status, 201);
      const result = await post(path, { client_id: home.clientId, total_liabilities: 100000 });
      assert.equal(result.status, 200, JSON.stringify(result.body));
      const figures = Object.fromEntries(Object.entries(result.body.figures).map(([k, v]) => [k, [(v as { value: number }).value, (v as { source: string }).source]]));
      assert.deepEqual(figures, {
        liquid_assets: [13200.75, 'nucleus'],
        non_liquid_assets: [33500.1, 'nucleus'],
        total_liabilities: [100000, 'request'],
        short_term_liabilities: [1200.4, 'nucleus'],
        gross_annual_income: [60000, 'nucleus'],
        net_monthly_income: [5000, 'nucleus'],
        monthly_expenses: [1234.56, 'nucleus'],
      });
      assert.ok(Math.abs(result.body.ratios.savings_ratio_net.value - (5000 - 1234.56) / 5000) < 1e-12);
      assert.ok(Math.abs(result.body.ratios.current_ratio.value - 13200.75 / 1200.4) < 1e-12);
      assert.equal(result.body.ratios.asset_allocation_ratio.target, 1.5, 'targets left out keep their defaults');
      assert.equal(result.body.ratios.savings_ratio_gross.target, 0.1);
      const oneMonth = await post(path, { client_id: home.clientId, lookback_periods: 1 });
      assert.equal(oneMonth.body.figures.monthly_expenses.value, 1234.56);
    });

    test('a ratio without its figures is not computed', async () => {
      const result = await post(path, { liquid_assets: 1000, monthly_expenses: 0 });
      assert.equal(result.body.ratios.liquidity_ratio_expenses.value, null);
      assert.equal(result.body.ratios.liquidity_ratio_expenses.passed, null);
      assert.equal(result.body.ratios_computed, 0);
      assert.equal(result.body.figures.total_liabilities.source, 'missing');
    });

    test('errors and access', async () => {
      await badField(path, { ...given, liquid_assets: -1 }, 'liquid_assets');
      await badField(path, { ...given, lookback_periods: 0 }, 'lookback_periods');
      await badField(path, { ...given, ratio_targets: { current_ratio: -1 } }, 'ratio_targets.current_ratio');
      await checkAccess(path, { client_id: home.clientId });
    });
  });
});
