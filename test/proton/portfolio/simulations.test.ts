import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startServer, type TestServer } from '../../support/server.ts';
import { checkEndpoint } from '../calculators/endpoint-checks.ts';
import { clientLogin, create, pricesFromReturns, securityPricedOn, securityWithPrices } from '../market/market-fixture.ts';

function near(actual: number, expected: number, tolerance = 1e-9, what = '') {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what} expected ${expected}, got ${actual}`);
}

describe('event study, backtest and risk allocation', () => {
  let server: TestServer;
  const ids: Record<string, string> = {};
  const post = (path: string, body: Record<string, unknown>, token?: string) => server.request('POST', `/proton/v1${path}`, { body, token });

  before(async () => {
    server = await startServer();
    await securityPricedOn(server, 'EVT', [['2016-06-22', 101], ['2016-06-23', 100], ['2016-06-24', 90], ['2016-06-27', 95], ['2016-06-28', 97]]);
    // 2024-01-01 + 30 days is 31 January; + 31 days is 1 February.
    await securityWithPrices(server, 'GROW', [...Array(30).fill(100), 110, 121, 133.1]);
    await securityWithPrices(server, 'FLAT', Array(33).fill(100));
    await securityWithPrices(server, 'RA', pricesFromReturns([0.01, -0.01, 0.01, -0.01].map((d) => 0.001 + d)));
    await securityWithPrices(server, 'RB', pricesFromReturns([0.02, 0.02, -0.02, -0.02].map((d) => 0.003 + d)));
    const owner = await create(server, 'client', { username: 'owner@portfolio.test', client_type: 'individual' });
    ids.owner = owner;
    for (const [name, volatility] of [['steady', 0.05], ['bold', 0.2], ['middle', 0.1]] as const) {
      ids[name] = await create(server, 'allocation', { name, volatility, performance: volatility / 2, client_id: owner });
    }
  });
  after(async () => {
    await server.close();
  });

  test('event study: return, drawdown and worst day within the Brexit window', async () => {
    const request = { portfolio_tickers: ['EVT'], portfolio_weights: [1], events: ['brexit', 'dot_com_bubble'] };
    const body = await checkEndpoint(server, '/event_study', request, { body: { ...request, events: ['moon_landing'] }, field: 'events[0]' });
    const [brexit, dotCom] = body.events;
    assert.equal(brexit.start_date, '2016-06-23');
    assert.equal(brexit.end_date, '2016-06-27');
    near(brexit.cumulative_return, -0.05, 1e-12);
    near(brexit.max_drawdown, -0.1, 1e-12);
    near(brexit.worst_day, -0.1, 1e-12);
    assert.equal(dotCom.covered, false);
    assert.equal(dotCom.cumulative_return, null);
  });

  test('backtest: buy and hold, monthly rebalancing and drift rebalancing', async () => {
    const request = { initial_weights: { GROW: 0.5, FLAT: 0.5 }, start_date: '2024-01-01', end_date: '2024-02-02', asset_size: 1000 };
    const held = await checkEndpoint(server, '/backtest', request, { body: { ...request, end_date: '2023-12-01' }, field: 'end_date' });
    assert.equal(held.ending_value, 5 * 133.1 + 500);
    assert.equal(held.stats.rebalances, 0);
    assert.equal(held.asset_sizes.length, 33);
    near(held.stats.cumulative_return, 0.1655, 1e-12);
    const monthly = (await post('/backtest', { ...request, settings: { period_rebal: true, rebalance_period: 3 } })).body;
    // On 1 February 1105 is split evenly; GROW then gains 10%.
    assert.equal(monthly.ending_value, 552.5 * 1.1 + 552.5);
    assert.equal(monthly.stats.rebalances, 1);
    assert.deepEqual(monthly.trades.filter((t: { reason: string }) => t.reason === 'period').map((t: { date: string }) => t.date), ['2024-02-01', '2024-02-01']);
    const drift = (await post('/backtest', { ...request, settings: { drift_rebal: true, default_drift_factor: 0.02 } })).body;
    // Each 10% step moves GROW to 0.5238 of the value, past the 2-point limit: 1000 → 1050 → 1102.50 → 1157.625.
    assert.equal(drift.ending_value, 1157.63);
    assert.equal(drift.stats.rebalances, 3);
    const unknown = await post('/backtest', { ...request, initial_weights: { GROW: 0.5, NOPE: 0.5 } });
    assert.equal(unknown.body.field, 'initial_weights.NOPE');
    const other = await server.otherTenant();
    const model = await create(server, 'model', { name: 'private' });
    assert.equal((await post('/backtest', { model_id: model, start_date: '2024-01-01', end_date: '2024-02-02' }, other.token)).status, 404);
  });

  test('risk allocation: select by the rank of risk', async () => {
    const request = { allocation_method: 'select', allocations: [ids.steady, ids.bold, ids.middle] };
    const body = await checkEndpoint(server, '/risk_allocation', request, { body: { ...request, risk_score: 101 }, field: 'risk_score' });
    assert.equal(body.selected_allocation.allocation_id, ids.middle);
    assert.deepEqual(body.candidates.map((c: { risk: number }) => c.risk), [0.05, 0.1, 0.2]);
    assert.equal((await post('/risk_allocation', { ...request, risk_score: 0 })).body.selected_allocation.allocation_id, ids.steady);
    const byClient = (await post('/risk_allocation', { allocation_method: 'select', client_id: ids.owner, risk_score: 100 })).body;
    assert.equal(byClient.selected_allocation.allocation_id, ids.bold);
    const client = await clientLogin(server);
    assert.equal((await post('/risk_allocation', request, client.token)).status, 404);
    assert.equal((await post('/risk_allocation', { allocation_method: 'select' })).body.field, 'allocations');
  });

  test('risk allocation: create along the frontier', async () => {
    const opt_config = {
      tickers: ['RA', 'RB'],
      sec_types: ['major', 'major'],
      w_config: { w_min_major: 0, w_max_major: 1, w_min_minor: 0, w_max_minor: 1, cash_amount: 0 },
      min_assets: 1,
    };
    const at = async (risk_score: number) => (await post('/risk_allocation', { allocation_method: 'create', risk_score, opt_config })).body.created_allocation;
    const [least, middle, most] = [await at(0), await at(50), await at(100)];
    // Orthogonal deviations of 0.01 and 0.02: least variance holds 4/5 of RA; the highest return is all RB.
    near(least.weights[0], 0.8, 1e-6);
    near(most.weights[1], 1, 1e-6);
    near(middle.target_risk, (least.risk + most.risk) / 2, 1e-9);
    near(middle.risk, middle.target_risk, 1e-6);
    const missing = await post('/risk_allocation', { allocation_method: 'create' });
    assert.equal(missing.body.field, 'opt_config');
  });
});
