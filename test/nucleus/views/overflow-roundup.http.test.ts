import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, startServer, type TestServer } from '../../support/server.ts';
import { overflowOf } from '../../../src/nucleus/views/overflow.ts';
import { roundupOf, roundups, splitByWeight, type Spend } from '../../../src/nucleus/views/roundup.ts';
import { Decimal } from '../../../src/platform/money/money.ts';
import { post } from './world.ts';

const d = (value: number) => new Decimal(value);

describe('overflow and roundup arithmetic', () => {
  it('overflows the balance above the line, capped at max, to the cent below', () => {
    assert.equal(overflowOf(d(1500), { bank_link_id: 'x', amount: 1000, max: 400 }).toString(), '400');
    assert.equal(overflowOf(d(1000.559), { bank_link_id: 'x', amount: 1000 }).toString(), '0.55');
    assert.equal(overflowOf(d(300), { bank_link_id: 'x', amount: 500 }).toString(), '0');
    assert.equal(overflowOf(undefined, { bank_link_id: 'x', amount: 0 }).toString(), '0');
  });

  it('rounds a purchase up to the next multiple of its step', () => {
    assert.equal(roundupOf(d(4.3), d(1)).toString(), '0.7');
    assert.equal(roundupOf(d(-12), d(5)).toString(), '3');
    assert.equal(roundupOf(d(10), d(1)).toString(), '0');
  });

  it('counts only the categories and merchants a setting lists, with the most specific step', () => {
    const spend = (amount: number, category?: string, merchant?: string): Spend => ({ entity: 'portfolio_transaction', id: randomUUID(), doc: {}, amount: d(amount), category, merchant, step: 1 });
    const spends = [spend(4.3, 'Food', 'Cafe'), spend(4.3, 'Travel'), spend(4.3, 'food', 'Bakery')];
    const byCategory = roundups({ categories: [{ category: 'Food', amount: 2 }] }, spends);
    assert.deepEqual(byCategory.map((c) => c.roundup.toString()), ['1.7', '1.7']);
    const byMerchant = roundups({ categories: [{ category: 'Food', amount: 2 }], merchants: [{ merchant: 'cafe', amount: 10 }] }, spends);
    assert.deepEqual(byMerchant.map((c) => c.roundup.toString()), ['5.7']);
    assert.equal(roundups({}, spends).length, 3);
  });

  it('splits a total by weight into cents that add up to it', () => {
    assert.deepEqual(splitByWeight(d(1), [d(1), d(1), d(1)]).map(String), ['0.34', '0.33', '0.33']);
    assert.deepEqual(splitByWeight(d(3.7), [d(0.6), d(0.4)]).map(String), ['2.22', '1.48']);
  });
});

