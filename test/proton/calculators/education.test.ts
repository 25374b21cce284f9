import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startServer, type TestServer } from '../../support/server.ts';
import { solveEducationAnnualCost, solveEducationDeposit, solveEducationPercentCovered, type EducationInput } from '../../../src/proton/calculators/education.ts';
import { cents } from '../../../src/proton/money.ts';
import { assertCents, assertScheduleAddsUp, checkEndpoint } from './endpoint-checks.ts';

const base: EducationInput = {
  portfolioReturn: 0.05,
  educationInflationRate: 0,
  generalInflationRate: 0,
  taxRate: 0,
  accumulationYears: 10,
  decumulationYears: 4,
  initialBalance: 0,
  deposit: { amount: 0, perYear: 1, adjustForInflation: true },
  totalAnnualCost: 20000,
  percentOfCostsCovered: 1,
};
// Four yearly costs paid at the start of each year, valued when study starts, funded by ten ordinary deposits.
const costAtStart = (cost: number, r: number, growth: number) =>
  [0, 1, 2, 3].reduce((sum, year) => sum + (cost * (1 + growth) ** (10 + year)) / (1 + r) ** year, 0);
const futureOfDeposits = ((1.05 ** 10 - 1) / 0.05);

describe('education math', () => {
  test('the deposit funds every year of study', () => {
    const { depositAmount } = solveEducationDeposit(base);
    assertCents(cents(depositAmount), costAtStart(20000, 0.05, 0) / futureOfDeposits);
    const inflated = solveEducationDeposit({ ...base, educationInflationRate: 0.05 });
    assertCents(cents(inflated.depositAmount), costAtStart(20000, 0.05, 0.05) / futureOfDeposits);
  });

  test('half the cost needs half the deposit, and percent covered finds the half back', () => {
    const half = solveEducationDeposit({ ...base, percentOfCostsCovered: 0.5 });
    const full = solveEducationDeposit(base);
    assertCents(cents(half.depositAmount), full.depositAmount.toNumber() / 2);
    const { percentCovered } = solveEducationPercentCovered({ ...base, deposit: { ...base.deposit, amount: half.depositAmount.toNumber() } });
    assert.ok(Math.abs(percentCovered.toNumber() - 0.5) < 1e-12);
  });

  test('annual cost round trip, and a surplus caps the share at 1', () => {
    const { depositAmount } = solveEducationDeposit(base);
    const { annualCost } = solveEducationAnnualCost({ ...base, deposit: { ...base.deposit, amount: depositAmount.toNumber() } });
    assertCents(cents(annualCost), 20000);
    assert.equal(solveEducationPercentCovered({ ...base, initialBalance: 1e6 }).percentCovered.toNumber(), 1);
  });

  test('no years of study cannot fix a cost', () => {
    assert.throws(() => solveEducationAnnualCost({ ...base, decumulationYears: 0 }), { field: 'decumulation_horizon' });
  });
});

describe('education endpoints', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server.close();
  });
  const request = { portfolio_return: 0.05, accumulation_horizon: 10, decumulation_horizon: 4, total_annual_cost: 20000, education_inflation_rate: 0 };

  test('deposit_amount', async () => {
    const body = await checkEndpoint(server, '/education_calculator/deposit_amount', request, {
      body: { ...request, percent_of_costs_covered: 1.2 },
      field: 'percent_of_costs_covered',
    });
    assertCents(body.deposit_amount, costAtStart(20000, 0.05, 0) / futureOfDeposits);
    assert.equal(body.inputs.percent_of_costs_covered, 1);
    assertScheduleAddsUp(body.schedule);
  });

  test('percent_covered', async () => {
    const body = await checkEndpoint(server, '/education_calculator/percent_covered', { ...request, initial_balance: 10000 }, {
      body: { ...request, total_annual_cost: undefined },
      field: 'total_annual_cost',
    });
    assert.ok(body.percent_covered > 0 && body.percent_covered < 1);
    assert.equal(body.inputs.education_inflation_rate, 0);
  });

  test('annual_cost', async () => {
    const { total_annual_cost: _cost, ...rest } = request;
    const body = await checkEndpoint(server, '/education_calculator/annual_cost', { ...rest, initial_balance: 50000 }, {
      body: { ...rest, decumulation_horizon: 0 },
      field: 'decumulation_horizon',
    });
    assertCents(body.annual_cost, (50000 * 1.05 ** 10) / ((1 - 1.05 ** -4) / 0.05 * 1.05));
  });
});
