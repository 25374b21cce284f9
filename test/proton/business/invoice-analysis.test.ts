import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startServer, type TestServer } from '../../support/server.ts';
import { analyze, business, checkErrors, clientLogin, create, customer, fxRate } from './fixtures.ts';

/*
 * A business with seven receivable invoices, seen as of 2024-06-30 (days past due counted by
 * hand from the due day to 2024-06-30; 2024 is a leap year):
 *   I1 north 1000, due 05-01, 400 paid 05-15        → 600 owed,  60 days past due
 *   I2 north  500, due 05-31, unpaid                → 500 owed,  30 days past due
 *   I3 south 2000, due 02-09, unpaid                → 2000 owed, 142 days past due
 *   I4 south  800, due 03-31, paid 04-10 in full    → settled 40 days after its 03-01 invoice date
 *   I5 west   300, due 07-15, 100 paid 06-20        → 200 owed, due in 15 days
 *   I6 west   700, due 09-01, unpaid                → 700 owed, due in 63 days
 *   I7 north  250, due 04-30, paid 07-05 (after)    → 250 owed,  61 days past due
 * plus a bill, an inactive invoice and a EUR invoice that must not count unless converted.
 */
describe('business/invoice_analysis', () => {
  let server: TestServer;
  let owner: { id: string; token: string };
  let businessId: string;
  const customers: Record<string, string> = {};
  const invoices: Record<string, string> = {};
  const asOf = '2024-06-30';

  async function invoice(name: string, who: string, amount: number, invoiceDate: string, dueDate: string, extra: Record<string, unknown> = {}) {
    invoices[name] = await create(server, 'invoice', {
      business_id: businessId,
      contact_id: customers[who],
      currency_code: 'USD',
      invoice_number: name,
      invoice_date: invoiceDate,
      due_date: `${dueDate}T12:00:00Z`,
      total_amount: amount,
      ...extra,
    });
  }

  async function payment(name: string, amount: number, day: string, currency = 'USD') {
    await create(server, 'invoice_payment', { invoice_id: invoices[name], payment_amount: amount, payment_date: `${day}T09:30:00Z`, currency_code: currency });
  }

  before(async () => {
    server = await startServer();
    owner = await clientLogin(server, 'ROLE_CLIENT');
    businessId = await business(server, owner.id);
    for (const name of ['north', 'south', 'west']) customers[name] = await customer(server, businessId, `${name} Corp`);
    await invoice('I1', 'north', 1000, '2024-04-01', '2024-05-01');
    await invoice('I2', 'north', 500, '2024-05-01', '2024-05-31');
    await invoice('I3', 'south', 2000, '2024-01-10', '2024-02-09');
    await invoice('I4', 'south', 800, '2024-03-01', '2024-03-31');
    await invoice('I5', 'west', 300, '2024-06-15', '2024-07-15');
    await invoice('I6', 'west', 700, '2024-06-20', '2024-09-01');
    await invoice('I7', 'north', 250, '2024-04-15', '2024-04-30');
    await invoice('bill', 'north', 999, '2024-04-15', '2024-04-30', { is_bill: true });
    await invoice('inactive', 'north', 999, '2024-04-15', '2024-04-30', { is_active: false });
    await payment('I1', 400, '2024-05-15');
    await payment('I4', 300, '2024-04-01');
    await payment('I4', 500, '2024-04-10');
    await payment('I5', 100, '2024-06-20');
    await payment('I7', 250, '2024-07-05');
  });
  after(async () => {
    await server.close();
  });

  const request = () => ({ business_id: businessId, currency_code: 'USD', end_date: asOf });

  test('finds the planted totals, aging bands and customers', async () => {
    const result = await analyze(server, 'invoice_analysis', { ...request(), response_limit: 2, show_outstanding_invoices: true });
    assert.equal(result.status, 200, JSON.stringify(result.body));
    const body = result.body;
    assert.equal(body.currency_code, 'USD');
    assert.equal(body.analysis_start, '2024-01-10');
    assert.equal(body.analysis_end, asOf);
    assert.deepEqual(body.summary, {
      invoice_count: 7,
      total_invoiced: 5550,
      total_paid: 1300,
      total_outstanding: 4250,
      total_overdue: 3350,
      paid_count: 1,
      partially_paid_count: 2,
      unpaid_count: 4,
      overdue_count: 4,
      total_due: 900,
      average_days_to_pay: 40,
    });
    assert.deepEqual(
      body.overdue.map((b: any) => [b.start, b.end, b.invoice_count, b.amount_outstanding]),
      [
        [1, 30, 1, 500],
        [31, 60, 1, 600],
        [61, 90, 1, 250],
        [91, null, 1, 2000],
      ],
    );
    assert.deepEqual(
      body.future_due.map((b: any) => [b.start, b.end, b.invoice_count, b.amount_outstanding]),
      [
        [0, 30, 1, 200],
        [31, 60, 0, 0],
        [61, 90, 1, 700],
        [91, null, 0, 0],
      ],
    );
    assert.deepEqual(body.customers, [
      { customer_id: customers.south, invoice_count: 2, total_invoiced: 2800, total_paid: 800, total_outstanding: 2000, total_overdue: 2000 },
      { customer_id: customers.north, invoice_count: 3, total_invoiced: 1750, total_paid: 400, total_outstanding: 1350, total_overdue: 1350 },
    ]);
    assert.equal(body.history, null);
    assert.deepEqual(
      body.outstanding_invoices.map((i: any) => [i.invoice_number, i.amount_outstanding, i.days_past_due, i.status]),
      [
        ['I3', 2000, 142, 'overdue'],
        ['I7', 250, 61, 'overdue'],
        ['I1', 600, 60, 'overdue'],
        ['I2', 500, 30, 'overdue'],
        ['I5', 200, -15, 'due'],
        ['I6', 700, -63, 'due'],
      ],
    );
  });

  test('the window, a customer, named invoices and custom bands filter as they say', async () => {
    const window = await analyze(server, 'invoice_analysis', { ...request(), start_date: '2024-04-01' });
    assert.equal(window.body.summary.invoice_count, 5);
    assert.equal(window.body.summary.total_invoiced, 2750);
    const early = await analyze(server, 'invoice_analysis', { ...request(), end_date: '2024-05-20' });
    // As of 05-20: I3 (2000, 101 days late), I4 paid, I1 600 owed and due 19 days ago, I7 250 owed 20 days late, I2 not yet due.
    assert.equal(early.body.summary.invoice_count, 5);
    assert.equal(early.body.summary.total_outstanding, 2000 + 600 + 250 + 500);
    assert.equal(early.body.summary.total_overdue, 2850);
    const west = await analyze(server, 'invoice_analysis', { ...request(), customer_id: customers.west });
    assert.equal(west.body.summary.total_outstanding, 900);
    const named = await analyze(server, 'invoice_analysis', { invoice_ids: [invoices.I1, invoices.I3], end_date: asOf });
    assert.equal(named.status, 200, JSON.stringify(named.body));
    assert.equal(named.body.summary.total_outstanding, 2600);
    const bands = await analyze(server, 'invoice_analysis', { ...request(), overdue_periods: [{ start: 1, end: 60 }, { start: 61 }] });
    assert.deepEqual(
      bands.body.overdue.map((b: any) => [b.start, b.end, b.invoice_count, b.amount_outstanding]),
      [
        [1, 60, 2, 1100],
        [61, null, 2, 2250],
      ],
    );
  });

  test('the history adds up per quarter', async () => {
    const result = await analyze(server, 'invoice_analysis', { ...request(), start_date: '2024-01-01', show_history: true, history_frequency_interval: 'quarter' });
    assert.deepEqual(result.body.history, [
      { period_start: '2024-01-01', period_end: '2024-03-31', invoice_count: 2, amount_invoiced: 2800, amount_paid: 0, amount_outstanding: 2800 },
      { period_start: '2024-04-01', period_end: '2024-06-30', invoice_count: 5, amount_invoiced: 2750, amount_paid: 1300, amount_outstanding: 4250 },
    ]);
  });

  test('another currency is refused unless converted through a stored rate', async () => {
    const euros = await create(server, 'invoice', {
      business_id: businessId,
      contact_id: customers.west,
      currency_code: 'EUR',
      invoice_number: 'E1',
      invoice_date: '2024-06-01',
      due_date: '2024-06-10T00:00:00Z',
      total_amount: 1000,
    });
    const mixed = await analyze(server, 'invoice_analysis', { business_id: businessId, end_date: asOf });
    assert.equal(mixed.status, 400);
    assert.equal(mixed.body.field, 'currency_conversion');
    const noRate = await analyze(server, 'invoice_analysis', { business_id: businessId, end_date: asOf, currency_conversion: 'USD' });
    assert.equal(noRate.status, 400);
    assert.equal(noRate.body.field, 'currency_conversion');
    await fxRate(server, 'EUR', 'USD', '2024-06-01', 1.1);
    const converted = await analyze(server, 'invoice_analysis', { business_id: businessId, end_date: asOf, currency_conversion: 'USD' });
    assert.equal(converted.status, 200, JSON.stringify(converted.body));
    assert.equal(converted.body.currency_code, 'USD');
    assert.equal(converted.body.summary.total_invoiced, 5550 + 1100);
    assert.equal(converted.body.summary.total_overdue, 3350 + 1100);
    await server.request('DELETE', `/nucleus/v1/invoice/${euros}`);
  });

  test('bad input is a 400 naming the field, no token a 401', async () => {
    await checkErrors(server, 'invoice_analysis', request(), [
      { body: { end_date: asOf }, field: 'business_id' },
      { body: { ...request(), history_frequency_interval: 'fortnight' }, field: 'history_frequency_interval' },
      { body: { ...request(), overdue_periods: [] }, field: 'overdue_periods' },
      { body: { ...request(), overdue_periods: [{ start: 30, end: 10 }] }, field: 'overdue_periods[0].end' },
      { body: { ...request(), start_date: '2024-07-01' }, field: 'start_date' },
      { body: { ...request(), response_limit: 0 }, field: 'response_limit' },
      { body: { ...request(), response_limit: 'lots' }, field: 'response_limit' },
    ]);
  });

  test("a client login reads its own business's invoices, and nobody else's", async () => {
    const own = await analyze(server, 'invoice_analysis', request(), owner.token);
    assert.equal(own.status, 200, JSON.stringify(own.body));
    assert.equal(own.body.summary.total_outstanding, 4250);
    const outsider = await clientLogin(server, 'ROLE_CLIENT');
    assert.equal((await analyze(server, 'invoice_analysis', request(), outsider.token)).status, 404);
    assert.equal((await analyze(server, 'invoice_analysis', { invoice_ids: [invoices.I1] }, outsider.token)).status, 404);
    const businessOwner = await clientLogin(server, 'ROLE_BUSINESS_OWNER');
    assert.equal((await analyze(server, 'invoice_analysis', request(), businessOwner.token)).status, 404);
    const other = await server.otherTenant();
    assert.equal((await analyze(server, 'invoice_analysis', request(), other.token)).status, 404);
  });
});
