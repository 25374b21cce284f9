import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startServer, type TestServer } from '../../support/server.ts';
import { lifeInsuranceNeeds, type LifeInsuranceInput } from '../../../src/proton/calculators/life-insurance.ts';
import { cents } from '../../../src/proton/money.ts';
import { assertCents, assertScheduleAddsUp, checkEndpoint } from './endpoint-checks.ts';

const base: LifeInsuranceInput = {
  interestRate: 0.05,
  taxRate: 0,
  generalInflationRate: 0,
  educationInflationRate: 0,
  marginOfError: 0,
  liquidAssets: 0,
  existingLifeInsurance: 0,
  mortgageBalance: 0,
  otherDebt: 0,
  endOfLifeExpenses: 0,
  roundingDigits: 0,
  incomes: [],
  children: [],
  bequests: [],
};

describe('life insurance math', () => {
  test('income is replaced from the start of each year, discounted after tax', () => {
    const outcome = lifeInsuranceNeeds({ ...base, taxRate: 0.2, incomes: [{ annualNetTakeHomePay: 50000, years: 3, fractionCovered: 0.8 }] });
    assertCents(cents(outcome.incomeReplacement), 40000 * (1 + 1 / 1.04 + 1 / 1.04 ** 2));
    assert.equal(cents(outcome.schedule.at(-1)!.endBalance), 0);
  });

  test('education, bequests, debts, margin, assets and rounding', () => {
    const outcome = lifeInsuranceNeeds({
      ...base,
      interestRate: 0,
      mortgageBalance: 200000,
      otherDebt: 10000,
      endOfLifeExpenses: 15000,
      marginOfError: 0.1,
      liquidAssets: 50000,
      existingLifeInsurance: 100000,
      roundingDigits: 3,
      children: [{ currentAge: 16, education: [{ totalAnnualCost: 30000, startAge: 18, endAge: 22 }] }],
      bequests: [{ amount: 5000, years: 2, yearsUntil: 1 }],
    });
    assert.equal(cents(outcome.education), 120000);
    assert.equal(cents(outcome.bequests), 10000);
    assert.equal(cents(outcome.totalNeed), 355000);
    // 355000 * 1.1 - 150000 = 240500, rounded up to the thousand.
    assert.equal(cents(outcome.insuranceNeeded), 241000);
  });

  test('assets beyond the need leave nothing to insure; a backwards age range is refused', () => {
    assert.equal(cents(lifeInsuranceNeeds({ ...base, endOfLifeExpenses: 1000, liquidAssets: 5000 }).insuranceNeeded), 0);
    assert.throws(
      () => lifeInsuranceNeeds({ ...base, children: [{ currentAge: 5, education: [{ totalAnnualCost: 1, startAge: 18, endAge: 17 }] }] }),
      { field: 'children_education_config[0].education_config[0].end_age' },
    );
  });
});

describe('life insurance endpoint', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server.close();
  });

  test('needs_calculator', async () => {
    const request = { interest_rate: 0.05, income_config: [{ annual_net_take_home_pay: 50000, income_benefit_duration: 2 }] };
    const body = await checkEndpoint(server, '/life_insurance/needs_calculator', request, {
      body: { ...request, income_config: [{ income_benefit_duration: 2 }] },
      field: 'income_config[0].annual_net_take_home_pay',
    });
    assertCents(body.insurance_needed, Math.ceil(50000 + 50000 / 1.05));
    assertScheduleAddsUp(body.schedule);
    const unknownClient = await server.request('POST', '/proton/v1/life_insurance/needs_calculator', {
      body: { ...request, client_id: '00000000-0000-4000-8000-000000000000' },
    });
    assert.equal(unknownClient.status, 404);
  });
});
