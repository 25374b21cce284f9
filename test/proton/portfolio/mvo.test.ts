import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startServer, type TestServer } from '../../support/server.ts';
import { checkEndpoint } from '../calculators/endpoint-checks.ts';
import { pricesFromReturns, securityWithPrices } from '../market/market-fixture.ts';

// Deviations from the mean that are mutually orthogonal, so the sample covariance is diagonal.
const PLUS_MINUS = [1, -1, 1, -1];
const PAIRS = [1, 1, -1, -1];
const ENDS = [1, -1, -1, 1];
const DAILY_MEAN = { A: 0.001, B: 0.002, C: 0.003 };
const SCALE = { A: 0.01, B: 0.02, C: 0.02 };
/** Annual variance of each asset: 252 × sample variance of four ±s deviations = 252 × 4s²/3. */
const variance = (s: number) => (252 * 4 * s * s) / 3;
const VAR = { A: variance(SCALE.A), B: variance(SCALE.B), C: variance(SCALE.C) };
const MEAN = { A: 252 * DAILY_MEAN.A, B: 252 * DAILY_MEAN.B, C: 252 * DAILY_MEAN.C };

const request = (extra: Record<string, unknown> = {}) => ({
  tickers: ['MA', 'MB', 'MC'],
  sec_types: ['major', 'major', 'major'],
  w_config: { w_min_major: 0, w_max_major: 1, w_min_minor: 0, w_max_minor: 1, cash_amount: 0 },
  min_assets: 1,
  ...extra,
});

