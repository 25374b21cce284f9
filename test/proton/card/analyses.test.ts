import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startServer, type TestServer } from '../../support/server.ts';
import { addDays } from '../../../src/proton/calendar.ts';
import { calendarPeriods, periodsAcross, rollingPeriods } from '../../../src/proton/card/analysis-periods.ts';
import { CardWorld, create, type Cardholder } from './card-world.ts';

/**
 * Ann's card, 2025-03-01 to 2026-02-28 (365 days): every day 12.50 at Grocer (Food), and on
 * the first of each month 100.00 to Landlord (Housing). Her aggregation account has two
 * debits in late February 2026 (40 Food, 60 Fun), a credit and a transfer. Bob, of the same
 * business, spends 5.00 a day in February 2026 only.
 */
const FIRST = '2025-03-01';
const DAYS = 365;
const DAILY = 12.5;
const RENT = 100;

function daysOf(first: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => addDays(first, i));
}

async function inChunks<T>(items: T[], work: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += 12) await Promise.all(items.slice(i, i + 12).map(work));
}

describe('analysis periods', () => {
  test('calendar, across a range and rolling back from a day', () => {
    assert.deepEqual(calendarPeriods('2026-02-18', 'monthly', 1, 2), [
      { start: '2025-12-01', end: '2026-01-01' },
      { start: '2026-01-01', end: '2026-02-01' },
      { start: '2026-02-01', end: '2026-02-19' },
    ]);
    assert.deepEqual(periodsAcross('2026-02-01', '2026-02-14', 'weekly', 1), [
      { start: '2026-02-01', end: '2026-02-02' },
      { start: '2026-02-02', end: '2026-02-09' },
      { start: '2026-02-09', end: '2026-02-15' },
    ]);
    assert.deepEqual(rollingPeriods('2026-03-31', 'monthly', 1, 2), [
      { start: '2026-02-01', end: '2026-03-01' },
      { start: '2026-03-01', end: '2026-04-01' },
    ]);
    assert.deepEqual(rollingPeriods('2026-02-15', 'bi-weekly', 1, 1), [{ start: '2026-02-02', end: '2026-02-16' }]);
  });
});

