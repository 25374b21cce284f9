import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startServer, type TestServer } from '../../support/server.ts';
import { annuityDue, runAnnuity, type AnnuityRun } from '../../../src/proton/simulation/variable-annuity.ts';
import { goalFlows } from '../../../src/proton/simulation/goal-plan.ts';
import { assertCents, checkEndpoint } from '../calculators/endpoint-checks.ts';
import { twoClients } from './clients.ts';

const flows = (deposit: number, accumulation: number) =>
  goalFlows({
    perYear: 1,
    accumulation,
    decumulation: 2,
    deposits: [{ amount: deposit, perYear: 1, inflation: 0, start: 'a_start', startPeriod: 0, end: 'a_end', endPeriod: 0 }],
    withdrawals: [],
    withdrawalTax: 0,
    compoundingRate: null,
  });

const base: AnnuityRun = {
  n: 4,
  seed: 1,
  accumulation: 3,
  decumulation: 2,
  periodMean: 0.05,
  periodRisk: 0,
  initialBalance: 10000,
  flows: flows(1000, 3),
  bands: [],
  guaranteedBalance: 0,
  assumedRate: 0.05,
  perYear: 1,
  inflation: 0,
};

const accumulated = 10000 * 1.05 ** 3 + 1000 * (1.05 ** 2 + 1.05 + 1);

function payments(run: AnnuityRun): number[][] {
  const rows: number[][] = [];
  runAnnuity(run, ({ payments: paid, balances }) => rows.push([paid[0], balances[0]]));
  return rows;
}

describe('variable annuity math', () => {
  test('riskless at the assumed rate: level payments B / ä that use the balance up exactly', () => {
    const rows = payments(base);
    const level = accumulated / (1 + 1 / 1.05);
    assert.ok(Math.abs(rows[3][1] - accumulated) < 1e-9);
    assert.ok(Math.abs(rows[4][0] - level) < 1e-9);
    assert.ok(Math.abs(rows[5][0] - level) < 1e-9);
    assert.ok(Math.abs(rows[5][1]) < 1e-9);
  });

  test('payments follow the return relative to the assumed rate', () => {
    const rows = payments({ ...base, assumedRate: 0 });
    assert.ok(Math.abs(rows[4][0] - accumulated / 2) < 1e-9);
    assert.ok(Math.abs(rows[5][0] - (accumulated / 2) * 1.05) < 1e-9);
    assert.equal(annuityDue(3, 0), 3);
  });

  test('a rate cap holds the credited return, and the accumulation benefit raises a short balance', () => {
    const capped = payments({ ...base, periodMean: 0.1, bands: [{ from: 1, to: 5, floor: 0, cap: 0.05 }] });
    assert.ok(Math.abs(capped[3][1] - accumulated) < 1e-9);
    const topped = runAnnuity({ ...base, guaranteedBalance: 20000 });
    assert.deepEqual([...topped.annuitized], [20000, 20000, 20000, 20000]);
    assert.deepEqual([...topped.toppedUp], [1, 1, 1, 1]);
  });

  test('with risk and no floor, the mean balance at annuitization is the compounded mean', () => {
    const n = 50_000;
    const paths = runAnnuity({ ...base, n, periodRisk: 0.15, flows: flows(0, 3) });
    const mean = paths.annuitized.reduce((a, b) => a + b, 0) / n;
    // Var of a product of independent growths: Π(σ² + (1+μ)²) − Π(1+μ)².
    const sd = 10000 * Math.sqrt((0.15 ** 2 + 1.05 ** 2) ** 3 - 1.05 ** 6);
    assert.ok(Math.abs(mean - 10000 * 1.05 ** 3) < (4 * sd) / Math.sqrt(n), `${mean}`);
  });
});