function near(actual: number, expected: number, tolerance = 1e-6, what = '') {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what} expected ${expected}, got ${actual}`);
}

describe('mvo', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
    await securityWithPrices(server, 'MA', pricesFromReturns(PLUS_MINUS.map((d) => DAILY_MEAN.A + SCALE.A * d)), { asset_class: 'equity' });
    await securityWithPrices(server, 'MB', pricesFromReturns(PAIRS.map((d) => DAILY_MEAN.B + SCALE.B * d)), { asset_class: 'equity' });
    await securityWithPrices(server, 'MC', pricesFromReturns(ENDS.map((d) => DAILY_MEAN.C + SCALE.C * d)), { asset_class: 'bond' });
    // Moves exactly twice as much as MA: always dominated by MA in a least-variance portfolio.
    await securityWithPrices(server, 'ME', pricesFromReturns(PLUS_MINUS.map((d) => 2 * (DAILY_MEAN.A + SCALE.A * d))));
  });
  after(async () => {
    await server.close();
  });

  test('least variance without limits is Σ⁻¹1 / 1ᵀΣ⁻¹1', async () => {
    const body = await checkEndpoint(server, '/mvo', request(), { body: request({ sec_types: ['major'] }), field: 'sec_types' });
    // Σ is diagonal, so Σ⁻¹1 ∝ (1/σ²ᵢ): (1/1, 1/4, 1/4) normalised = (2/3, 1/6, 1/6).
    const [a, b, c] = body.optimal_portfolio.weights;
    near(a, 2 / 3, 1e-6, 'MA');
    near(b, 1 / 6, 1e-6, 'MB');
    near(c, 1 / 6, 1e-6, 'MC');
    near(body.optimal_portfolio.risk, Math.sqrt(a * a * VAR.A + b * b * VAR.B + c * c * VAR.C), 1e-9);
    near(body.optimal_portfolio.return, a * MEAN.A + b * MEAN.B + c * MEAN.C, 1e-9);
    assert.equal(body.periods, 4);
    assert.equal(body.frontier.length, 10);
    near(body.frontier[0].risk, body.optimal_portfolio.risk, 1e-9);
    // The highest return within [0, 1] weights is all in MC.
    near(body.frontier[9].weights[2], 1, 1e-6);
    for (let k = 1; k < body.frontier.length; k++) assert.ok(body.frontier[k].risk >= body.frontier[k - 1].risk - 1e-12);
  });

  test('an upper limit binds: the KKT conditions hold', async () => {
    const { body, status } = await server.request('POST', '/proton/v1/mvo', { body: request({ w_config: { w_min_major: 0, w_max_major: 0.5, w_min_minor: 0, w_max_minor: 1, cash_amount: 0 } }) });
    assert.equal(status, 200, JSON.stringify(body));
    const [a, b, c] = body.optimal_portfolio.weights;
    near(a, 0.5);
    near(b, 0.25);
    near(c, 0.25);
    // Stationarity: interior weights share one marginal variance ν; one at its upper limit has at most ν.
    const marginal = [a * VAR.A, b * VAR.B, c * VAR.C];
    near(marginal[1], marginal[2], 1e-9);
    assert.ok(marginal[0] <= marginal[1] + 1e-9);
  });

  test('a target return binds: Σw = ν1 + γμ with γ ≥ 0 over the held assets', async () => {
    const target = 0.6;
    const { body } = await server.request('POST', '/proton/v1/mvo', { body: request({ tgt_type: 'return', tgt_val: target }) });
    const [a, b, c] = body.optimal_portfolio.weights;
    near(a + b + c, 1, 1e-9);
    near(a * MEAN.A + b * MEAN.B + c * MEAN.C, target, 1e-7, 'return');
    const gammaB = (b * VAR.B - a * VAR.A) / (MEAN.B - MEAN.A);
    const gammaC = (c * VAR.C - a * VAR.A) / (MEAN.C - MEAN.A);
    near(gammaB, gammaC, 1e-6, 'γ');
    assert.ok(gammaB > 0);
    const tooHigh = await server.request('POST', '/proton/v1/mvo', { body: request({ tgt_type: 'return', tgt_val: 10 }) });
    assert.equal(tooHigh.status, 400);
    assert.equal(tooHigh.body.field, 'tgt_val');
  });

  test('a target risk: the highest return within it', async () => {
    const least = (await server.request('POST', '/proton/v1/mvo', { body: request() })).body;
    const risk = least.optimal_portfolio.risk * 1.5;
    const { body } = await server.request('POST', '/proton/v1/mvo', { body: request({ tgt_type: 'risk', tgt_val: risk }) });
    near(body.optimal_portfolio.risk, risk, 1e-6, 'risk');
    for (const point of body.frontier) if (point.risk <= risk) assert.ok(point.return <= body.optimal_portfolio.return + 1e-9);
    const tooLow = await server.request('POST', '/proton/v1/mvo', { body: request({ tgt_type: 'risk', tgt_val: least.optimal_portfolio.risk / 2 }) });
    assert.equal(tooLow.body.field, 'tgt_val');
  });

  test('asset-class caps and the cash weight', async () => {
    const capped = (await server.request('POST', '/proton/v1/mvo', { body: request({ w_asset_config: { equity: 0.4 } }) })).body;
    const [a, b, c] = capped.optimal_portfolio.weights;
    near(a + b, 0.4, 1e-7);
    near(c, 0.6, 1e-7);
    const withCash = await server.request('POST', '/proton/v1/mvo', {
      body: request({ sec_types: ['major', 'major', 'cash'], w_config: { w_min_major: 0, w_max_major: 1, w_min_minor: 0, w_max_minor: 1, cash_amount: 0.3 } }),
    });
    near(withCash.body.optimal_portfolio.weights[2], 0.3, 1e-9);
    const unknownClass = await server.request('POST', '/proton/v1/mvo', { body: request({ w_asset_config: { gold: 0.4 } }) });
    assert.equal(unknownClass.body.field, 'w_asset_config.gold');
    const noRoom = await server.request('POST', '/proton/v1/mvo', { body: request({ w_config: { w_min_major: 0.5, w_max_major: 1, w_min_minor: 0, w_max_minor: 1, cash_amount: 0 } }) });
    assert.equal(noRoom.body.field, 'w_config');
  });

  test('min_assets brings a dominated asset in at the floor', async () => {
    const pair = { tickers: ['MA', 'ME'], sec_types: ['major', 'major'], w_config: request().w_config };
    const one = (await server.request('POST', '/proton/v1/mvo', { body: { ...pair, min_assets: 1 } })).body;
    near(one.optimal_portfolio.weights[1], 0, 1e-6);
    const two = (await server.request('POST', '/proton/v1/mvo', { body: { ...pair, min_assets: 2 } })).body;
    near(two.optimal_portfolio.weights[1], 0.01, 1e-6);
    const three = await server.request('POST', '/proton/v1/mvo', { body: { ...pair, min_assets: 3 } });
    assert.equal(three.body.field, 'min_assets');
  });

  test('rejections and access', async () => {
    const unknown = await server.request('POST', '/proton/v1/mvo', { body: request({ tickers: ['MA', 'NOPE', 'MC'] }) });
    assert.equal(unknown.body.field, 'tickers[1]');
    const integration = await server.request('POST', '/proton/v1/mvo', { body: request({ market_data_source: 'integration' }) });
    assert.equal(integration.body.field, 'market_data_source');
    // Another tenant's caller cannot see this tenant's securities.
    const other = await server.otherTenant();
    const foreign = await server.request('POST', '/proton/v1/mvo', { body: request(), token: other.token });
    assert.equal(foreign.status, 400);
    assert.equal(foreign.body.field, 'tickers[0]');
  });
});