describe('card limit check, card, spending and budget analyses', () => {
  let server: TestServer;
  let world: CardWorld;
  let ann: Cardholder;
  let bob: Cardholder;
  let business: string;
  let annToken: string;
  const controls: Record<string, string> = {};
  const post = (path: string, body: Record<string, unknown>, token?: string | null) => server.request('POST', `/proton/v1/${path}`, { body, ...(token !== undefined ? { token } : {}) });

  before(async () => {
    server = await startServer();
    world = await new CardWorld(server).setUp();
    business = await create(server, 'business', { legal_name: 'Card Test Inc' });
    ann = await world.cardholder({ business_id: business });
    bob = await world.cardholder({ business_id: business });
    const days = daysOf(FIRST, DAYS);
    await inChunks(days, (day) => world.spend(ann, day, DAILY, { merchant: 'Grocer', category: 'Food', mcc: '5411' }));
    await inChunks(
      days.filter((d) => d.endsWith('-01')),
      (day) => world.spend(ann, `${day}T08:00:00Z`, RENT, { merchant: 'Landlord', category: 'Housing' }),
    );
    await inChunks(daysOf('2026-02-01', 28), (day) => world.spend(bob, day, 5, { merchant: 'Kiosk', category: 'Food' }));
    const aggregation = await create(server, 'aggregation_account', { account_name: 'Checking', institution_name: 'Away Bank', client_id: ann.client });
    const debit = (date: string, amount: number, category: string, extra: Record<string, unknown> = {}) =>
      create(server, 'aggregation_account_transaction', {
        aggregation_account_id: aggregation,
        currency_code: 'USD',
        transaction_date: `${date}T10:00:00.000Z`,
        bank_credit: { amount, transaction_type: 'Debit', category, merchant: category === 'Food' ? 'Market' : 'Cinema' },
        ...extra,
      });
    await debit('2026-02-20', 40, 'Food');
    await debit('2026-02-25', 60, 'Fun');
    await debit('2026-02-26', 1000, 'Food', { is_transfer: true });
    await create(server, 'aggregation_account_transaction', {
      aggregation_account_id: aggregation,
      currency_code: 'USD',
      transaction_date: '2026-02-21T10:00:00.000Z',
      bank_credit: { amount: 2000, transaction_type: 'Credit', category: 'Salary' },
    });
    const control = async (name: string, body: Record<string, unknown>) => {
      controls[name] = await create(server, 'spending_control', { client_id: ann.client, currency_code: 'USD', ...body });
    };
    await control('monthly', { control_type: 'spending_limit', control_scope: 'all', limit_value: 1000, frequency_unit: 'monthly' });
    await control('count', { control_type: 'transaction_limit', control_scope: 'all', limit_value: 5, frequency_unit: 'daily' });
    await control('grocer', { control_type: 'spending_limit', control_scope: 'merchant', control_values: ['grocer'], limit_value: 50, frequency_unit: 'weekly' });
    await control('list', { control_type: 'deny_list', control_scope: 'mcc', control_values: ['7995'] });
    annToken = await world.login(ann);
  });
  after(() => server.close());

  test('card_limit_check reports each limit window with approvals still held', async () => {
    const held = await post('card_authorization', { card_id: ann.card, amount: 20, currency_code: 'USD', date: '2026-02-18T20:00:00Z', transaction_type: 'purchase' });
    assert.equal(held.body.status, 'approved', JSON.stringify(held.body));
    const check = await post('card_limit_check', { client_id: ann.client, currency_code: 'USD', as_of_date: '2026-02-18T21:00:00Z' });
    assert.equal(check.status, 200, JSON.stringify(check.body));
    const rows = Object.fromEntries(check.body.limits.map((row: any) => [row.spending_control_id, row]));
    assert.equal(check.body.limits.length, 3);
    // February 1-18: 18 x 12.50 + 100 rent + the 20 held = 345.
    assert.deepEqual(
      { start: rows[controls.monthly].window_start, end: rows[controls.monthly].window_end, used: rows[controls.monthly].used, remaining: rows[controls.monthly].remaining },
      { start: '2026-02-01', end: '2026-02-28', used: 345, remaining: 655 },
    );
    // The 18th: one purchase at Grocer and the held approval.
    assert.deepEqual([rows[controls.count].used, rows[controls.count].remaining, rows[controls.count].limit_value], [2, 3, 5]);
    // Monday 16th to Wednesday 18th at Grocer: 3 x 12.50 (the held approval names no merchant).
    assert.deepEqual([rows[controls.grocer].window_start, rows[controls.grocer].used, rows[controls.grocer].remaining, rows[controls.grocer].is_exceeded], ['2026-02-16', 37.5, 12.5, false]);
    const completed = await post('card_limit_check', { client_id: ann.client, currency_code: 'USD', as_of_date: '2026-02-18T21:00:00Z', transaction_status_scope: ['completed'] });
    assert.equal(completed.body.limits.find((r: any) => r.spending_control_id === controls.monthly).used, 325);
  });

  test('spending_analysis: a year by month, merchant and category, per scope', async () => {
    const request = { client_ids: [ann.client], frequency_unit: 'monthly', as_of_date: '2026-02-28', lookback_periods: 11, scope: 'cards', show_by_period: true, show_by_merchant: true, show_by_category: true };
    const cards = await post('spending_analysis', request);
    assert.equal(cards.status, 200, JSON.stringify(cards.body));
    const total = DAYS * DAILY + 12 * RENT;
    assert.equal(cards.body.total_spending, total);
    assert.equal(cards.body.transactions, DAYS + 12);
    assert.equal(cards.body.periods, 12);
    assert.equal(cards.body.analysis_start, '2025-03-01');
    assert.equal(cards.body.average_period_spending, Math.round((total / 12) * 100) / 100);
    assert.deepEqual(cards.body.by_period[0], { period_start: '2025-03-01', period_end: '2025-03-31', spending: 31 * DAILY + RENT, transactions: 32 });
    assert.deepEqual(cards.body.by_period[11], { period_start: '2026-02-01', period_end: '2026-02-28', spending: 28 * DAILY + RENT, transactions: 29 });
    assert.deepEqual(cards.body.by_merchant, [
      { merchant_id: null, merchant: 'Grocer', spending: DAYS * DAILY, transactions: DAYS, share: (DAYS * DAILY) / total },
      { merchant_id: null, merchant: 'Landlord', spending: 12 * RENT, transactions: 12, share: (12 * RENT) / total },
    ]);
    assert.deepEqual(
      cards.body.by_category.map((row: any) => [row.category, row.spending]),
      [
        ['Food', DAYS * DAILY],
        ['Housing', 12 * RENT],
      ],
    );
    const all = await post('spending_analysis', { ...request, scope: 'all', show_by_merchant: false });
    assert.equal(all.body.total_spending, total + 100);
    assert.equal(all.body.by_merchant, null);
    const external = await post('spending_analysis', { ...request, scope: 'external' });
    assert.equal(external.body.total_spending, 100);
    const pending = await post('spending_analysis', { ...request, transaction_status_scope: ['pending'] });
    assert.equal(pending.body.total_spending, 0);
  });

  test('spending_analysis: weeks across a range, a business, and a currency filter', async () => {
    const weeks = await post('spending_analysis', {
      client_ids: [ann.client],
      frequency_unit: 'weekly',
      start_date: '2026-02-01',
      end_date: '2026-02-14',
      scope: 'cards',
      show_by_period: true,
    });
    assert.equal(weeks.status, 200, JSON.stringify(weeks.body));
    // 2026-02-01 is a Sunday: that day alone, then two Monday weeks, the second cut at the 14th.
    assert.deepEqual(
      weeks.body.by_period.map((row: any) => [row.period_start, row.period_end, row.spending]),
      [
        ['2026-02-01', '2026-02-01', DAILY + RENT],
        ['2026-02-02', '2026-02-08', 7 * DAILY],
        ['2026-02-09', '2026-02-14', 6 * DAILY],
      ],
    );
    const business_ = await post('spending_analysis', { business_ids: [business], frequency_unit: 'monthly', as_of_date: '2026-02-28', scope: 'cards' });
    assert.equal(business_.body.total_spending, 28 * DAILY + RENT + 28 * 5);
    const euros = await post('spending_analysis', { client_ids: [ann.client], frequency_unit: 'monthly', as_of_date: '2026-02-28', currency_code: 'EUR' });
    assert.equal(euros.body.total_spending, 0);
    assert.equal(euros.body.currency_code, 'EUR');
  });

  test('card_analysis: history by quarter and the top cardholders of a business', async () => {
    const quarters = await post('card_analysis', {
      client_id: ann.client,
      start_date: FIRST,
      end_date: '2026-02-28',
      show_history: true,
      history_frequency_interval: 'quarter',
      show_top_cards: true,
    });
    assert.equal(quarters.status, 200, JSON.stringify(quarters.body));
    assert.deepEqual(
      quarters.body.history.map((row: any) => [row.period_start, row.period_end, row.spending]),
      [
        ['2025-03-01', '2025-03-31', 31 * DAILY + RENT],
        ['2025-04-01', '2025-06-30', 91 * DAILY + 3 * RENT],
        ['2025-07-01', '2025-09-30', 92 * DAILY + 3 * RENT],
        ['2025-10-01', '2025-12-31', 92 * DAILY + 3 * RENT],
        ['2026-01-01', '2026-02-28', 59 * DAILY + 2 * RENT],
      ],
    );
    assert.equal(quarters.body.total_spending, DAYS * DAILY + 12 * RENT);
    assert.equal(quarters.body.cards, 1);
    assert.deepEqual(quarters.body.top_cards, [{ card_id: ann.card, client_id: ann.client, spending: DAYS * DAILY + 12 * RENT, transactions: DAYS + 12 }]);
    const february = await post('card_analysis', { business_id: business, start_date: '2026-02-01', end_date: '2026-02-28', show_top_cardholders: true, show_top_businesses: true, response_limit: 1 });
    assert.equal(february.status, 200, JSON.stringify(february.body));
    assert.equal(february.body.cards, 2);
    assert.equal(february.body.cardholders, 2);
    assert.equal(february.body.transactions, 29 + 28);
    assert.equal(february.body.average_transaction, Math.round(((28 * DAILY + RENT + 28 * 5) / 57) * 100) / 100);
    assert.deepEqual(february.body.top_cardholders, [{ client_id: ann.client, spending: 28 * DAILY + RENT, transactions: 29 }]);
    assert.deepEqual(february.body.top_businesses, [{ business_id: business, spending: 28 * DAILY + RENT + 28 * 5, transactions: 57 }]);
    assert.equal(february.body.history, null);
  });

  test('budget_calculator: calendar months and a rolling month, from details and from a stored budget', async () => {
    const details = { client_id: ann.client, frequency_unit: 'monthly', currency_code: 'USD', budget: [{ category: 'Food', value: 400 }, { category: 'Housing', value: 100 }] };
    const calendar = await post('budget_calculator', { budget_details: details, as_of_date: '2026-02-28', lookback_periods: 2, relative_lookback: false, show_average_spend: true });
    assert.equal(calendar.status, 200, JSON.stringify(calendar.body));
    const [january, february] = calendar.body.budget_track;
    assert.deepEqual([january.period_start, january.period_end, january.spending, january.remaining, january.other_spending], ['2026-01-01', '2026-01-31', 31 * DAILY + RENT, 500 - 31 * DAILY - RENT, 0]);
    // February: card food 350, the aggregation account's food 40, rent 100; the cinema 60 is in no budgeted category.
    assert.deepEqual(february.categories[0], { category: 'Food', subcategory: null, budget: 400, spending: 390, remaining: 10, is_over_budget: false });
    assert.deepEqual([february.spending, february.other_spending, february.is_over_budget], [490, 60, false]);
    assert.deepEqual(calendar.body.current, february);
    assert.deepEqual(calendar.body.average_spend, [
      { category: 'Food', subcategory: null, average_spending: (31 * DAILY + 390) / 2 },
      { category: 'Housing', subcategory: null, average_spending: RENT },
    ]);
    const internal = await post('budget_calculator', { budget_details: details, as_of_date: '2026-02-28', relative_lookback: false, scope: 'internal', show_budget_track: false });
    assert.equal(internal.body.current.categories[0].spending, 350);
    assert.equal(internal.body.budget_track, null);
    const budget = await create(server, 'budget', { client_id: ann.client, name: 'Groceries', currency_code: 'USD', frequency_unit: 'monthly', card_id: ann.card, budget: [{ category: 'Food', value: 300 }] });
    const rolling = await post('budget_calculator', { budget_id: budget, as_of_date: '2026-02-15' });
    assert.equal(rolling.status, 200, JSON.stringify(rolling.body));
    // 2026-01-16 to 2026-02-15: 31 days of food on the card, over the 300 budgeted.
    assert.deepEqual([rolling.body.current.period_start, rolling.body.current.spending, rolling.body.current.remaining, rolling.body.current.is_over_budget], ['2026-01-16', 31 * DAILY, 300 - 31 * DAILY, true]);
  });

  test('currency_conversion converts on each day\'s stored rate; limits convert to their own currency', async () => {
    const rates = await server.request('POST', '/nucleus/v1/resource/fx_rate', {
      body: [
        { currency_code_from: 'EUR', currency_code_to: 'USD', date: '2020-01-01T00:00:00Z', exchange_rate: 1.1 },
        { currency_code_from: 'EUR', currency_code_to: 'USD', date: '2026-02-10T00:00:00Z', exchange_rate: 1.25 },
      ],
    });
    assert.ok(rates.status === 200 || rates.status === 201, JSON.stringify(rates.body));
    const carol = await world.cardholder({ currency: 'EUR' });
    await world.spend(carol, '2026-02-05', 100, { currency: 'EUR' });
    await world.spend(carol, '2026-02-15T08:00:00Z', 20, { currency: 'EUR' });
    const request = { client_ids: [carol.client], frequency_unit: 'monthly', as_of_date: '2026-02-28' };
    // 100 EUR at 1.1 and 20 EUR at 1.25.
    assert.equal((await post('spending_analysis', { ...request, currency_conversion: 'USD' })).body.total_spending, 135);
    assert.equal((await post('spending_analysis', { ...request, currency_code: 'EUR' })).body.total_spending, 120);
    await create(server, 'spending_control', { client_id: carol.client, currency_code: 'USD', control_type: 'spending_limit', control_scope: 'all', limit_value: 100, frequency_unit: 'daily' });
    const card = { card_id: carol.card, currency_code: 'EUR', date: '2026-02-15T12:00:00Z', transaction_type: 'purchase' };
    // The day has 25 USD spent: 60 EUR (75 USD) fits the 100 USD limit, 60.01 EUR does not.
    assert.equal((await post('card_authorization', { ...card, amount: 60.01 })).body.reason, 'spending_limit');
    assert.equal((await post('card_authorization', { ...card, amount: 60 })).body.status, 'approved');
    const pounds = await post('card_authorization', { ...card, amount: 1, currency_code: 'GBP' });
    assert.equal(pounds.status, 400);
    assert.equal(pounds.body.field, 'currency_code');
  });

  test('spending_analysis: a household, only its active clients, and cards by status', async () => {
    const household = await create(server, 'household', { name: 'Both', members: [{ client_id: ann.client }, { client_id: bob.client }] });
    const request = { household_ids: [household], frequency_unit: 'monthly', as_of_date: '2026-02-28', scope: 'cards' };
    assert.equal((await post('spending_analysis', request)).body.total_spending, 28 * DAILY + RENT + 28 * 5);
    assert.equal((await post('spending_analysis', { ...request, card_status_scope: ['active'] })).body.total_spending, 0);
    const inactive = await server.request('PUT', `/nucleus/v1/client/${bob.client}`, { body: { is_active: false } });
    assert.equal(inactive.status, 200, JSON.stringify(inactive.body));
    try {
      assert.equal((await post('spending_analysis', { ...request, only_active_clients: true })).body.total_spending, 28 * DAILY + RENT);
    } finally {
      await server.request('PUT', `/nucleus/v1/client/${bob.client}`, { body: { is_active: true } });
    }
  });

  test('bad input is a 400 naming the field; no token is a 401', async () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['card_limit_check', { currency_code: 'USD' }, 'client_id'],
      ['spending_analysis', { client_ids: [ann.client] }, 'frequency_unit'],
      ['spending_analysis', { frequency_unit: 'monthly' }, 'client_ids'],
      ['card_analysis', { client_id: ann.client, response_limit: 0 }, 'response_limit'],
      ['card_analysis', {}, 'client_id'],
      ['budget_calculator', { lookback_periods: 0, budget_details: { frequency_unit: 'monthly' } }, 'lookback_periods'],
      ['budget_calculator', {}, 'budget_id'],
    ];
    for (const [path, body, field] of cases) {
      const bad = await post(path, body);
      assert.equal(bad.status, 400, `${path} ${JSON.stringify(bad.body)}`);
      assert.equal(bad.body.field, field, `${path} ${JSON.stringify(bad.body)}`);
    }
    for (const path of ['card_limit_check', 'spending_analysis', 'card_analysis', 'budget_calculator']) {
      assert.equal((await post(path, {}, null)).status, 401, path);
    }
  });

  test("a client login reads its own figures and gets 404 for another client's; so does another tenant", async () => {
    const own = await post('spending_analysis', { client_ids: [ann.client], frequency_unit: 'monthly', as_of_date: '2026-02-28', scope: 'cards' }, annToken);
    assert.equal(own.status, 200, JSON.stringify(own.body));
    assert.equal(own.body.total_spending, 28 * DAILY + RENT);
    const bobBudget = await create(server, 'budget', { client_id: bob.client, name: 'Bob', currency_code: 'USD', frequency_unit: 'monthly', budget: [{ category: 'Food', value: 1 }] });
    const other = await server.otherTenant();
    const foreign: [string, Record<string, unknown>][] = [
      ['card_limit_check', { client_id: bob.client, currency_code: 'USD' }],
      ['spending_analysis', { client_ids: [bob.client], frequency_unit: 'monthly' }],
      ['spending_analysis', { card_ids: [bob.card], frequency_unit: 'monthly' }],
      ['card_analysis', { client_id: bob.client }],
      ['budget_calculator', { budget_id: bobBudget }],
    ];
    for (const [path, body] of foreign) {
      assert.equal((await post(path, body, annToken)).status, 404, `${path} as Ann`);
      assert.equal((await post(path, body, other.token)).status, 404, `${path} as another tenant`);
    }
  });
});
