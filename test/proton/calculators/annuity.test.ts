import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startServer, type TestServer } from '../../support/server.ts';
import {
  solveAccumulationHorizon,
  solveAnnuityAmount,
  solveAnnuityDeposit,
  solveAnnuityInitialBalance,
  solveDecumulationHorizon,
  type AnnuityInput,
} from '../../../src/proton/calculators/annuity.ts';
import { cents } from '../../../src/proton/money.ts';
import { assertCents, assertScheduleAddsUp, checkEndpoint } from './endpoint-checks.ts';

// Closed forms: an annuity due of 1 for n periods at rate r is worth (1 - (1+r)^-n) / r * (1+r)
// at its start; ordinary deposits of 1 for n periods grow to ((1+r)^n - 1) / r.
const dueValue = (r: number, n: number) => ((1 - (1 + r) ** -n) / r) * (1 + r);
const ordinaryFuture = (r: number, n: number) => ((1 + r) ** n - 1) / r;

const base: AnnuityInput = {
  portfolioReturn: 0.05,
  inflationRate: 0,
  taxRate: 0,
  accumulationYears: 10,
  decumulationYears: 20,
  initialBalance: 0,
  deposit: { amount: 0, perYear: 1, adjustForInflation: true },
  annuity: { amount: 10000, perYear: 1 },
};

describe('annuity math', () => {
  test('the deposit funds a yearly annuity due from ordinary deposits', () => {
    const { depositAmount, outcome } = solveAnnuityDeposit(base);
    const expected = (10000 * dueValue(0.05, 20)) / ordinaryFuture(0.05, 10);
    assertCents(cents(depositAmount), expected);
    assert.equal(cents(depositAmount), 10403.43);
    assertCents(cents(outcome.accumulationBalance), 10000 * dueValue(0.05, 20));
    assert.equal(cents(outcome.schedule.at(-1)!.endBalance), 0);
  });

  test('the initial balance is the present value of the payouts', () => {
    const { initialBalance } = solveAnnuityInitialBalance({ ...base, accumulationYears: 0 });
    assert.equal(cents(initialBalance), 130853.21);
    const monthly = solveAnnuityInitialBalance({ ...base, accumulationYears: 0, annuity: { amount: 1000, perYear: 12 } });
    const j = 1.05 ** (1 / 12) - 1;
    assertCents(cents(monthly.initialBalance), 1000 * dueValue(j, 240));
  });

  test('payouts in today\'s money growing at the return cost payout times years', () => {
    const { initialBalance } = solveAnnuityInitialBalance({ ...base, portfolioReturn: 0.03, inflationRate: 0.03, accumulationYears: 0 });
    assert.equal(cents(initialBalance), 200000);
  });

  test('a payout tax grosses the withdrawals up', () => {
    const { initialBalance, outcome } = solveAnnuityInitialBalance({ ...base, accumulationYears: 0, taxRate: 0.25 });
    assertCents(cents(initialBalance), (10000 * dueValue(0.05, 20)) / 0.75);
    assertCents(cents(outcome.schedule[0].taxes), 10000 / 0.75 - 10000);
  });

  test('zero return and one period', () => {
    const flat = solveAnnuityAmount({ ...base, portfolioReturn: 0, accumulationYears: 0, decumulationYears: 10, initialBalance: 120000, annuity: { amount: 0, perYear: 12 } });
    assert.equal(cents(flat.annuityAmount), 1000);
    const once = solveAnnuityInitialBalance({ ...base, accumulationYears: 0, decumulationYears: 1 });
    assert.equal(cents(once.initialBalance), 10000);
  });

  test('round trip: the solved deposit buys back the annuity', () => {
    const { depositAmount } = solveAnnuityDeposit({ ...base, inflationRate: 0.02, deposit: { amount: 0, perYear: 12, adjustForInflation: true }, annuity: { amount: 2500, perYear: 4 } });
    const back = solveAnnuityAmount({ ...base, inflationRate: 0.02, deposit: { amount: depositAmount.toNumber(), perYear: 12, adjustForInflation: true }, annuity: { amount: 0, perYear: 4 } });
    assertCents(cents(back.annuityAmount), 2500);
  });

  test('horizons are the whole years at the edge of feasibility', () => {
    assert.equal(solveAccumulationHorizon({ ...base, deposit: { amount: 10403.43, perYear: 1, adjustForInflation: false } }).accumulationYears, 10);
    assert.equal(solveAccumulationHorizon({ ...base, deposit: { amount: 10403.42, perYear: 1, adjustForInflation: false } }).accumulationYears, 11);
    assert.equal(solveDecumulationHorizon({ ...base, accumulationYears: 0, initialBalance: 130853.21 }).decumulationYears, 20);
    assert.equal(solveDecumulationHorizon({ ...base, accumulationYears: 0, initialBalance: 130853.2 }).decumulationYears, 19);
    assert.equal(solveDecumulationHorizon({ ...base, accumulationYears: 0, initialBalance: 9999 }).decumulationYears, 0);
  });

  test('a goal no deposit reaches is refused, naming the field', () => {
    assert.throws(() => solveAnnuityDeposit({ ...base, accumulationYears: 0 }), { field: 'accumulation_horizon' });
    assert.throws(() => solveAccumulationHorizon(base), { field: 'annuity_amount' });
  });
});

