import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startServer, type TestServer } from '../../support/server.ts';
import { solveRetirementDeposit, solveRetirementExpenses, solveRetirementPercentCovered, type RetirementInput } from '../../../src/proton/calculators/retirement.ts';
import { cents } from '../../../src/proton/money.ts';
import { assertCents, assertScheduleAddsUp, checkEndpoint } from './endpoint-checks.ts';

const base: RetirementInput = {
  currentAge: 60,
  retirementAge: 65,
  deathAge: 85,
  portfolioReturn: 0,
  inflationRate: 0,
  retirementTax: 0,
  retirementSavings: 0,
  retirementIncome: 10000,
  deposit: { amount: 0, perYear: 1, adjustForInflation: true },
  retirementExpenses: 40000,
  percentOfExpensesCovered: 1,
};

describe('retirement math', () => {
  test('at zero return the deposits add up to the uncovered expenses', () => {
    // 20 years of (40000 - 10000), from 5 yearly deposits.
    assert.equal(cents(solveRetirementDeposit(base).depositAmount), 120000);
  });

  test('with a return, the deposit is the present value over the future value of deposits', () => {
    const r = 0.05;
    const need = (30000 * (1 - (1 + r) ** -20)) / r * (1 + r);
    assertCents(cents(solveRetirementDeposit({ ...base, portfolioReturn: r }).depositAmount), need / (((1 + r) ** 5 - 1) / r));
  });

  test('expenses and percent covered round trip', () => {
    const withSavings = { ...base, portfolioReturn: 0.04, retirementSavings: 300000 };
    const { expenses } = solveRetirementExpenses(withSavings);
    const { percentCovered } = solveRetirementPercentCovered({ ...withSavings, retirementExpenses: expenses.toNumber() });
    assert.ok(Math.abs(percentCovered.toNumber() - 1) < 1e-12);
    const half = solveRetirementPercentCovered({ ...withSavings, retirementExpenses: expenses.toNumber() * 2 });
    assert.ok(Math.abs(half.percentCovered.toNumber() - 0.5) < 1e-12);
  });

  test('someone past retirement age is retired from today', () => {
    const { depositAmount, outcome } = solveRetirementDeposit({ ...base, currentAge: 70, retirementSavings: 450000 });
    assert.equal(cents(depositAmount), 0);
    assert.equal(outcome.schedule.length, 15);
    assert.throws(() => solveRetirementExpenses({ ...base, deathAge: 60 }), { field: 'death_age' });
  });
});

describe('retirement endpoints', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server.close();
  });
  const request = { current_age: 60, death_age: 85, portfolio_return: 0, retirement_income: 10000, retirement_expenses: 40000 };

  test('deposit_amount', async () => {
    const body = await checkEndpoint(server, '/retirement_calculator/deposit_amount', request, {
      body: { ...request, retirement_expenses: 'a lot' },
      field: 'retirement_expenses',
    });
    assert.equal(body.deposit_amount, 120000);
    assert.equal(body.inputs.retirement_age, 65);
    assertScheduleAddsUp(body.schedule);
  });

  test('percent_covered', async () => {
    const body = await checkEndpoint(server, '/retirement_calculator/percent_covered', { ...request, retirement_savings: 300000 }, {
      body: { ...request, current_age: -3 },
      field: 'current_age',
    });
    assert.ok(Math.abs(body.percent_covered - (300000 / 20 + 10000) / 40000) < 1e-12);
  });

  test('expenses', async () => {
    const { retirement_expenses: _e, ...rest } = request;
    const body = await checkEndpoint(server, '/retirement_calculator/expenses', { ...rest, retirement_savings: 300000 }, {
      body: { ...rest, death_age: 50 },
      field: 'death_age',
    });
    assert.equal(body.retirement_expenses, 25000);
  });
});