describe('POST /overflow and POST /roundup', () => {
  let server: TestServer;
  const ids: Record<string, string> = {};
  let annToken: string;
  before(async () => {
    server = await startServer();
    const p = (entity: string, body: object) => post(server, entity, body);
    ids.ann = await p('client', { username: 'ann@example.com', client_type: 'individual' });
    ids.bob = await p('client', { username: 'bob@example.com', client_type: 'individual' });
    const type = await p('account_type', { name: 'Savings' });
    ids.A = await p('account', { name: 'Ann', account_type_id: type, clients: [{ client_id: ids.ann, client_account_association_type: 'owner' }] });
    ids.B = await p('account', { name: 'Bob', account_type_id: type, clients: [{ client_id: ids.bob, client_account_association_type: 'owner' }] });
    const link = (client_id: string, account_id: string, balances: object) =>
      p('bank_link', { client_id, account_id, bank_account_holder: 'Holder', bank_account_number: '123', institution_name: 'Bank', routing: '021000021', currency_code: 'USD', ...balances });
    ids.L1 = await link(ids.ann, ids.A, { balance: 1600, available_balance: 1500 });
    ids.L2 = await link(ids.ann, ids.A, { balance: 300 });
    ids.LB = await link(ids.bob, ids.B, { balance: 5000 });
    ids.overflow = await p('overflow_setting', { client_id: ids.ann, account_id: ids.A, bank_links: [{ bank_link_id: ids.L1, amount: 1000, max: 400 }, { bank_link_id: ids.L2, amount: 500 }] });
    ids.bobOverflow = await p('overflow_setting', { client_id: ids.bob, account_id: ids.B, bank_links: [{ bank_link_id: ids.LB, amount: 0 }] });

    ids.agg = await p('aggregation_account', { client_id: ids.ann, account_name: 'Checking', institution_name: 'Bank' });
    const bankTx = (transaction_date: string, amount: number, transaction_type: string, category = 'Food') =>
      p('aggregation_account_transaction', { aggregation_account_id: ids.agg, currency_code: 'USD', transaction_date, bank_credit: { amount, transaction_type, category, merchant: 'Cafe' } });
    await bankTx('2024-03-02T10:00:00Z', 4.3, 'Debit');
    await bankTx('2024-03-03T10:00:00Z', 10, 'debit');
    await bankTx('2024-03-04T10:00:00Z', 2.5, 'credit');
    await bankTx('2024-02-20T10:00:00Z', 7.25, 'debit');
    const model = await p('model', { name: 'Cash' });
    const portfolio = await p('portfolio', { name: 'Spending', account_id: ids.A, percentage: 100, model_id: model });
    const spendCode = await p('transaction_code', { transaction_code: 'SPEND', is_deposit: false });
    const depositCode = await p('transaction_code', { transaction_code: 'DEP', is_deposit: true });
    const accountTx = (transaction_code_id: string, amount: number) =>
      p('portfolio_transaction', { account_id: ids.A, portfolio_id: portfolio, model_id: model, transaction_code_id, date: '2024-03-05T12:00:00Z', amount });
    await accountTx(spendCode, 12);
    await accountTx(depositCode, 3.3);
    ids.roundup = await p('roundup_setting', {
      client_id: ids.ann,
      account_id: ids.A,
      bank_links: [{ bank_link_id: ids.L1, weight: 60 }, { bank_link_id: ids.L2, weight: 40 }],
      aggregation_accounts: [{ aggregation_account_id: ids.agg, amount: 1 }],
      accounts: [{ account_id: ids.A, amount: 5 }],
    });

    const password = 'ann-has-a-long-password';
    const updated = await server.request('PUT', `/nucleus/v1/client/${ids.ann}`, { body: { password, authorities: ['ROLE_CLIENT'] } });
    assert.equal(updated.status, 200, JSON.stringify(updated.body));
    const login = await server.token(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, { grant_type: 'password', username: 'ann@example.com', password });
    assert.equal(login.status, 200, JSON.stringify(login.body));
    annToken = login.body.access_token;
  });
  after(() => server.close());

  const fundingsOf = async (record: { funding_requests: { funding_id: string }[] }) =>
    Promise.all(record.funding_requests.map(async (f) => (await server.request('GET', `/nucleus/v1/funding/${f.funding_id}`)).body));

  it('sweeps what overflows into funding requests and lowers the balances when asked', async () => {
    const created = await server.request('POST', '/nucleus/v1/overflow', { body: { overflow_setting_id: ids.overflow, funding_start_date: '2024-03-10', update_balances: true } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual([created.body.account_id, created.body.client_id, created.body.total_overflow_amount, created.body.update_balances], [ids.A, ids.ann, 400, true]);
    const [funding] = await fundingsOf(created.body);
    assert.equal(created.body.funding_requests.length, 1);
    assert.deepEqual([funding.bank_link_id, funding.account_id, funding.amount, funding.is_deposit, funding.funding_type, funding.start_date], [ids.L1, ids.A, 400, true, 'overflow', '2024-03-10']);
    const link = (await server.request('GET', `/nucleus/v1/bank_link/${ids.L1}`)).body;
    assert.deepEqual([link.balance, link.available_balance], [1200, 1100]);
    assert.equal((await server.request('GET', `/nucleus/v1/overflow/${created.body.id}`)).body.total_overflow_amount, 400);
    const again = await server.request('POST', '/nucleus/v1/overflow', { body: { overflow_setting_id: ids.overflow } });
    assert.equal(again.body.total_overflow_amount, 100, 'the lowered balance overflows less');
    assert.equal((await server.request('GET', `/nucleus/v1/bank_link/${ids.L1}`)).body.available_balance, 1100, 'balances kept without update_balances');
  });

  it('rounds up the period\'s purchases once and funds the account by the links\' weights', async () => {
    const body = { roundup_setting_id: ids.roundup, funding_start_date: '2024-04-01', transaction_start_date: '2024-03-01T00:00:00Z', transaction_end_date: '2024-03-31T23:59:59Z', update_transactions: true };
    const created = await server.request('POST', '/nucleus/v1/roundup', { body });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    // 4.30 rounds up by 0.70 (step 1), 10.00 by nothing, the 12.00 spent from the account by 3.00 (step 5).
    assert.equal(created.body.total_roundup_amount, 3.7);
    const fundings = await fundingsOf(created.body);
    assert.deepEqual(fundings.map((f) => [f.bank_link_id, f.amount, f.funding_type]), [[ids.L1, 2.22, 'roundup'], [ids.L2, 1.48, 'roundup']]);
    const again = await server.request('POST', '/nucleus/v1/roundup', { body });
    assert.equal(again.status, 201);
    assert.deepEqual([again.body.total_roundup_amount, again.body.funding_requests], [0, []], 'marked transactions are not rounded up twice');
  });

  it('refuses bad input naming the field', async () => {
    const missing = await server.request('POST', '/nucleus/v1/overflow', { body: { overflow_setting_id: randomUUID() } });
    assert.deepEqual([missing.status, missing.body.field], [400, 'overflow_setting_id']);
    const noSetting = await server.request('POST', '/nucleus/v1/overflow', { body: {} });
    assert.deepEqual([noSetting.status, noSetting.body.field], [400, 'overflow_setting_id']);
    const badDate = await server.request('POST', '/nucleus/v1/roundup', { body: { roundup_setting_id: ids.roundup, funding_start_date: 'soon', transaction_start_date: '2024-03-01T00:00:00Z' } });
    assert.deepEqual([badDate.status, badDate.body.field], [400, 'funding_start_date']);
    const backwards = await server.request('POST', '/nucleus/v1/roundup', {
      body: { roundup_setting_id: ids.roundup, funding_start_date: '2024-04-01', transaction_start_date: '2024-03-01T00:00:00Z', transaction_end_date: '2024-02-01T00:00:00Z' },
    });
    assert.deepEqual([backwards.status, backwards.body.field], [400, 'transaction_end_date']);
    await server.request('PUT', `/nucleus/v1/overflow_setting/${ids.bobOverflow}`, { body: { is_active: false } });
    const inactive = await server.request('POST', '/nucleus/v1/overflow', { body: { overflow_setting_id: ids.bobOverflow } });
    assert.deepEqual([inactive.status, inactive.body.code], [422, 'inactive_setting']);
    await server.request('PUT', `/nucleus/v1/overflow_setting/${ids.bobOverflow}`, { body: { is_active: true } });
  });

  it('refuses a setting whose bank link was removed behind its back', async () => {
    const gone = await post(server, 'bank_link', { client_id: ids.ann, account_id: ids.A, bank_account_holder: 'Ann', bank_account_number: '9', institution_name: 'Bank', routing: '021000021', balance: 2000 });
    const overflow = await post(server, 'overflow_setting', { client_id: ids.ann, account_id: ids.A, bank_links: [{ bank_link_id: gone, amount: 100 }] });
    const roundup = await post(server, 'roundup_setting', { client_id: ids.ann, account_id: ids.A, bank_links: [{ bank_link_id: gone, weight: 100 }], accounts: [{ account_id: ids.A, amount: 5 }] });
    // The API refuses to delete a bank link a setting names, so it goes the way only a fault or a hand in the database would.
    await server.db.query('DELETE FROM nucleus_bank_link WHERE id = $1', [gone]);
    const swept = await server.request('POST', '/nucleus/v1/overflow', { body: { overflow_setting_id: overflow } });
    assert.deepEqual([swept.status, swept.body.code], [422, 'missing_bank_link']);
    const rounded = await server.request('POST', '/nucleus/v1/roundup', { body: { roundup_setting_id: roundup, funding_start_date: '2024-04-01', transaction_start_date: '2024-03-01T00:00:00Z' } });
    assert.deepEqual([rounded.status, rounded.body.code], [422, 'missing_bank_link']);
  });

  it('lets a client sweep its own setting only, and keeps tenants apart', async () => {
    const own = await server.request('POST', '/nucleus/v1/overflow', { body: { overflow_setting_id: ids.overflow }, token: annToken });
    assert.equal(own.status, 201, JSON.stringify(own.body));
    const bobs = await server.request('POST', '/nucleus/v1/overflow', { body: { overflow_setting_id: ids.bobOverflow }, token: annToken });
    assert.deepEqual([bobs.status, bobs.body.field], [400, 'overflow_setting_id']);
    const other = await server.otherTenant();
    const foreign = await server.request('POST', '/nucleus/v1/roundup', {
      body: { roundup_setting_id: ids.roundup, funding_start_date: '2024-04-01', transaction_start_date: '2024-03-01T00:00:00Z' },
      token: other.token,
    });
    assert.deepEqual([foreign.status, foreign.body.field], [400, 'roundup_setting_id']);
    assert.equal((await server.request('POST', '/nucleus/v1/overflow', { body: { overflow_setting_id: ids.overflow }, token: null })).status, 401);
  });
});
