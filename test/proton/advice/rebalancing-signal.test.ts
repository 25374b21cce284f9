import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { startServer, type TestServer } from '../../support/server.ts';
import { post } from '../../nucleus/views/world.ts';
import { rebalancingSignals } from '../../../src/proton/advice/rebalancing-signal.ts';
import { checkEndpoint } from '../calculators/endpoint-checks.ts';

const close = (actual: number, expected: number) => assert.ok(Math.abs(actual - expected) < 1e-9, `expected ${expected}, got ${actual}`);

/**
 * Two securities from 100 each: AAA rises 10 % and then 20 % more, BBB is flat and then falls
 * 10 %. Held half and half, AAA's weight goes to 0.55 / 1.05, then 0.66 / 1.16 = 0.569 (more
 * than 10 % of its 0.5 target away, a drift signal); back at 0.5 / 0.5 it drifts to
 * 0.5 / 0.95 = 0.526, within its band. The last day opens February.
 */
const PRICES: [string, number, number][] = [
  ['2026-01-05', 100, 100],
  ['2026-01-06', 110, 100],
  ['2026-01-07', 132, 100],
  ['2026-01-08', 132, 90],
  ['2026-02-02', 132, 90],
];

describe('rebalancing signal math', () => {
  test('drift beyond the band, then a new period', () => {
    const returns = [new Float64Array([0.1, 0.2, 0, 0]), new Float64Array([0, 0, -0.1, 0])];
    const dates = PRICES.slice(1).map(([day]) => day);
    const base = { returns, dates, initial: [0.5, 0.5], targets: [0.5, 0.5], bands: [0.1, 0.1] };
    const drift = rebalancingSignals({ ...base, driftRebalance: true, period: null });
    assert.deepEqual(drift.signals.map((s) => [s.date, s.trigger, s.drifted]), [['2026-01-07', 'drift', [0, 1]]]);
    close(drift.signals[0].before[0], 0.66 / 1.16);
    close(drift.ending[0], 0.5 / 0.95);
    const period = rebalancingSignals({ ...base, driftRebalance: false, period: 'month' });
    assert.deepEqual(period.signals.map((s) => [s.date, s.trigger]), [['2026-02-02', 'period']]);
    close(period.signals[0].before[0], 0.66 / 1.11);
    close(period.ending[0], 0.5);
  });
});

describe('rebalancing_signal', () => {
  let server: TestServer;
  const ids: Record<string, string> = {};
  before(async () => {
    server = await startServer();
    const p = (entity: string, body: object) => post(server, entity, body);
    for (const ticker of ['AAA', 'BBB']) ids[ticker] = await p('security', { name: ticker, ticker });
    for (const [day, a, b] of PRICES) {
      await p('security_price', { security_id: ids.AAA, date: `${day}T21:00:00Z`, price: a });
      await p('security_price', { security_id: ids.BBB, date: `${day}T21:00:00Z`, price: b });
    }
    ids.model = await p('model', { name: 'Sixty forty', period_rebal: true, rebalance_period: 3, drift_rebal: false });
    await p('model_holding', { model_id: ids.model, security_id: ids.AAA, date: '2026-01-01', current_weight: 60, strategic_weight: 60, drift_factor: 0.2 });
    await p('model_holding', { model_id: ids.model, security_id: ids.BBB, date: '2026-01-01', current_weight: 40, strategic_weight: 40, drift_factor: 0.2 });
  });
  after(async () => {
    await server.close();
  });

  const dates = { start_date: '2026-01-01', end_date: '2026-02-28' };

  test('stated weights and settings', async () => {
    const request = { ...dates, initial_weights: { AAA: 0.5, BBB: 0.5 }, settings: { drift_rebal: true, default_drift_factor: 0.1 } };
    const body = await checkEndpoint(server, '/rebalancing_signal', request, { body: { ...request, initial_weights: { AAA: 0.5, BBB: 0.4 } }, field: 'initial_weights' });
    assert.equal(body.rebalance_signals.length, 1);
    const [signal] = body.rebalance_signals;
    assert.equal(signal.date, '2026-01-07');
    assert.equal(signal.trigger, 'drift');
    close(signal.weights_before.AAA, 0.66 / 1.16);
    close(signal.trades.AAA, 0.5 - 0.66 / 1.16);
    close(body.ending_weights.BBB, 0.45 / 0.95);
    assert.equal(body.start_date, '2026-01-05');
    assert.equal(body.end_date, '2026-02-02');
    const badPeriod = await server.request('POST', '/proton/v1/rebalancing_signal', { body: { ...request, settings: { period_rebal: true, rebalance_period: 7 } } });
    assert.equal(badPeriod.status, 400);
    assert.equal(badPeriod.body.field, 'settings.rebalance_period');
    const noPeriod = await server.request('POST', '/proton/v1/rebalancing_signal', { body: { ...request, settings: { period_rebal: true } } });
    assert.equal(noPeriod.status, 400);
    assert.equal(noPeriod.body.field, 'settings.rebalance_period');
    const unknown = await server.request('POST', '/proton/v1/rebalancing_signal', { body: { ...dates, initial_weights: { AAA: 0.5, ZZZ: 0.5 } } });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.field, 'initial_weights.ZZZ');
  });

  test("the model's targets and settings", async () => {
    // From 0.6 / 0.4: AAA is worth 0.6 × 1.32 = 0.792 and BBB 0.4 × 0.9 = 0.36 when February opens.
    const result = await server.request('POST', '/proton/v1/rebalancing_signal', { body: { ...dates, model_id: ids.model } });
    assert.equal(result.status, 200, JSON.stringify(result.body));
    assert.deepEqual(result.body.settings, { drift_rebal: false, period_rebal: true, rebalance_period: 3 });
    close(result.body.target_weights.AAA, 0.6);
    assert.deepEqual(result.body.rebalance_signals.map((s: { date: string; trigger: string }) => [s.date, s.trigger]), [['2026-02-02', 'period']]);
    close(result.body.rebalance_signals[0].weights_before.AAA, 0.792 / 1.152);
    // Settings override the model's: no period rebalancing but drift, with the holdings' own
    // bands of 20 % of target (0.12 for AAA, 0.08 for BBB) over the default. AAA's rises leave
    // both 0.0226 and then 0.0644 off target; BBB's fall then leaves it at
    // 0.302 / 0.966 = 0.3125, 0.0875 under: outside its band only.
    const overridden = await server.request('POST', '/proton/v1/rebalancing_signal', { body: { ...dates, model_id: ids.model, settings: { period_rebal: false, drift_rebal: true, default_drift_factor: 0.01 } } });
    assert.equal(overridden.status, 200, JSON.stringify(overridden.body));
    assert.deepEqual(overridden.body.drift_bands, { AAA: 0.2, BBB: 0.2 });
    assert.deepEqual(overridden.body.rebalance_signals.map((s: { date: string; drifted_tickers: string[] }) => [s.date, s.drifted_tickers]), [['2026-01-08', ['BBB']]]);
    close(overridden.body.rebalance_signals[0].weights_before.BBB, 0.3125);
  });

  test('a model the caller cannot read is a 404', async () => {
    const missing = await server.request('POST', '/proton/v1/rebalancing_signal', { body: { ...dates, model_id: randomUUID() } });
    assert.equal(missing.status, 404);
    const other = await server.otherTenant();
    const foreign = await server.request('POST', '/proton/v1/rebalancing_signal', { token: other.token, body: { ...dates, model_id: ids.model } });
    assert.equal(foreign.status, 404);
  });
});
