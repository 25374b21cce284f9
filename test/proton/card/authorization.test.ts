import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startServer, type TestServer } from '../../support/server.ts';
import { windowOf } from '../../../src/proton/card/calendar-window.ts';
import { decide, type CardSpend, type SpendingControl } from '../../../src/proton/card/spending-rules.ts';
import { CardWorld, create, type Cardholder } from './card-world.ts';

const limit = (id: string, cents: number, unit: string, extra: Partial<SpendingControl> = {}): SpendingControl => ({
  id,
  type: 'spending_limit',
  scope: 'all',
  values: [],
  limit: cents,
  unit,
  frequency: 1,
  currency: 'USD',
  ...extra,
});
const purchase = (day: string, cents: number, extra: Partial<CardSpend> = {}): CardSpend => ({ day, cents, type: 'purchase', ...extra });

describe('calendar windows', () => {
  test('weeks start on Monday, months, quarters and years on their first day; a count reaches back', () => {
    // 2026-03-04 is a Wednesday.
    assert.deepEqual(windowOf('2026-03-04', 'daily'), { start: '2026-03-04', end: '2026-03-05' });
    assert.deepEqual(windowOf('2026-03-04', 'weekly'), { start: '2026-03-02', end: '2026-03-09' });
    assert.deepEqual(windowOf('2026-03-08', 'weekly'), { start: '2026-03-02', end: '2026-03-09' });
    assert.deepEqual(windowOf('2026-03-04', 'weekly', 2), { start: '2026-02-23', end: '2026-03-09' });
    assert.deepEqual(windowOf('2026-03-04', 'monthly'), { start: '2026-03-01', end: '2026-04-01' });
    assert.deepEqual(windowOf('2026-03-04', 'monthly', 3), { start: '2026-01-01', end: '2026-04-01' });
    assert.deepEqual(windowOf('2026-03-04', 'quarterly'), { start: '2026-01-01', end: '2026-04-01' });
    assert.deepEqual(windowOf('2026-12-31', 'annually'), { start: '2026-01-01', end: '2027-01-01' });
    assert.deepEqual(windowOf('2026-01-15', 'monthly', 2), { start: '2025-12-01', end: '2026-02-01' });
  });
});

describe('the decision', () => {
  const day = '2026-03-04';
  test('a daily limit counts only the day; a monthly one the month', () => {
    const earlier = [purchase('2026-03-03', 9000), purchase(day, 6000)];
    assert.deepEqual(decide({ cardActive: true, spend: purchase(day, 4000), partialAuth: false, controls: [limit('d', 10000, 'daily')], earlier }), {
      approved: true,
      cents: 4000,
      partial: false,
      controlId: null,
    });
    const over = decide({ cardActive: true, spend: purchase(day, 4001), partialAuth: false, controls: [limit('d', 10000, 'daily')], earlier });
    assert.equal(over.approved, false);
    assert.equal(!over.approved && over.reason, 'spending_limit');
    const monthly = decide({ cardActive: true, spend: purchase(day, 5001), partialAuth: true, controls: [limit('d', 10000, 'daily'), limit('m', 20000, 'monthly')], earlier });
    // The month has 150.00 spent, the day 60.00: the month leaves 50.00, the day 40.00.
    assert.deepEqual(monthly, { approved: true, cents: 4000, partial: true, controlId: 'd' });
  });

  test('lists come before limits; scopes match their field without regard to case', () => {
    const deny: SpendingControl = { ...limit('deny', 0, 'daily'), type: 'deny_list', scope: 'mcc', values: ['7995'] };
    const allow: SpendingControl = { ...limit('allow', 0, 'daily'), type: 'allow_list', scope: 'country', values: ['us', 'ca'] };
    const spend = purchase(day, 100, { mcc: '7995', country: 'US' });
    const declined = decide({ cardActive: true, spend, partialAuth: true, controls: [limit('d', 0, 'daily'), allow, deny], earlier: [] });
    assert.deepEqual(declined, { approved: false, reason: 'deny_list', controlId: 'deny', message: 'the transaction is on a deny list' });
    const abroad = decide({ cardActive: true, spend: purchase(day, 100, { country: 'FR' }), partialAuth: false, controls: [allow], earlier: [] });
    assert.equal(!abroad.approved && abroad.reason, 'allow_list');
  });

  test('a transaction limit counts transactions in scope; a one_time limit caps each amount', () => {
    const atm: SpendingControl = { ...limit('atm', 2, 'daily'), type: 'transaction_limit', scope: 'atm_withdrawal' };
    const earlier = [purchase(day, 100, { type: 'atm_withdrawal' }), purchase(day, 100), purchase(day, 100, { type: 'atm_withdrawal' })];
    const third = decide({ cardActive: true, spend: purchase(day, 100, { type: 'atm_withdrawal' }), partialAuth: false, controls: [atm], earlier });
    assert.equal(!third.approved && third.reason, 'transaction_limit');
    assert.equal(decide({ cardActive: true, spend: purchase(day, 100), partialAuth: false, controls: [atm], earlier }).approved, true);
    const cap = limit('cap', 50000, 'one_time');
    assert.equal(decide({ cardActive: true, spend: purchase(day, 50000), partialAuth: false, controls: [cap], earlier }).approved, true);
    assert.deepEqual(decide({ cardActive: true, spend: purchase(day, 50001), partialAuth: true, controls: [cap], earlier }), { approved: true, cents: 50000, partial: true, controlId: 'cap' });
  });

  test('an inactive card and a control it cannot read are refused', () => {
    assert.equal(decide({ cardActive: false, spend: purchase(day, 1), partialAuth: false, controls: [], earlier: [] }).approved, false);
    const odd = decide({ cardActive: true, spend: purchase(day, 1), partialAuth: false, controls: [{ ...limit('x', 1, 'hourly') }], earlier: [] });
    assert.equal(!odd.approved && odd.reason, 'unsupported_control');
  });
});

