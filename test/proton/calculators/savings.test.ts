import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startServer, type TestServer } from '../../support/server.ts';
import { projectSavings, type SavingsInput } from '../../../src/proton/calculators/savings.ts';
import { cents } from '../../../src/proton/money.ts';
import { assertCents, assertScheduleAddsUp, checkEndpoint } from './endpoint-checks.ts';

const base: SavingsInput = {
  horizon: 10,
  horizonPerYear: 1,
  returns: [0.06],
  inflationRate: 0,
  taxRate: 0,
  initialBalance: 10000,
  deposits: [{ amount: 0, perYear: 1, duration: null, adjustForInflation: true }],
};

describe('savings math', () => {
  test('compound growth with monthly ordinary deposits', () => {
    const j = 1.06 ** (1 / 12) - 1;
    const outcome = projectSavings({ ...base, deposits: [{ amount: 100, perYear: 12, duration: null, adjustForInflation: false }] });
    assertCents(cents(outcome.endingBalance), 10000 * 1.06 ** 10 + (100 * ((1 + j) ** 120 - 1)) / j);
  });

  test('earnings tax leaves the after-tax rate, and inflation deflates the result', () => {
    const outcome = projectSavings({ ...base, taxRate: 0.25, inflationRate: 0.02 });
    assertCents(cents(outcome.endingBalance), 10000 * 1.045 ** 10);
    assertCents(cents(outcome.realEndingBalance), (10000 * 1.045 ** 10) / 1.02 ** 10);
  });

  test('a return schedule, a limited deposit and a zero horizon', () => {
    const outcome = projectSavings({ ...base, horizon: 3, returns: [0.1, 0], deposits: [{ amount: 500, perYear: 1, duration: 2, adjustForInflation: false }] });
    assertCents(cents(outcome.endingBalance), 10000 * 1.1 + 500 + 500);
    assert.equal(cents(projectSavings({ ...base, horizon: 0 }).endingBalance), 10000);
  });
});

describe('savings endpoint', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server.close();
  });

  test('savings_calculator', async () => {
    const request = { horizon: 10, return_schedule: [0.06], initial_balance: 10000 };
    const body = await checkEndpoint(server, '/savings_calculator', request, { body: { ...request, deposit_schedule: [] }, field: 'deposit_schedule' });
    assertCents(body.ending_balance, 10000 * 1.06 ** 10);
    assert.equal(body.schedule.length, 10);
    assert.equal(body.inputs.deposit_schedule[0].deposit_frequency_interval, 'year');
    assertScheduleAddsUp(body.schedule);
    const badReturn = await server.request('POST', '/proton/v1/savings_calculator', { body: { ...request, return_schedule: [-1] } });
    assert.equal(badReturn.status, 400);
    assert.equal(badReturn.body.field, 'return_schedule[0]');
  });
});
