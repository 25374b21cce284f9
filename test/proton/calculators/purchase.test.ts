import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startServer, type TestServer } from '../../support/server.ts';
import { solvePurchaseAmount, solvePurchaseDeposit, solvePurchaseHorizon, type PurchaseInput } from '../../../src/proton/calculators/purchase.ts';
import { cents } from '../../../src/proton/money.ts';
import { assertCents, checkEndpoint } from './endpoint-checks.ts';

const base: PurchaseInput = {
  portfolioReturn: 0.06,
  inflationRate: 0,
  investmentTax: 0,
  currentSavings: 0,
  deposit: { amount: 0, perYear: 12, adjustForInflation: false },
  purchaseAmount: 50000,
  horizon: 5,
  horizonPerYear: 1,
};
const j = 1.06 ** (1 / 12) - 1;
const monthlyFuture = (n: number) => ((1 + j) ** n - 1) / j;

describe('purchase math', () => {
  test('the deposit is the price over the future value of monthly deposits', () => {
    assertCents(cents(solvePurchaseDeposit(base).depositAmount), 50000 / monthlyFuture(60));
    const taxed = solvePurchaseDeposit({ ...base, investmentTax: 0.2, inflationRate: 0.02 });
    assertCents(cents(taxed.depositAmount), (50000 * 1.02 ** 5) / 0.8 / monthlyFuture(60));
    assertCents(cents(taxed.outcome.tax), (50000 * 1.02 ** 5) / 0.8 - 50000 * 1.02 ** 5);
  });

  test('amount round trip, in today\'s money after tax', () => {
    const { depositAmount } = solvePurchaseDeposit({ ...base, investmentTax: 0.1, inflationRate: 0.03 });
    const { amount } = solvePurchaseAmount({ ...base, investmentTax: 0.1, inflationRate: 0.03, deposit: { ...base.deposit, amount: depositAmount.toNumber() } });
    assertCents(cents(amount), 50000);
    assertCents(cents(solvePurchaseAmount({ ...base, currentSavings: 1000, horizon: 1 }).amount), 1060);
  });

  test('horizon: zero when already affordable, else the first whole year', () => {
    assert.equal(solvePurchaseHorizon({ ...base, currentSavings: 50000 }).years, 0);
    assert.equal(solvePurchaseHorizon({ ...base, currentSavings: 40000 }).years, 4); // 40000 * 1.06^4 = 50499
    assert.throws(() => solvePurchaseHorizon(base), { field: 'purchase_amount' });
  });

  test('a horizon with no deposit due cannot be funded by deposits', () => {
    assert.throws(() => solvePurchaseDeposit({ ...base, horizon: 0 }), { field: 'purchase_horizon' });
  });
});

describe('purchase endpoints', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server.close();
  });

  test('deposit_amount', async () => {
    const request = { portfolio_return: 0.06, purchase_amount: 50000, purchase_horizon: 60, horizon_frequency_interval: 'month', deposit_schedule: { deposit_frequency_interval: 'month' } };
    const body = await checkEndpoint(server, '/purchase_calculator/deposit_amount', request, {
      body: { ...request, horizon_frequency_interval: 'day' },
      field: 'horizon_frequency_interval',
    });
    assertCents(body.deposit_amount, 50000 / monthlyFuture(60));
    assert.equal(body.schedule.length, 60);
  });

  test('amount', async () => {
    const request = { portfolio_return: 0.06, purchase_horizon: 1, current_savings: 1000 };
    const body = await checkEndpoint(server, '/purchase_calculator/amount', request, {
      body: { ...request, purchase_horizon: -1 },
      field: 'purchase_horizon',
    });
    assert.equal(body.purchase_amount, 1060);
  });

  test('horizon', async () => {
    const request = { portfolio_return: 0.06, purchase_amount: 50000, current_savings: 40000 };
    const body = await checkEndpoint(server, '/purchase_calculator/horizon', request, {
      body: { ...request, investment_tax: 2 },
      field: 'investment_tax',
    });
    assert.equal(body.purchase_horizon, 4);
  });
});
