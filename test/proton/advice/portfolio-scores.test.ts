import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { startServer, type TestServer } from '../../support/server.ts';
import { post } from '../../nucleus/views/world.ts';
import { diversification } from '../../../src/proton/advice/diversification.ts';
import { checkEndpoint } from '../calculators/endpoint-checks.ts';

const near = (actual: number, expected: number, tolerance = 1e-6) => assert.ok(Math.abs(actual - expected) <= tolerance, `expected ${expected}, got ${actual}`);

const DAYS = ['2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06', '2026-03-09', '2026-03-10', '2026-03-11', '2026-03-12', '2026-03-13', '2026-03-16'];
const RETURNS: Record<string, number[]> = {
  AAA: [0.01, -0.005, 0.012, 0.003, -0.008, 0.015, 0.002, -0.004, 0.009, 0.006],
  BBB: [0.002, 0.004, -0.001, 0.003, 0.002, -0.002, 0.004, 0.001, 0, 0.003],
  CCC: [-0.006, 0.01, 0.004, -0.007, 0.012, -0.003, 0.008, 0.005, -0.01, 0.011],
};
const TICKERS = Object.keys(RETURNS);
const PRICES = Object.fromEntries(TICKERS.map((t) => [t, RETURNS[t].reduce((prices, r) => [...prices, prices[prices.length - 1] * (1 + r)], [100])]));

/** Annual mean and sample covariance (× 252) of the daily returns of the stored prices, computed here independently. */
function annualMoments() {
  const returns = TICKERS.map((t) => PRICES[t].slice(1).map((p, i) => p / PRICES[t][i] - 1));
  const n = returns[0].length;
  const means = returns.map((r) => r.reduce((a, b) => a + b, 0) / n);
  const cov = returns.map((ri, i) => returns.map((rj, j) => (252 * ri.reduce((sum, x, t) => sum + (x - means[i]) * (rj[t] - means[j]), 0)) / (n - 1)));
  return { mu: means.map((m) => 252 * m), cov };
}

function inverse3(m: number[][]): number[][] {
  const [[a, b, c], [d, e, f], [g, h, i]] = m;
  const det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
  return [
    [(e * i - f * h) / det, (c * h - b * i) / det, (b * f - c * e) / det],
    [(f * g - d * i) / det, (a * i - c * g) / det, (c * d - a * f) / det],
    [(d * h - e * g) / det, (b * g - a * h) / det, (a * e - b * d) / det],
  ];
}

/** Merton's closed form of the frontier with only the budget constraint: σ²(R) = (aR² − 2bR + c) / d. */
function frontier() {
  const { mu, cov } = annualMoments();
  const inv = inverse3(cov);
  const times = (v: number[]) => inv.map((row) => row.reduce((sum, x, j) => sum + x * v[j], 0));
  const ones = [1, 1, 1];
  const dot = (x: number[], y: number[]) => x.reduce((sum, v, i) => sum + v * y[i], 0);
  const a = dot(ones, times(ones));
  const b = dot(ones, times(mu));
  const c = dot(mu, times(mu));
  const d = a * c - b * b;
  const equal = [1 / 3, 1 / 3, 1 / 3];
  const portfolio = { return: dot(equal, mu), risk: Math.sqrt(dot(equal, cov.map((row) => dot(row, equal)))) };
  return { a, b, c, d, portfolio, leastReturn: b / a, riskAt: (r: number) => Math.sqrt((a * r * r - 2 * b * r + c) / d), returnAt: (s: number) => (b + Math.sqrt(b * b - a * (c - d * s * s))) / a };
}

describe('diversification math', () => {
  test('uncorrelated equal risks halve the variance of two; one security diversifies nothing', () => {
    const result = diversification([0.5, 0.5], [[0.04, 0], [0, 0.04]]);
    near(result.score, 50, 1e-12);
    near(result.ratio!, Math.SQRT2, 1e-12);
    near(diversification([1], [[0.04]]).score, 0, 1e-12);
    // Perfectly opposed: the risks cancel.
    near(diversification([0.5, 0.5], [[0.04, -0.04], [-0.04, 0.04]]).score, 100, 1e-12);
  });
});

