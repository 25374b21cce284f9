import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startServer, type TestServer } from '../../support/server.ts';
import { planEmergencyFund } from '../../../src/proton/calculators/emergency-fund.ts';
import { cents } from '../../../src/proton/money.ts';
import { assertCents, checkEndpoint } from './endpoint-checks.ts';

describe('emergency fund math', () => {
  test('target, and the deposit that reaches it over each horizon', () => {
    const outcome = planEmergencyFund({
      expenses: { housing_cost: 1500, food_costs: 500 },
      periodsPerYear: 12,
      fundPeriods: 6,
      currentBalance: 3000,
      interestRate: 0.03,
      savingsHorizons: [0, 1, 12],
    });
    assert.equal(cents(outcome.target), 12000);
    assert.equal(cents(outcome.shortfall), 9000);
    assert.equal(outcome.plans[0].deposit, null);
    const j = 1.03 ** (1 / 12) - 1;
    assertCents(cents(outcome.plans[1].deposit!), 12000 - 3000 * (1 + j));
    assertCents(cents(outcome.plans[2].deposit!), ((12000 - 3000 * 1.03) * j) / ((1 + j) ** 12 - 1));
  });

  test('a full fund needs no deposit', () => {
    const outcome = planEmergencyFund({ expenses: { food_costs: 100 }, periodsPerYear: 12, fundPeriods: 3, currentBalance: 300, interestRate: 0, savingsHorizons: [0, 3] });
    assert.deepEqual(outcome.plans.map((plan) => cents(plan.deposit!)), [0, 0]);
  });
});

describe('emergency fund endpoint', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server.close();
  });

  test('emergency_fund_calculator', async () => {
    const request = { emergency_fund_duration: 6, housing_cost: 1500, other_expenses: { childcare: 500 } };
    const body = await checkEndpoint(server, '/emergency_fund_calculator', request, {
      body: { ...request, frequency_unit: 'fortnight' },
      field: 'frequency_unit',
    });
    assert.equal(body.emergency_fund_target, 12000);
    assert.equal(body.savings_plan.length, 8);
    assert.equal(body.savings_plan[0].deposit_amount, 4000);
  });
});
