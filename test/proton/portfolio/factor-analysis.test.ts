import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startServer, type TestServer } from '../../support/server.ts';
import { checkEndpoint } from '../calculators/endpoint-checks.ts';
import { clientLogin, clientPortfolio, create, pricesFromReturns, securityWithPrices } from '../market/market-fixture.ts';

const F1 = [0.01, -0.02, 0.015, 0.03, -0.01, 0.005, -0.025, 0.02, 0.01, -0.005, 0.012, -0.018];
const F2 = [0.004, 0.01, -0.012, 0.002, 0.02, -0.015, 0.007, -0.003, 0.011, 0.006, -0.009, 0.001];
const ALPHA = 0.001;

function near(actual: number, expected: number, tolerance = 1e-9, what = '') {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what} expected ${expected}, got ${actual}`);
}

describe('what-if, sensitivity and scenario analysis', () => {
  let server: TestServer;
  let portfolioId: string;
  const post = (path: string, body: Record<string, unknown>, token?: string) => server.request('POST', `/proton/v1${path}`, { body, token });

  before(async () => {
    server = await startServer();
    await securityWithPrices(server, 'F1', pricesFromReturns(F1));
    await securityWithPrices(server, 'F2', pricesFromReturns(F2));
    // Returns that the factors explain exactly.
    await securityWithPrices(server, 'HALF', pricesFromReturns(F1.map((f) => 0.5 * f + ALPHA)));
    await securityWithPrices(server, 'LAGGED', pricesFromReturns(F1.map((_, t) => 0.5 * (t === 0 ? 0 : F1[t - 1]) + ALPHA)));
    const mixId = await securityWithPrices(server, 'MIX', pricesFromReturns(F1.map((f, t) => 0.5 * f - 0.3 * (t === 0 ? 0 : F2[t - 1]) + ALPHA)));
    const owned = await clientPortfolio(server);
    portfolioId = owned.portfolio;
    await create(server, 'portfolio_holding', { portfolio_id: owned.portfolio, account_id: owned.account, model_id: owned.model, security_id: mixId, shares: 10, amount: 1000, date: '2024-01-05T00:00:00.000Z' });
  });
  after(async () => {
    await server.close();
  });

  test('sensitivity: β and the compounded response to a move', async () => {
    const request = { portfolio_tickers: ['HALF'], portfolio_weights: [1], frequency_interval: 'day', sensitivity_factor: { ticker: 'F1', change_amount: -0.2, change_duration: 2 } };
    const body = await checkEndpoint(server, '/sensitivity_analysis', request, { body: { ...request, frequency_interval: 'hour' }, field: 'frequency_interval' });
    near(body.factor.beta, 0.5, 1e-9, 'β');
    near(body.intercept, ALPHA, 1e-9, 'α');
    near(body.r_squared, 1, 1e-9);
    const g = 0.8 ** 0.5 - 1;
    near(body.portfolio_change, (1 + 0.5 * g) ** 2 - 1, 1e-9);
    const lagged = (await post('/sensitivity_analysis', { ...request, portfolio_tickers: ['LAGGED'], sensitivity_factor: { ticker: 'F1', change_amount: 0.1, change_duration: 1, lag: 1 } })).body;
    near(lagged.factor.beta, 0.5, 1e-9, 'lagged β');
    near(lagged.portfolio_change, 0.05, 1e-9);
    assert.equal(lagged.observations, 11);
    const unknown = await post('/sensitivity_analysis', { ...request, sensitivity_factor: { ticker: 'NONE', change_amount: 0.1, change_duration: 1 } });
    assert.equal(unknown.body.field, 'sensitivity_factor.ticker');
  });

  test('scenario: joint regression and the lagged, compounded response', async () => {
    const scenario = [
      { ticker: 'F1', change_amount: 0.1, change_duration: 1 },
      { ticker: 'F2', change_amount: -0.2, change_duration: 2, lag: 1 },
    ];
    const request = { portfolio_id: portfolioId, frequency_interval: 'day', scenario };
    const body = await checkEndpoint(server, '/scenario_analysis', request, { body: { ...request, scenario: [] }, field: 'scenario' });
    near(body.factors[0].beta, 0.5, 1e-8, 'β1');
    near(body.factors[1].beta, -0.3, 1e-8, 'β2');
    const g2 = 0.8 ** 0.5 - 1;
    near(body.portfolio_change, 1.05 * (1 - 0.3 * g2) ** 2 - 1, 1e-8);
    near(body.factors[0].portfolio_change, 0.05, 1e-8);
    const client = await clientLogin(server);
    assert.equal((await post('/scenario_analysis', request, client.token)).status, 404);
    const other = await server.otherTenant();
    assert.equal((await post('/scenario_analysis', request, other.token)).status, 404);
  });

  test('what-if: current against altered weights', async () => {
    const request = { current_portfolio_tickers: ['F1', 'F2'], current_portfolio_weights: [1, 0], altered_portfolio_weights: [0.5, 0.5] };
    const body = await checkEndpoint(server, '/portfolio_what_if', request, { body: { ...request, altered_portfolio_weights: [0.5, 0.6] }, field: 'altered_portfolio_weights' });
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const sd = (xs: number[]) => Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / (xs.length - 1));
    const mixed = F1.map((f, t) => 0.5 * f + 0.5 * F2[t]);
    near(body.current_portfolio.annual_return, 252 * mean(F1), 1e-12);
    near(body.current_portfolio.annual_risk, Math.sqrt(252) * sd(F1), 1e-12);
    near(body.altered_portfolio.annual_risk, Math.sqrt(252) * sd(mixed), 1e-12);
    near(body.change.annual_return, 252 * mean(mixed) - 252 * mean(F1), 1e-12);
    const fromPortfolio = (await post('/portfolio_what_if', { portfolio_id: portfolioId, altered_portfolio_tickers: ['MIX', 'F1'], altered_portfolio_weights: [0.5, 0.5] })).body;
    assert.deepEqual(fromPortfolio.current_portfolio.tickers, ['MIX']);
    const unknown = await post('/portfolio_what_if', { ...request, altered_portfolio_tickers: ['F1', 'NOPE'] });
    assert.equal(unknown.body.field, 'altered_portfolio_tickers[1]');
    const client = await clientLogin(server);
    assert.equal((await post('/portfolio_what_if', { portfolio_id: portfolioId, altered_portfolio_weights: [1] }, client.token)).status, 404);
  });
});