describe('portfolio scores', () => {
  let server: TestServer;
  const ids: Record<string, string> = {};
  before(async () => {
    server = await startServer();
    const p = (entity: string, body: object) => post(server, entity, body);
    for (const ticker of TICKERS) {
      ids[ticker] = await p('security', { name: ticker, ticker });
      for (const [i, day] of DAYS.entries()) await p('security_price', { security_id: ids[ticker], date: `${day}T21:00:00Z`, price: PRICES[ticker][i] });
    }
    ids.model = await p('model', { name: 'Thirds' });
    for (const ticker of TICKERS) await p('model_holding', { model_id: ids.model, security_id: ids[ticker], date: '2026-03-01', current_weight: 100 / 3, strategic_weight: 100 / 3 });
  });
  after(async () => {
    await server.close();
  });

  const thirds = { portfolio_tickers: TICKERS, portfolio_weights: [1 / 3, 1 / 3, 1 / 3] };

  test('diversification_score', async () => {
    const body = await checkEndpoint(server, '/diversification_score', thirds, { body: { ...thirds, portfolio_weights: [0.5, 0.5, 0.5] }, field: 'portfolio_weights' });
    const { cov } = annualMoments();
    const risks = cov.map((row, i) => Math.sqrt(row[i]));
    const weighted = risks.reduce((a, b) => a + b, 0) / 3;
    const variance = cov.flat().reduce((a, b) => a + b, 0) / 9;
    near(body.diversification_score, 100 * (1 - variance / weighted ** 2));
    near(body.portfolio_risk, Math.sqrt(variance));
    near(body.weighted_average_risk, weighted);
    assert.equal(body.periods, 10);
    assert.equal(body.start_date, '2026-03-03');
    // The model holds the same thirds.
    const byModel = await server.request('POST', '/proton/v1/diversification_score', { body: { model_id: ids.model } });
    assert.equal(byModel.status, 200, JSON.stringify(byModel.body));
    near(byModel.body.diversification_score, body.diversification_score);
    const unknown = await server.request('POST', '/proton/v1/diversification_score', { body: { ...thirds, portfolio_tickers: ['AAA', 'BBB', 'ZZZ'] } });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.field, 'portfolio_tickers[2]');
    const integration = await server.request('POST', '/proton/v1/diversification_score', { body: { ...thirds, market_data_source: 'integration' } });
    assert.equal(integration.status, 400);
    assert.equal(integration.body.field, 'market_data_source');
  });

  test('portfolio_optimization_score against the closed-form frontier', async () => {
    const f = frontier();
    const request = { ...thirds, opt_config: { w_config: { w_min_major: 0 } } };
    const byReturn = await checkEndpoint(server, '/portfolio_optimization_score', request, { body: { ...request, tgt_type: 'volatility' }, field: 'tgt_type' });
    // Unconstrained by the bounds only if every frontier weight is positive: the closed form then applies.
    assert.ok(byReturn.optimal_portfolio.weights.every((w: number) => w > 0.01), JSON.stringify(byReturn.optimal_portfolio));
    near(byReturn.least_risk_portfolio.risk, Math.sqrt(1 / f.a));
    near(byReturn.current_portfolio.risk, f.portfolio.risk, 1e-9);
    const expectedRisk = f.portfolio.return >= f.leastReturn ? f.riskAt(f.portfolio.return) : Math.sqrt(1 / f.a);
    near(byReturn.optimal_portfolio.risk, expectedRisk);
    near(byReturn.portfolio_optimization_score, (100 * expectedRisk) / f.portfolio.risk, 1e-4);
    assert.ok(byReturn.portfolio_optimization_score < 100);

    const byRisk = await server.request('POST', '/proton/v1/portfolio_optimization_score', { body: { ...request, tgt_type: 'risk' } });
    assert.equal(byRisk.status, 200, JSON.stringify(byRisk.body));
    const best = f.returnAt(f.portfolio.risk);
    near(byRisk.body.optimal_portfolio.return, best, 1e-6);
    const expected = Math.min(100, Math.max(0, (100 * (f.portfolio.return - f.leastReturn)) / (best - f.leastReturn)));
    near(byRisk.body.portfolio_optimization_score, expected, 1e-3);

    const unknown = await server.request('POST', '/proton/v1/portfolio_optimization_score', { body: { ...request, portfolio_tickers: ['AAA', 'ZZZ', 'CCC'] } });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.field, 'portfolio_tickers[1]');
    const narrow = await server.request('POST', '/proton/v1/portfolio_optimization_score', { body: { ...request, opt_config: { tickers: ['AAA', 'BBB'] } } });
    assert.equal(narrow.status, 400);
    assert.equal(narrow.body.field, 'opt_config.tickers');
  });

  test('a model the caller cannot read is a 404', async () => {
    const missing = await server.request('POST', '/proton/v1/portfolio_optimization_score', { body: { model_id: randomUUID() } });
    assert.equal(missing.status, 404);
    // An id is checked even where stated tickers take precedence over it.
    const unused = await server.request('POST', '/proton/v1/diversification_score', { body: { ...thirds, portfolio_id: randomUUID() } });
    assert.equal(unused.status, 404);
    const other = await server.otherTenant();
    for (const path of ['diversification_score', 'portfolio_optimization_score']) {
      const foreign = await server.request('POST', `/proton/v1/${path}`, { token: other.token, body: { model_id: ids.model } });
      assert.equal(foreign.status, 404, path);
    }
  });
});
