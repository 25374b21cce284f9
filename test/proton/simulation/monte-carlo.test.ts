import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startServer, type TestServer } from '../../support/server.ts';
import { simulateMonteCarlo, summarise, type MonteCarloInput } from '../../../src/proton/simulation/monte-carlo.ts';
import { NormalSource } from '../../../src/proton/simulation/random.ts';
import { checkEndpoint } from '../calculators/endpoint-checks.ts';
import { twoClients } from './clients.ts';

const base: MonteCarloInput = {
  n: 1000,
  seed: 1,
  initialBalance: 100,
  cashFlows: [[0, 10]],
  mu: [0.05],
  sigma: [0.1],
  retMod: [0],
  minBal: [0],
  maxBal: null,
  minSample: null,
  maxSample: null,
};

function sampleStats(values: Float64Array) {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1);
  return { mean, sd: Math.sqrt(variance) };
}

describe('random source', () => {
  test('standard normals have mean 0, variance 1 and the normal tail mass', () => {
    const z = new Float64Array(200_000);
    new NormalSource(2024).fillNormals(z);
    const { mean, sd } = sampleStats(z);
    assert.ok(Math.abs(mean) < 4 / Math.sqrt(z.length), `mean ${mean}`);
    assert.ok(Math.abs(sd - 1) < 0.01, `sd ${sd}`);
    // P(Z > 1.959964) = 0.025; the count is binomial with sd √(n·0.025·0.975) ≈ 70.
    const tail = z.filter((x) => x > 1.959964).length;
    assert.ok(Math.abs(tail - 5000) < 4 * 70, `tail ${tail}`);
  });

  test('the same seed gives the same stream, another seed another', () => {
    const a = new Float64Array(5);
    const b = new Float64Array(5);
    const c = new Float64Array(5);
    new NormalSource(7).fillNormals(a);
    new NormalSource(7).fillNormals(b);
    new NormalSource(8).fillNormals(c);
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
  });
});

describe('monte carlo math', () => {
  test('sigma 0 gives the deterministic compound path with end-of-period cash flows', () => {
    const paths = simulateMonteCarlo({ ...base, sigma: [0], cashFlows: [[10, 5], [-20, 5]] });
    for (let t = 0; t <= 10; t++) {
      const deposits = Math.min(t, 5);
      const afterDeposits = 100 * 1.05 ** deposits + (10 * (1.05 ** deposits - 1)) / 0.05;
      const rest = t - deposits;
      const expected = afterDeposits * 1.05 ** rest - (20 * (1.05 ** rest - 1)) / 0.05;
      for (const balance of [paths.balances[t][0], paths.balances[t][999]]) assert.ok(Math.abs(balance - expected) < 1e-9, `period ${t}: ${balance} vs ${expected}`);
    }
  });

  test('one period of returns is log-normal with the requested mean, deviation and median', () => {
    const mu = 0.07;
    const sigma = 0.2;
    const n = 100_000;
    const paths = simulateMonteCarlo({ ...base, n, seed: 99, initialBalance: 1, cashFlows: [[0, 1]], mu: [mu], sigma: [sigma] });
    const { mean, sd } = sampleStats(paths.balances[1]);
    // The log parameters, and the moments they imply: E = exp(m + s²/2), median = exp(m).
    const s2 = Math.log(1 + sigma ** 2 / (1 + mu) ** 2);
    const m = Math.log(1 + mu) - s2 / 2;
    assert.ok(Math.abs(mean - Math.exp(m + s2 / 2)) < (4 * sigma) / Math.sqrt(n), `mean ${mean}`);
    assert.ok(Math.abs(sd - sigma) < 0.005, `sd ${sd}`);
    const median = summarise(paths, 'median', [], false).series[0][1];
    // The sample median's standard error is 1 / (2 f(median) √n), f the log-normal density there.
    const density = 1 / (Math.exp(m) * Math.sqrt(2 * Math.PI * s2));
    assert.ok(Math.abs(median - Math.exp(m)) < 4 / (2 * density * Math.sqrt(n)), `median ${median} vs ${Math.exp(m)}`);
  });

  test('bounds on returns and balances hold, and outliers are dropped', () => {
    const paths = simulateMonteCarlo({ ...base, sigma: [0.3], maxBal: [150], minSample: [-0.1], maxSample: [0.1] });
    for (let t = 1; t <= 10; t++) {
      for (let i = 0; i < base.n; i++) {
        const growth = paths.balances[t][i] / paths.balances[t - 1][i];
        assert.ok(paths.balances[t][i] <= 150);
        if (paths.balances[t][i] < 150) assert.ok(growth >= 0.9 - 1e-12 && growth <= 1.1 + 1e-12, `growth ${growth}`);
      }
    }
    const wide = simulateMonteCarlo({ ...base, sigma: [0.4] });
    const kept = summarise(wide, 'raw', [], true);
    assert.ok(kept.kept < base.n && kept.kept > base.n * 0.8, `kept ${kept.kept}`);
  });

  test('tens are ordered percentiles, and a riskless run has them all equal', () => {
    const tens = summarise(simulateMonteCarlo(base), 'tens', [], false);
    assert.equal(tens.series.length, 11);
    for (let row = 1; row < 11; row++) assert.ok(tens.series[row][10] >= tens.series[row - 1][10]);
    const flat = summarise(simulateMonteCarlo({ ...base, sigma: [0] }), 'tens', [], false);
    for (const row of flat.series) assert.equal(row[10], flat.series[0][10]);
  });
});