describe('variable_annuity endpoint', () => {
  let server: TestServer;
  let ticker: string;
  before(async () => {
    server = await startServer();
    ticker = 'DTVA';
    const security = await server.request('POST', '/nucleus/v1/security', { body: { name: 'Steady fund', ticker } });
    for (let k = 0; k <= 24; k++) {
      const date = new Date(Date.UTC(2020, k, 15)).toISOString();
      await server.request('POST', '/nucleus/v1/security_price', { body: { security_id: security.body.id, date, price: 100 * 1.01 ** k } });
    }
  });
  after(async () => {
    await server.close();
  });

  const request = () => ({
    portfolio_tickers: [ticker],
    portfolio_weights: [1],
    frequency_interval: 'month',
    accumulation_horizon: 1,
    decumulation_horizon: 1,
    initial_balance: 1000,
    annuitization_rate: 1.01 ** 12 - 1,
    n: 50,
    seed: 4,
  });

  test('a steady 1% a month: the closed-form balance and level payments', async () => {
    const body = await checkEndpoint(server, '/variable_annuity', request(), { body: { ...request(), decumulation_horizon: 0 }, field: 'decumulation_horizon' });
    const balance = 1000 * 1.01 ** 12;
    assert.ok(Math.abs(body.portfolio.period_return - 0.01) < 1e-12);
    assertCents(body.accumulation_balance, balance);
    const level = balance / annuityDue(12, 0.01);
    assertCents(body.first_payment, level);
    assert.equal(body.projection.length, 25);
    assertCents(body.projection[24].payment, level);
    assert.ok(Math.abs(body.total_payments - 12 * level) < 0.01);
    assert.equal(body.statistic, 'p50');
    assert.equal(body.accumulation_benefit_probability, 0);
  });

  test('tax, the accumulation benefit and a mean statistic', async () => {
    const result = await server.request('POST', '/proton/v1/variable_annuity', {
      body: { ...request(), tax_rate: 0.25, guaranteed_accumulation_benefit: 2000, result_type: 'mean' },
    });
    assert.equal(result.status, 200, JSON.stringify(result.body));
    assert.equal(result.body.accumulation_balance, 2000);
    assert.equal(result.body.accumulation_benefit_probability, 1);
    assertCents(result.body.first_payment, (0.75 * 2000) / annuityDue(12, 0.01));
    assert.equal(result.body.statistic, 'mean');
  });

  test('400s naming the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ portfolio_tickers: ['NOPE'] }, 'portfolio_tickers[0]'],
      [{ guaranteed_rate_benefit: [{ min_rate: 0.05, max_rate: 0.01 }] }, 'guaranteed_rate_benefit[0].max_rate'],
      [{ n: 100_001 }, 'n'],
    ];
    for (const [change, field] of cases) {
      const result = await server.request('POST', '/proton/v1/variable_annuity', { body: { ...request(), ...change } });
      assert.equal(result.status, 400, JSON.stringify(change));
      assert.equal(result.body.field, field, JSON.stringify(result.body));
    }
  });

  test("another client's account is a 404 for a client login, and another tenant's too", async () => {
    const people = await twoClients(server, 'va');
    const { portfolio_tickers: _t, portfolio_weights: _w, ...rest } = request();
    const foreign = await server.request('POST', '/proton/v1/variable_annuity', { token: people.outsider.token, body: { ...rest, account_id: people.owner.account } });
    assert.equal(foreign.status, 404);
    const other = await server.otherTenant();
    const tenant = await server.request('POST', '/proton/v1/variable_annuity', { token: other.token, body: { ...rest, account_id: people.outsider.account } });
    assert.equal(tenant.status, 404);
  });
});

describe('variable annuity without accumulation', () => {
  test('the accumulation benefit applies at once and funds the first payment', () => {
    const rows: number[] = [];
    const paths = runAnnuity({ ...base, accumulation: 0, initialBalance: 500, guaranteedBalance: 1000, flows: flows(0, 0) }, ({ payments: paid }) => rows.push(paid[0]));
    assert.equal(paths.annuitized[0], 1000);
    assert.ok(Math.abs(rows[1] - 1000 / (1 + 1 / 1.05)) < 1e-9);
  });
});
