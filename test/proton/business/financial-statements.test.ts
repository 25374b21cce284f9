import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startServer, type TestServer } from '../../support/server.ts';
import { analyze, business, checkErrors, clientLogin, create, fxRate } from './fixtures.ts';

/*
 * Quarterly accrual statements of one business:
 *   2023-12-31 balance sheet: cash 40000, total_assets 380000
 *   2024-03-31 balance sheet: cash 50000, assets 400000, liabilities 160000, equity 240000
 *              income:        revenue 120000, net income 18000
 *   2024-06-30 balance sheet: cash 65000, assets 420000, liabilities 150000, equity 270000
 *              income:        revenue 150000, net income 27000
 * plus a cash-method statement and an annual one, which the default filters leave out.
 * Q2 2024 ratios: ROE 27000/270000 = 0.1, ROA 27000/420000, D/E 150000/270000,
 * margin 27000/150000 = 0.18, debt ratio 150000/420000, turnover 150000/420000.
 */
describe('business financial statements', () => {
  let server: TestServer;
  let owner: { id: string; token: string };
  let businessId: string;

  async function statement(date: string, type: string, stats: Record<string, number>, extra: Record<string, unknown> = {}) {
    const month = Number(date.slice(5, 7));
    return create(server, 'financial_statement', {
      business_id: businessId,
      accounting_method: 'accrual',
      currency_code: 'USD',
      statement_date: date,
      statement_type: type,
      period_length: 'quarterly',
      period_type: 'calendar',
      period_year: Number(date.slice(0, 4)),
      period_quarter: Math.ceil(month / 3),
      stats: Object.entries(stats).map(([stat_name, stat_value]) => ({ stat_name, stat_value })),
      ...extra,
    });
  }

  before(async () => {
    server = await startServer();
    owner = await clientLogin(server, 'ROLE_CLIENT');
    businessId = await business(server, owner.id, 'Ledger Labs');
    await statement('2023-12-31', 'balance_sheet', { cash: 40000, total_assets: 380000 });
    await statement('2024-03-31', 'balance_sheet', { cash: 50000, accounts_receivable: 20000, total_assets: 400000, total_liabilities: 160000, total_equity: 240000 });
    await statement('2024-03-31', 'income_statement', { total_revenue: 120000, cogs: 50000, gross_profit: 70000, net_income: 18000 });
    await statement('2024-06-30', 'balance_sheet', { cash: 65000, accounts_receivable: 18000, total_assets: 420000, total_liabilities: 150000, total_equity: 270000 });
    await statement('2024-06-30', 'income_statement', { total_revenue: 150000, cogs: 60000, gross_profit: 90000, net_income: 27000 });
    await statement('2024-06-30', 'income_statement', { total_revenue: 999999, net_income: 1 }, { accounting_method: 'cash' });
    await statement('2023-12-31', 'income_statement', { total_revenue: 500000, net_income: 60000 }, { period_length: 'annual', period_quarter: undefined });
  });
  after(async () => {
    await server.close();
  });

  describe('financial_statement_analysis', () => {
    const request = () => ({ business_id: businessId, accounting_method: 'accrual', currency_code: 'USD', start_date: '2024-01-01', end_date: '2024-06-30' });
    const byName = (body: any) => Object.fromEntries(body.stats.map((s: any) => [s.stat_name, s]));

    test('line items at the start and end of the window, their change and history', async () => {
      const result = await analyze(server, 'financial_statement_analysis', { ...request(), stat_names: ['cash', 'total_revenue', 'net_income', 'ebitda'], show_history: true, history_frequency_interval: 'quarter' });
      assert.equal(result.status, 200, JSON.stringify(result.body));
      assert.equal(result.body.statement_count, 4);
      assert.equal(result.body.currency_code, 'USD');
      assert.deepEqual(
        result.body.stats.map((s: any) => s.stat_name),
        ['cash', 'total_revenue', 'net_income', 'ebitda'],
      );
      const stats = byName(result.body);
      assert.deepEqual(stats.cash, {
        stat_name: 'cash',
        statement_count: 2,
        latest_value: 65000,
        latest_date: '2024-06-30',
        earliest_value: 50000,
        earliest_date: '2024-03-31',
        change: 15000,
        growth: 0.3,
        history: [
          { period_start: '2024-01-01', period_end: '2024-03-31', value: 50000, statement_date: '2024-03-31' },
          { period_start: '2024-04-01', period_end: '2024-06-30', value: 65000, statement_date: '2024-06-30' },
        ],
      });
      assert.deepEqual([stats.total_revenue.change, stats.total_revenue.growth], [30000, 0.25]);
      assert.deepEqual([stats.net_income.change, stats.net_income.growth], [9000, 0.5]);
      assert.deepEqual([stats.ebitda.statement_count, stats.ebitda.latest_value, stats.ebitda.change, stats.ebitda.growth], [0, null, null, null]);
    });

    test('statement type, period fields, accounting method and the window filter as they say', async () => {
      const sheets = await analyze(server, 'financial_statement_analysis', { ...request(), statement_type: 'balance_sheet' });
      assert.equal(sheets.body.statement_count, 2);
      assert.equal(byName(sheets.body).total_revenue.statement_count, 0);
      assert.equal(sheets.body.stats.length, 13);
      const q2 = await analyze(server, 'financial_statement_analysis', { ...request(), period_quarter: 2 });
      assert.deepEqual([byName(q2.body).cash.earliest_value, byName(q2.body).cash.change, byName(q2.body).cash.growth], [65000, 0, 0]);
      const cash = await analyze(server, 'financial_statement_analysis', { ...request(), accounting_method: 'cash' });
      assert.equal(byName(cash.body).total_revenue.latest_value, 999999);
      const annual = await analyze(server, 'financial_statement_analysis', { business_id: businessId, accounting_method: 'accrual', period_length: 'annual', end_date: '2024-06-30' });
      assert.equal(byName(annual.body).total_revenue.latest_value, 500000);
      const open = await analyze(server, 'financial_statement_analysis', { business_id: businessId, accounting_method: 'accrual', end_date: '2024-06-30', stat_names: ['cash'] });
      assert.equal(open.body.analysis_start, '2023-12-31');
      assert.deepEqual([open.body.stats[0].earliest_value, open.body.stats[0].change, open.body.stats[0].growth], [40000, 25000, 0.625]);
    });

    test('statements in another currency are converted at the rate of their date', async () => {
      const other = await business(server, owner.id, 'Ledger Labs GmbH');
      await create(server, 'financial_statement', {
        business_id: other,
        accounting_method: 'accrual',
        currency_code: 'EUR',
        statement_date: '2024-06-30',
        statement_type: 'balance_sheet',
        period_length: 'quarterly',
        stats: [{ stat_name: 'cash', stat_value: 1000 }],
      });
      await fxRate(server, 'EUR', 'USD', '2024-06-30', 1.25);
      await fxRate(server, 'EUR', 'USD', '2024-07-01', 2);
      const converted = await analyze(server, 'financial_statement_analysis', { business_id: other, accounting_method: 'accrual', currency_conversion: 'USD', end_date: '2024-12-31', stat_names: ['cash'] });
      assert.equal(converted.status, 200, JSON.stringify(converted.body));
      assert.equal(converted.body.currency_code, 'USD');
      assert.equal(converted.body.stats[0].latest_value, 1250);
      const native = await analyze(server, 'financial_statement_analysis', { business_id: other, accounting_method: 'accrual', end_date: '2024-12-31', stat_names: ['cash'] });
      assert.equal(native.body.currency_code, 'EUR');
      assert.equal(native.body.stats[0].latest_value, 1000);
    });

    test('bad input is a 400 naming the field, no token a 401', async () => {
      await checkErrors(server, 'financial_statement_analysis', request(), [
        { body: { business_id: businessId }, field: 'accounting_method' },
        { body: { accounting_method: 'accrual' }, field: 'business_id' },
        { body: { ...request(), stat_names: ['cash', 'cash'] }, field: 'stat_names' },
        { body: { ...request(), stat_names: ['goodwill'] }, field: 'stat_names[0]' },
        { body: { ...request(), period_quarter: 5 }, field: 'period_quarter' },
        { body: { ...request(), statement_type: 'cash_flow' }, field: 'statement_type' },
      ]);
    });

    test("a client login reads its own business's statements, and nobody else's", async () => {
      const own = await analyze(server, 'financial_statement_analysis', request(), owner.token);
      assert.equal(own.status, 200, JSON.stringify(own.body));
      assert.equal(own.body.statement_count, 4);
      const outsider = await clientLogin(server, 'ROLE_CLIENT');
      assert.equal((await analyze(server, 'financial_statement_analysis', request(), outsider.token)).status, 404);
      const other = await server.otherTenant();
      assert.equal((await analyze(server, 'financial_statement_analysis', request(), other.token)).status, 404);
    });
  });

  describe('financial_health_check', () => {
    const request = () => ({ business_id: businessId, accounting_method: 'accrual', period_year: 2024, period_quarter: 2 });
    const close = (actual: number | null, expected: number) => assert.ok(actual !== null && Math.abs(actual - expected) < 1e-12, `${actual} vs ${expected}`);

    test('ratios from the latest matching statements, against the default targets', async () => {
      const result = await analyze(server, 'financial_health_check', request());
      assert.equal(result.status, 200, JSON.stringify(result.body));
      const { figures, ratios, summary } = result.body;
      assert.equal(result.body.currency_code, 'USD');
      assert.deepEqual(
        Object.fromEntries(Object.entries(figures).map(([name, f]: [string, any]) => [name, [f.value, f.source, f.statement_date]])),
        {
          total_assets: [420000, 'statement', '2024-06-30'],
          total_liabilities: [150000, 'statement', '2024-06-30'],
          total_equity: [270000, 'statement', '2024-06-30'],
          total_revenue: [150000, 'statement', '2024-06-30'],
          net_income: [27000, 'statement', '2024-06-30'],
        },
      );
      close(ratios.return_on_equity.value, 0.1);
      close(ratios.return_on_assets.value, 27000 / 420000);
      close(ratios.debt_to_equity.value, 150000 / 270000);
      close(ratios.profit_margin.value, 0.18);
      close(ratios.debt_ratio.value, 150000 / 420000);
      close(ratios.asset_turnover.value, 150000 / 420000);
      assert.deepEqual(
        Object.fromEntries(Object.entries(ratios).map(([name, r]: [string, any]) => [name, [r.target, r.better, r.meets_target]])),
        {
          return_on_equity: [0.15, 'higher', false],
          return_on_assets: [0.05, 'higher', true],
          debt_to_equity: [1.5, 'lower', true],
          profit_margin: [0.1, 'higher', true],
          debt_ratio: [0.5, 'lower', true],
          asset_turnover: [1, 'higher', false],
        },
      );
      assert.deepEqual(summary, { ratios_evaluated: 6, targets_met: 4 });
    });

    test('figures in the body are used as given, and targets can be changed', async () => {
      const result = await analyze(server, 'financial_health_check', { ...request(), total_revenue: 420000, ratio_targets: { return_on_equity: 0.1 } });
      assert.equal(result.status, 200, JSON.stringify(result.body));
      assert.deepEqual(result.body.figures.total_revenue, { value: 420000, source: 'request', statement_id: null, statement_date: null });
      assert.equal(result.body.ratios.asset_turnover.value, 1);
      assert.equal(result.body.ratios.asset_turnover.meets_target, true);
      assert.equal(result.body.ratios.return_on_equity.target, 0.1);
      assert.equal(result.body.ratios.return_on_equity.meets_target, true);
      assert.equal(result.body.ratios.debt_ratio.target, 0.5);
      const bare = await analyze(server, 'financial_health_check', { total_assets: 100, total_liabilities: 60, total_equity: 40, total_revenue: 50, net_income: -5 });
      assert.equal(bare.status, 200, JSON.stringify(bare.body));
      assert.equal(bare.body.currency_code, null);
      assert.deepEqual(
        Object.values(bare.body.ratios).map((r: any) => [r.value, r.meets_target]),
        [
          [-0.125, false],
          [-0.05, false],
          [1.5, true],
          [-0.1, false],
          [0.6, false],
          [0.5, false],
        ],
      );
      const nothing = await analyze(server, 'financial_health_check', { total_assets: 100 });
      assert.deepEqual(nothing.body.summary, { ratios_evaluated: 0, targets_met: 0 });
      assert.equal(nothing.body.figures.total_equity.source, null);
      const zero = await analyze(server, 'financial_health_check', { total_assets: 0, total_liabilities: 10, total_revenue: 10 });
      assert.equal(zero.body.ratios.debt_ratio.value, null);
    });

    test('the latest statement wins without period fields, and the accounting method filters', async () => {
      const cash = await analyze(server, 'financial_health_check', { business_id: businessId, accounting_method: 'cash' });
      assert.equal(cash.body.figures.total_revenue.value, 999999);
      assert.equal(cash.body.figures.total_assets.value, null);
      const q1 = await analyze(server, 'financial_health_check', { ...request(), period_quarter: 1 });
      assert.equal(q1.body.figures.total_equity.value, 240000);
      close(q1.body.ratios.return_on_equity.value, 18000 / 240000);
      const annual = await analyze(server, 'financial_health_check', { business_id: businessId, accounting_method: 'accrual', period_length: 'annual' });
      assert.equal(annual.body.figures.total_revenue.value, 500000);
    });

    test('bad input is a 400 naming the field, no token a 401', async () => {
      await checkErrors(server, 'financial_health_check', request(), [
        { body: { total_assets: -1 }, field: 'total_assets' },
        { body: { ratio_targets: { debt_ratio: -0.5 } }, field: 'ratio_targets.debt_ratio' },
        { body: { ratio_targets: { debt_ratio: 'high' } }, field: 'ratio_targets.debt_ratio' },
        { body: { period_length: 'weekly' }, field: 'period_length' },
        { body: { accounting_method: 'hybrid' }, field: 'accounting_method' },
      ]);
    });

    test("a client login reads its own business's statements, and nobody else's", async () => {
      const own = await analyze(server, 'financial_health_check', request(), owner.token);
      assert.equal(own.status, 200, JSON.stringify(own.body));
      assert.equal(own.body.figures.total_equity.value, 270000);
      const outsider = await clientLogin(server, 'ROLE_CLIENT');
      assert.equal((await analyze(server, 'financial_health_check', request(), outsider.token)).status, 404);
      const other = await server.otherTenant();
      assert.equal((await analyze(server, 'financial_health_check', request(), other.token)).status, 404);
    });
  });
});