describe('monte_carlo endpoint', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server.close();
  });

  const request = { cf: [[0, 10]], mu: [0.05], sigma: [0.1], n: 500, result_type: 'median', seed: 11 };

  test('a seeded run: median path, reproducible, and a 400 naming n above 100,000', async () => {
    const body = await checkEndpoint(server, '/monte_carlo', request, { body: { ...request, n: 100_001 }, field: 'n' });
    assert.equal(body.sims.length, 1);
    assert.equal(body.sims[0].length, 11);
    assert.equal(body.sims[0][0], 100);
    assert.deepEqual(body.percentiles, [50]);
    assert.equal(body.seed, 11);
    assert.equal(body.inputs.init_bal, 100);
    const again = await server.request('POST', '/proton/v1/monte_carlo', { body: request });
    assert.deepEqual(again.body.sims, body.sims);
  });

  test('without a seed every run is fresh, and reports the seed that replays it', async () => {
    const { seed: _seed, ...unseeded } = request;
    const first = await server.request('POST', '/proton/v1/monte_carlo', { body: { ...unseeded, result_type: 'raw', n: 3 } });
    const second = await server.request('POST', '/proton/v1/monte_carlo', { body: { ...unseeded, result_type: 'raw', n: 3 } });
    assert.notDeepEqual(first.body.sims, second.body.sims);
    const replay = await server.request('POST', '/proton/v1/monte_carlo', { body: { ...unseeded, result_type: 'raw', n: 3, seed: first.body.seed } });
    assert.deepEqual(replay.body.sims, first.body.sims);
  });

  test('inputs the math rejects are 400s naming the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ mu: [0.05, 0.06, 0.07, 0.08, 0.09, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1] }, 'mu'],
      [{ cf: [[0, 2.5]] }, 'cf[0][1]'],
      [{ n: 100_000, cf: [[0, 41]] }, 'n'],
      [{ max_bal: [50], min_bal: [60] }, 'max_bal'],
      [{ mu: undefined, sigma: undefined }, 'mu'],
      [{ result_type: 'mode' }, 'result_type'],
    ];
    for (const [change, field] of cases) {
      const result = await server.request('POST', '/proton/v1/monte_carlo', { body: { ...request, ...change } });
      assert.equal(result.status, 400, JSON.stringify(change));
      assert.equal(result.body.field, field, JSON.stringify(result.body));
    }
  });

  test('custom percentiles and the mean', async () => {
    const custom = await server.request('POST', '/proton/v1/monte_carlo', { body: { ...request, sigma: [0], result_type: 'custom', p: [5, 95] } });
    assert.deepEqual(custom.body.percentiles, [5, 95]);
    assert.equal(custom.body.sims[0][10], Math.round(100 * 1.05 ** 10 * 100) / 100);
    assert.deepEqual(custom.body.sims[0], custom.body.sims[1]);
    const mean = await server.request('POST', '/proton/v1/monte_carlo', { body: { ...request, result_type: 'mean' } });
    assert.equal(mean.body.percentiles, null);
  });

  test("a portfolio named by another client's account is a 404 for a client login", async () => {
    const people = await twoClients(server, 'mc');
    const foreign = await server.request('POST', '/proton/v1/monte_carlo', { token: people.outsider.token, body: { ...request, account_id: people.owner.account } });
    assert.equal(foreign.status, 404);
    const other = await server.otherTenant();
    const tenant = await server.request('POST', '/proton/v1/monte_carlo', { token: other.token, body: { ...request, account_id: people.outsider.account } });
    assert.equal(tenant.status, 404);
    const own = await server.request('POST', '/proton/v1/monte_carlo', { token: people.outsider.token, body: { ...request, account_id: people.outsider.account } });
    assert.equal(own.status, 200, JSON.stringify(own.body));
  });
});
