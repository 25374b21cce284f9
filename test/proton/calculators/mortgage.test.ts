import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startServer, type TestServer } from '../../support/server.ts';
import { amortizationInCents, solveDownPayment, solveHomePrice, solvePeriodicPayment } from '../../../src/proton/calculators/mortgage.ts';
import { cents } from '../../../src/proton/money.ts';
import { assertCents, checkEndpoint } from './endpoint-checks.ts';

const payment = (loan: number, annual: number, n: number) => {
  const r = annual / 12;
  return (loan * r) / (1 - (1 + r) ** -n);
};

describe('mortgage math', () => {
  test('the payment is P r / (1 - (1 + r)^-n) and the table repays the principal', () => {
    const outcome = solvePeriodicPayment({ homePrice: 375000, downPayment: 75000, interestRate: 0.04, termMonths: 360 });
    assert.equal(cents(outcome.periodicPayment), 1432.25);
    assertCents(cents(outcome.periodicPayment), payment(300000, 0.04, 360));
    const rows = amortizationInCents(outcome.schedule);
    const principalCents = rows.reduce((sum, row) => sum + Math.round(row.principal * 100), 0);
    assert.equal(principalCents, 300000 * 100);
    assert.equal(rows.at(-1)!.end_balance, 0);
    for (const row of rows) {
      assert.equal(Math.round(row.interest * 100) + Math.round(row.principal * 100), Math.round(row.payment * 100));
    }
    assertCents(rows[0].interest, 1000);
  });

  test('zero rate and a single month', () => {
    assert.equal(cents(solvePeriodicPayment({ homePrice: 120000, downPayment: 0, interestRate: 0, termMonths: 120 }).periodicPayment), 1000);
    assertCents(cents(solvePeriodicPayment({ homePrice: 1000, downPayment: 0, interestRate: 0.12, termMonths: 1 }).periodicPayment), 1010);
  });

  test('round trips through price and down payment', () => {
    const price = solveHomePrice({ periodicPayment: 1432.25, downPayment: 75000, interestRate: 0.04, termMonths: 360 });
    assertCents(cents(price.homePrice), 75000 + (1432.25 * (1 - (1 + 0.04 / 12) ** -360)) / (0.04 / 12));
    const down = solveDownPayment({ periodicPayment: 1432.25, homePrice: price.homePrice.toNumber(), interestRate: 0.04, termMonths: 360 });
    assertCents(cents(down.downPayment), 75000);
    assert.equal(cents(solveDownPayment({ periodicPayment: 5000, homePrice: 100000, interestRate: 0.04, termMonths: 360 }).downPayment), 0);
  });

  test('impossible terms are refused', () => {
    assert.throws(() => solvePeriodicPayment({ homePrice: 1, downPayment: 2, interestRate: 0.04, termMonths: 360 }), { field: 'down_payment' });
    assert.throws(() => solvePeriodicPayment({ homePrice: 2, downPayment: 1, interestRate: 0.04, termMonths: 0 }), { field: 'mortgage_term' });
  });
});

describe('mortgage endpoints', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server.close();
  });

  test('periodic_payment', async () => {
    const body = await checkEndpoint(server, '/mortgage_calculator/periodic_payment', { home_price: 375000, down_payment: 75000 }, {
      body: { home_price: 375000 },
      field: 'down_payment',
    });
    assert.equal(body.periodic_payment, 1432.25);
    assert.equal(body.schedule.length, 360);
    assert.equal(body.inputs.interest_rate, 0.04);
  });

  test('home_price', async () => {
    const body = await checkEndpoint(server, '/mortgage_calculator/home_price', { periodic_payment: 1000, down_payment: 0, interest_rate: 0, mortgage_term: 120 }, {
      body: { periodic_payment: 1000, down_payment: 0, mortgage_term: 601 },
      field: 'mortgage_term',
    });
    assert.equal(body.home_price, 120000);
  });

  test('down_payment', async () => {
    const body = await checkEndpoint(server, '/mortgage_calculator/down_payment', { periodic_payment: 1000, home_price: 150000, interest_rate: 0, mortgage_term: 120 }, {
      body: { periodic_payment: 1000, home_price: 150000, interest_rate: -0.01 },
      field: 'interest_rate',
    });
    assert.equal(body.down_payment, 30000);
    assert.equal(body.loan_amount, 120000);
  });
});