describe('annuity endpoints', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server.close();
  });

  const request = { portfolio_return: 0.05, accumulation_horizon: 10, decumulation_horizon: 20, annuity_amount: 10000 };

  test('deposit_amount', async () => {
    const body = await checkEndpoint(server, '/annuity_calculator/deposit_amount', request, {
      body: { ...request, portfolio_return: -1.5 },
      field: 'portfolio_return',
    });
    assert.equal(body.deposit_amount, 10403.43);
    assert.equal(body.schedule.length, 30);
    assert.equal(body.inputs.deposit_schedule.deposit_frequency_interval, 'year');
    assertScheduleAddsUp(body.schedule);
  });

  test('initial_balance', async () => {
    const body = await checkEndpoint(server, '/annuity_calculator/initial_balance', { ...request, accumulation_horizon: 0 }, {
      body: { ...request, accumulation_horizon: -1 },
      field: 'accumulation_horizon',
    });
    assert.equal(body.initial_balance, 130853.21);
  });

  test('annuity_amount', async () => {
    const { annuity_amount: _ignored, ...rest } = request;
    const body = await checkEndpoint(server, '/annuity_calculator/annuity_amount', { ...rest, deposit_schedule: { deposit_amount: 10403.43 } }, {
      body: { ...rest, annuity_frequency_interval: 'fortnight' },
      field: 'annuity_frequency_interval',
    });
    assertCents(body.annuity_amount, 10000);
  });

  test('accumulation_horizon', async () => {
    const body = await checkEndpoint(
      server,
      '/annuity_calculator/accumulation_horizon',
      { ...request, accumulation_horizon: undefined, deposit_schedule: { deposit_amount: 10403.43, adjust_deposit_for_inflation: false } },
      { body: { ...request, tax_rate: 1.5 }, field: 'tax_rate' },
    );
    assert.equal(body.accumulation_horizon, 10);
    const unreachable = await server.request('POST', '/proton/v1/annuity_calculator/accumulation_horizon', { body: request });
    assert.equal(unreachable.status, 400);
    assert.equal(unreachable.body.field, 'annuity_amount');
  });

  test('decumulation_horizon', async () => {
    const body = await checkEndpoint(server, '/annuity_calculator/decumulation_horizon', { ...request, accumulation_horizon: 0, initial_balance: 130853.21 }, {
      body: { ...request, deposit_schedule: { deposit_amount: 'one' } },
      field: 'deposit_schedule.deposit_amount',
    });
    assert.equal(body.decumulation_horizon, 20);
  });

  test('an account id the caller cannot read is a 404', async () => {
    const missing = await server.request('POST', '/proton/v1/annuity_calculator/deposit_amount', {
      body: { ...request, account_ids: ['00000000-0000-4000-8000-000000000000'] },
    });
    assert.equal(missing.status, 404);
    const aggregation = await server.request('POST', '/proton/v1/annuity_calculator/deposit_amount', {
      body: { ...request, aggregation_account_ids: ['00000000-0000-4000-8000-000000000000'] },
    });
    assert.equal(aggregation.status, 404);
  });

  test("another client's account is a 404 for a client login, as if it did not exist", async () => {
    const type = await server.request('POST', '/nucleus/v1/account_type', { body: { name: 'Savings' } });
    const people: Record<string, { id: string; account: string }> = {};
    for (const name of ['owner', 'outsider']) {
      const client = await server.request('POST', '/nucleus/v1/client', {
        body: { username: `${name}@annuity.test`, client_type: 'individual', password: `${name}-Pass-word-1`, authorities: ['ROLE_CLIENT'] },
      });
      const account = await server.request('POST', '/nucleus/v1/account', {
        body: { name, account_type_id: type.body.id, clients: [{ client_id: client.body.id, client_account_association_type: 'owner' }] },
      });
      people[name] = { id: client.body.id, account: account.body.id };
    }
    const login = await server.token('test-admin', 'test-admin-secret', {
      grant_type: 'password',
      username: 'outsider@annuity.test',
      password: 'outsider-Pass-word-1',
    });
    const token = login.body.access_token;
    const own = await server.request('POST', '/proton/v1/annuity_calculator/deposit_amount', {
      token,
      body: { ...request, account_ids: [people.outsider.account] },
    });
    assert.equal(own.status, 200);
    const foreign = await server.request('POST', '/proton/v1/annuity_calculator/deposit_amount', {
      token,
      body: { ...request, account_ids: [people.owner.account] },
    });
    assert.equal(foreign.status, 404);
  });
});
