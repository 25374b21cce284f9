import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startServer, type TestServer } from '../../support/server.ts';
import { checkEndpoint } from '../calculators/endpoint-checks.ts';
import { clientLogin, clientPortfolio, create, pricesFromReturns, securityWithPrices } from '../market/market-fixture.ts';

const DAILY = 0.001;
const BENCH_RETURNS = [0.01, -0.02, 0.015, 0.005, -0.01, 0.02];
const EXCESS = 0.0005;

function near(actual: number, expected: number, tolerance = 1e-9, what = '') {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what} expected ${expected}, got ${actual}`);
}

describe('performance_calculator', () => {
  let server: TestServer;
  const ids: Record<string, string> = {};
  const post = (body: Record<string, unknown>, token?: string) => server.request('POST', '/proton/v1/performance_calculator', { body, token });
  const stat = async (body: Record<string, unknown>) => {
    const result = await post(body);
    assert.equal(result.status, 200, JSON.stringify(result.body));
    return result.body;
  };

  before(async () => {
    server = await startServer();
    ids.steady = await securityWithPrices(server, 'STEADY', pricesFromReturns(Array(10).fill(DAILY)));
    ids.swing = await securityWithPrices(server, 'SWING', [100, 120, 90, 110, 80, 130]);
    ids.market = await securityWithPrices(server, 'MKT', pricesFromReturns(BENCH_RETURNS));
    ids.geared = await securityWithPrices(server, 'GEARED', pricesFromReturns(BENCH_RETURNS.map((b) => 2 * b + EXCESS)));
    ids.benchmark = await create(server, 'benchmark', { name: 'Market', composition: [{ security_id: ids.market, weight: 100 }] });
    const owned = await clientPortfolio(server);
    Object.assign(ids, owned);
    const sizes = [
      ['2023-01-01', 1000, 0],
      ['2023-07-02', 1600, 500],
      ['2024-01-01', 1760, 0],
    ] as const;
    for (const [date, asset_size, cash_flow] of sizes) {
      await create(server, 'portfolio_asset_size', { portfolio_id: owned.portfolio, account_id: owned.account, model_id: owned.model, date: `${date}T00:00:00.000Z`, asset_size, cash_flow });
    }
  });
  after(async () => {
    await server.close();
  });

  test('constant returns give exact cumulative and annual figures', async () => {
    const body = await checkEndpoint(server, '/performance_calculator', { stat_name: 'cum_return', security_id: ids.steady }, { body: { stat_name: 'nonsense', security_id: ids.steady }, field: 'stat_name' });
    near(body.value, 1.001 ** 10 - 1, 1e-12);
    assert.equal(body.periods, 10);
    assert.equal(body.measured, 'security_id');
    near((await stat({ stat_name: 'ann_return', security_id: ids.steady })).value, 1.001 ** 252 - 1, 1e-9);
    near((await stat({ stat_name: 'ann_vol', security_id: ids.steady })).value, 0, 1e-12);
    assert.equal((await stat({ stat_name: 'sharpe_ratio', security_id: ids.steady })).value, null);
    const rolling = await stat({ stat_name: 'rolling_n_day_return', security_id: ids.steady, n_day_returns: 3 });
    assert.equal(rolling.series.length, 8);
    for (const point of rolling.series) near(point.value, 1.001 ** 3 - 1, 1e-12);
  });

  test('maximum drawdown by hand: from the 120 peak to 80', async () => {
    near((await stat({ stat_name: 'max_drawdown', security_id: ids.swing })).value, 80 / 120 - 1, 1e-12);
    const rolling = await stat({ stat_name: 'rolling_n_day_max_drawdown', security_id: ids.swing, n_rolling_max_drawdown: 2 });
    // Windows of two returns: 100→120→90, 120→90→110, 90→110→80, 110→80→130.
    assert.deepEqual(rolling.series.map((p: { value: number }) => Number(p.value.toFixed(12))), [90 / 120 - 1, 90 / 120 - 1, 80 / 110 - 1, 80 / 110 - 1].map((v) => Number(v.toFixed(12))));
    const tooLong = await post({ stat_name: 'rolling_n_day_vol', security_id: ids.swing, n_rolling_volatility: 9 });
    assert.equal(tooLong.body.field, 'n_rolling_volatility');
  });

  test('sharpe, sortino and downside deviation from the formulas', async () => {
    const prices = [100, 120, 90, 110, 80, 130];
    const returns = prices.slice(1).map((p, t) => p / prices[t] - 1);
    const mean = returns.reduce((a, b) => a + b, 0) / 5;
    const sd = Math.sqrt(returns.reduce((a, r) => a + (r - mean) ** 2, 0) / 4);
    near((await stat({ stat_name: 'sharpe_ratio', security_id: ids.swing, risk_free_sharpe: 0.02 })).value, (mean * 252 - 0.02) / (sd * Math.sqrt(252)), 1e-9);
    const downside = Math.sqrt(returns.reduce((a, r) => a + Math.min(0, r) ** 2, 0) / 5) * Math.sqrt(252);
    near((await stat({ stat_name: 'downside_deviation', security_id: ids.swing })).value, downside, 1e-9);
    near((await stat({ stat_name: 'sortino_ratio', security_id: ids.swing })).value, (mean * 252) / downside, 1e-9);
  });

  test('alpha and beta against a benchmark: r = 2b + c gives β = 2, α = 252c', async () => {
    near((await stat({ stat_name: 'beta', security_id: ids.geared, benchmark_id: ids.benchmark })).value, 2, 1e-9);
    near((await stat({ stat_name: 'alpha', security_id: ids.geared, benchmark_id: ids.benchmark })).value, 252 * EXCESS, 1e-9);
    near((await stat({ stat_name: 'correlation', security_id: ids.geared, benchmark_id: ids.benchmark })).value, 1, 1e-9);
    const missing = await post({ stat_name: 'beta', security_id: ids.geared });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.field, 'benchmark_id');
  });

  test('time- and money-weighted returns of a portfolio with a deposit', async () => {
    near((await stat({ stat_name: 'cum_return', portfolio_id: ids.portfolio })).value, 0.21, 1e-12);
    const mwr = (await stat({ stat_name: 'mwr', portfolio_id: ids.portfolio })).value;
    // 1000 grows for 365 days and the 500 deposit for the 183 days to 2024-01-01; together 1760.
    near(1000 * (1 + mwr) + 500 * (1 + mwr) ** (183 / 365), 1760, 1e-6);
    const monthly = await stat({ stat_name: 'period_returns', portfolio_id: ids.portfolio, period_type: 'M' });
    assert.deepEqual(monthly.series.map((p: { date: string }) => p.date), ['2023-07-02', '2024-01-01']);
  });

  test('access: other tenants and other clients get 404', async () => {
    const other = await server.otherTenant();
    assert.equal((await post({ stat_name: 'cum_return', portfolio_id: ids.portfolio }, other.token)).status, 404);
    const client = await clientLogin(server);
    assert.equal((await post({ stat_name: 'cum_return', portfolio_id: ids.portfolio }, client.token)).status, 404);
    assert.equal((await post({ stat_name: 'cum_return', client_id: client.id }, client.token)).body.field, 'client_id');
    const noEntity = await post({ stat_name: 'cum_return' });
    assert.equal(noEntity.body.field, 'portfolio_id');
  });
});