describe('card_authorization endpoint', () => {
  let server: TestServer;
  let world: CardWorld;
  let ann: Cardholder;
  let bob: Cardholder;
  const controls: Record<string, string> = {};
  const at = '2026-03-04T15:30:00Z';
  const request = (extra: Record<string, unknown> = {}) => ({ card_id: ann.card, amount: 10, currency_code: 'USD', date: at, transaction_type: 'purchase', ...extra });
  const authorize = (body: Record<string, unknown>, token?: string) => server.request('POST', '/proton/v1/card_authorization', { body, ...(token ? { token } : {}) });

  before(async () => {
    server = await startServer();
    world = await new CardWorld(server).setUp();
    ann = await world.cardholder({ group: ['gold'] });
    bob = await world.cardholder();
    const control = async (name: string, body: Record<string, unknown>) => {
      controls[name] = await create(server, 'spending_control', { currency_code: 'USD', ...body });
    };
    await control('daily', { client_id: ann.client, control_type: 'spending_limit', control_scope: 'all', limit_value: 100, frequency_unit: 'daily' });
    await control('weekly', { client_group: 'gold', control_type: 'spending_limit', control_scope: 'purchase', limit_value: 300, frequency_unit: 'weekly' });
    await control('casino', { control_type: 'deny_list', control_scope: 'mcc', control_values: ['7995'] });
    await control('atm', { client_id: ann.client, control_type: 'transaction_limit', control_scope: 'atm_withdrawal', limit_value: 1, frequency_unit: 'daily' });
    await control('inactive', { client_id: ann.client, control_type: 'spending_limit', control_scope: 'all', limit_value: 0, frequency_unit: 'daily', is_active: false });
    // Monday 150 and Tuesday 100 of purchases, Wednesday 60 so far; a load and a declined day of another week do not count.
    await world.spend(ann, '2026-03-02', 150);
    await world.spend(ann, '2026-03-03', 100);
    await world.spend(ann, '2026-03-04T08:00:00Z', 60);
    await world.spend(ann, '2026-03-04T09:00:00Z', 500, { code: 'load' });
    await world.spend(ann, '2026-02-27', 999);
    await world.spend(ann, '2026-03-04T10:00:00Z', 25, { code: 'atm' });
  });
  after(() => server.close());

  test('declines over the daily limit, approves what fits, and partial_auth approves the remainder', async () => {
    // Day: 60 + 25 (ATM) = 85 of 100 spent. Week of purchases: 150 + 100 + 60 = 310 of 300 already.
    const week = await authorize(request({ amount: 10 }));
    assert.equal(week.status, 200, JSON.stringify(week.body));
    assert.equal(week.body.status, 'declined');
    assert.equal(week.body.reason, 'spending_limit');
    assert.equal(week.body.spending_control_id, controls.weekly);
    // An ATM withdrawal is outside the weekly purchase limit, but the ATM count of 1 a day is used.
    const atm = await authorize(request({ amount: 10, transaction_type: 'atm_withdrawal' }));
    assert.equal(atm.body.reason, 'transaction_limit');
    assert.equal(atm.body.spending_control_id, controls.atm);
    // The next day: the daily limit is fresh, and an ATM withdrawal of 120 is cut to 100.
    const nextDay = await authorize(request({ amount: 120, transaction_type: 'atm_withdrawal', date: '2026-03-05T09:00:00Z', partial_auth: true }));
    assert.deepEqual(
      { status: nextDay.body.status, approved: nextDay.body.approved_amount, requested: nextDay.body.requested_amount, control: nextDay.body.spending_control_id },
      { status: 'partially_approved', approved: 100, requested: 120, control: controls.daily },
    );
    assert.match(nextDay.body.authorization_id, /^[0-9a-f-]{36}$/);
    // The hold of 100 now fills that day.
    const after = await authorize(request({ amount: 0.01, date: '2026-03-05T10:00:00Z' }));
    assert.equal(after.body.reason, 'spending_limit');
    assert.equal(after.body.spending_control_id, controls.daily);
  });

  test('a deny list refuses whatever the amount; a hold settled by its transaction is not counted twice', async () => {
    const casino = await authorize(request({ amount: 1, merchant_category_code: '7995', date: '2026-03-10T12:00:00Z' }));
    assert.equal(casino.body.reason, 'deny_list');
    assert.equal(casino.body.spending_control_id, controls.casino);
    const first = await authorize(request({ amount: 70, date: '2026-03-10T12:00:00Z' }));
    assert.equal(first.body.status, 'approved');
    await world.spend(ann, '2026-03-10T12:05:00Z', 70, { secondary_id: first.body.authorization_id });
    const second = await authorize(request({ amount: 30, date: '2026-03-10T13:00:00Z' }));
    assert.equal(second.body.status, 'approved', JSON.stringify(second.body));
    const third = await authorize(request({ amount: 0.01, date: '2026-03-10T14:00:00Z' }));
    assert.equal(third.body.status, 'declined');
  });

  test('transaction_status_scope leaves out transactions of other statuses', async () => {
    await world.spend(ann, '2026-03-12T08:00:00Z', 100, { status: 'reversed' });
    const all = await authorize(request({ amount: 1, date: '2026-03-12T12:00:00Z' }));
    assert.equal(all.body.status, 'declined');
    const completed = await authorize(request({ amount: 1, date: '2026-03-12T12:00:00Z', transaction_status_scope: ['completed'] }));
    assert.equal(completed.body.status, 'approved', JSON.stringify(completed.body));
  });

  test('writes an audit record when asked', async () => {
    const audited = await authorize(request({ amount: 5, date: '2026-04-01T12:00:00Z', use_audit_log: true }));
    assert.equal(audited.body.status, 'approved');
    const record = await server.request('GET', `/nucleus/v1/audit_log/${audited.body.audit_log_id}`);
    assert.equal(record.status, 200);
    assert.equal(record.body.request_url, '/proton/v1/card_authorization');
    assert.equal(JSON.parse(record.body.response).status, 'approved');
    assert.deepEqual(record.body.client_ids, [ann.client]);
    assert.match(JSON.parse(record.body.request).request_id, /\S/, 'the request it records is named');
    const plain = await authorize(request({ amount: 5, date: '2026-04-01T12:00:00Z' }));
    assert.equal(plain.body.audit_log_id, null);
  });

  test('a suspended, deactivated or expired card is declined', async () => {
    const suspended = await world.card(bob.client, bob.portfolio, { cardStatus: 'suspended' });
    const body = { card_id: suspended, amount: 1, currency_code: 'USD', date: at, transaction_type: 'purchase' };
    assert.equal((await authorize(body)).body.reason, 'inactive_card');
    await server.request('PUT', `/nucleus/v1/card/${suspended}`, { body: { status: 'active', expiry_date: '2026-03-03' } });
    assert.equal((await authorize(body)).body.reason, 'inactive_card');
    assert.equal((await authorize({ ...body, date: '2026-03-03T23:00:00Z' })).body.status, 'approved');
    await server.request('PUT', `/nucleus/v1/card/${suspended}`, { body: { is_active: false } });
    assert.equal((await authorize({ ...body, date: '2026-03-03T23:00:00Z' })).body.reason, 'inactive_card');
  });

  test('bad input is a 400 naming the field; no token is a 401', async () => {
    const { amount: _amount, ...noAmount } = request();
    const missing = await authorize(noAmount);
    assert.equal(missing.status, 400);
    assert.equal(missing.body.field, 'amount');
    const type = await authorize(request({ transaction_type: 'refund' }));
    assert.equal(type.status, 400);
    assert.equal(type.body.field, 'transaction_type');
    const anonymous = await server.request('POST', '/proton/v1/card_authorization', { body: request(), token: null });
    assert.equal(anonymous.status, 401);
  });

  test("a client login and another tenant get 404 for a card they cannot read", async () => {
    const bobToken = await world.login(bob);
    const own = await authorize({ ...request({ card_id: bob.card, amount: 1 }) }, bobToken);
    assert.equal(own.status, 200, JSON.stringify(own.body));
    assert.equal(own.body.status, 'approved');
    const foreign = await authorize(request({ amount: 1 }), bobToken);
    assert.equal(foreign.status, 404);
    const other = await server.otherTenant();
    const tenant = await authorize(request({ amount: 1 }), other.token);
    assert.equal(tenant.status, 404);
  });

  test('a card transaction recorded since the last decision of the day counts at once', async () => {
    const shopper = await world.cardholder();
    await create(server, 'spending_control', { client_id: shopper.client, currency_code: 'USD', control_type: 'spending_limit', control_scope: 'all', limit_value: 100, frequency_unit: 'daily' });
    const purchase = (amount: number, hour: number) =>
      authorize({ card_id: shopper.card, amount, currency_code: 'USD', date: `2026-06-02T${String(hour).padStart(2, '0')}:00:00Z`, transaction_type: 'purchase' });
    assert.equal((await purchase(1, 9)).body.status, 'approved');
    await world.spend(shopper, '2026-06-02T10:00:00Z', 95);
    assert.equal((await purchase(5, 11)).body.status, 'declined');
    assert.equal((await purchase(4, 11)).body.status, 'approved');
  });

  test("a client's cards share its limits, a card issued since the last decision included", async () => {
    const owner = await world.cardholder();
    await create(server, 'spending_control', { client_id: owner.client, currency_code: 'USD', control_type: 'spending_limit', control_scope: 'all', limit_value: 100, frequency_unit: 'daily' });
    const purchase = (card: string, amount: number, hour: number) =>
      authorize({ card_id: card, amount, currency_code: 'USD', date: `2026-06-01T${String(hour).padStart(2, '0')}:00:00Z`, transaction_type: 'purchase' });
    assert.equal((await purchase(owner.card, 60, 9)).body.status, 'approved');
    const second = { ...owner, portfolio: await world.portfolio(owner) };
    second.card = await world.card(owner.client, second.portfolio);
    await world.spend(second, '2026-06-01T10:00:00Z', 30);
    // 60 held and 30 spent on the new card leave 10 of the 100.
    const over = await purchase(owner.card, 20, 11);
    assert.equal(over.body.status, 'declined', JSON.stringify(over.body));
    assert.equal((await purchase(second.card, 10, 12)).body.status, 'approved');
    assert.equal((await purchase(owner.card, 0.01, 13)).body.status, 'declined');
  });

  test('concurrent purchases: exactly as many pass as the limit fits', async () => {
    const racer = await world.cardholder();
    await create(server, 'spending_control', { client_id: racer.client, currency_code: 'USD', control_type: 'spending_limit', control_scope: 'all', limit_value: 100, frequency_unit: 'daily' });
    const body = { card_id: racer.card, amount: 30, currency_code: 'USD', date: '2026-05-05T12:00:00Z', transaction_type: 'purchase' };
    const answers = await Promise.all(Array.from({ length: 12 }, () => authorize(body)));
    assert.ok(answers.every((a) => a.status === 200));
    assert.equal(answers.filter((a) => a.body.status === 'approved').length, 3);
    assert.equal(answers.filter((a) => a.body.reason === 'spending_limit').length, 9);
  });
});
