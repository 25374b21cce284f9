import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startServer, type TestServer } from '../../support/server.ts';
import { analyze, business, checkErrors, clientLogin, create, customer, fxRate } from './fixtures.ts';

/*
 * Revenue planted for the first half of 2024 (the window) and of 2023 (the benchmark):
 *   alpha 2000 + 3000 = 5000   (2023: 4000)
 *   beta  3000                 (2023: 3000), plus EUR 500 on 2024-03-01
 *   gamma 1000                 (2023: 2000)
 *   delta 1000, inactive       (2023: none)
 * Shares 0.5 / 0.3 / 0.1 / 0.1, Herfindahl 0.25 + 0.09 + 0.01 + 0.01 = 0.36.
 */
describe('business/customer_analysis', () => {
  let server: TestServer;
  let owner: { id: string; token: string };
  let businessId: string;
  const ids: Record<string, string> = {};

  async function revenue(who: string, date: string, amount: number, currency = 'USD') {
    await create(server, 'customer_revenue', { contact_id: ids[who], date, revenue: amount, currency_code: currency, accounting_method: 'accrual' });
  }

  before(async () => {
    server = await startServer();
    owner = await clientLogin(server, 'ROLE_BUSINESS_OWNER');
    businessId = await business(server, owner.id, 'Beta Bakery Inc');
    ids.alpha = await customer(server, businessId, 'Alpha');
    ids.beta = await customer(server, businessId, 'Beta');
    ids.gamma = await customer(server, businessId, 'Gamma');
    ids.delta = await customer(server, businessId, 'Delta', { is_active: false });
    ids.supplier = await customer(server, businessId, 'Flour Supplier', { is_customer: false, is_supplier: true });
    await revenue('alpha', '2024-02-01', 2000);
    await revenue('alpha', '2024-05-15', 3000);
    await revenue('alpha', '2023-03-01', 4000);
    await revenue('alpha', '2023-09-01', 7777);
    await revenue('beta', '2024-04-01', 3000);
    await revenue('beta', '2023-04-01', 3000);
    await revenue('beta', '2024-03-01', 500, 'EUR');
    await revenue('gamma', '2024-06-30', 1000);
    await revenue('gamma', '2023-06-30', 2000);
    await revenue('delta', '2024-01-01', 1000);
    await revenue('supplier', '2024-01-01', 9999);
  });
  after(async () => {
    await server.close();
  });

  const request = () => ({ business_id: businessId, currency_code: 'USD', start_date: '2024-01-01', end_date: '2024-06-30' });
  const benchmark = { benchmark_start_date: '2023-01-01', benchmark_end_date: '2023-06-30' };

  test('revenue per customer, its concentration and its change', async () => {
    const result = await analyze(server, 'customer_analysis', { ...request(), ...benchmark, response_limit: 2 });
    assert.equal(result.status, 200, JSON.stringify(result.body));
    const { summary, customers } = result.body;
    assert.equal(result.body.currency_code, 'USD');
    assert.equal(summary.customer_count, 4);
    assert.equal(summary.paying_customer_count, 4);
    assert.equal(summary.total_revenue, 10000);
    assert.equal(summary.average_revenue, 2500);
    assert.equal(summary.top_customer_share, 0.5);
    assert.equal(summary.top_five_share, 1);
    assert.ok(Math.abs(summary.herfindahl_index - 0.36) < 1e-12);
    assert.equal(summary.benchmark_total_revenue, 9000);
    assert.equal(summary.revenue_change, 1000);
    assert.ok(Math.abs(summary.revenue_growth - 1 / 9) < 1e-12);
    assert.deepEqual(customers, [
      { customer_id: ids.alpha, company_name: 'Alpha', is_active: true, revenue: 5000, share: 0.5, benchmark_revenue: 4000, revenue_change: 1000, revenue_growth: 0.25 },
      { customer_id: ids.beta, company_name: 'Beta', is_active: true, revenue: 3000, share: 0.3, benchmark_revenue: 3000, revenue_change: 0, revenue_growth: 0 },
    ]);
  });

  test('active customers only, named customers, and no benchmark', async () => {
    const active = await analyze(server, 'customer_analysis', { ...request(), only_active_customers: true });
    assert.equal(active.body.summary.customer_count, 3);
    assert.equal(active.body.summary.total_revenue, 9000);
    assert.ok(Math.abs(active.body.summary.herfindahl_index - 35 / 81) < 1e-12);
    assert.equal(active.body.summary.benchmark_total_revenue, null);
    assert.equal(active.body.customers[0].revenue_growth, null);
    const named = await analyze(server, 'customer_analysis', { customer_ids: [ids.gamma, ids.delta], currency_code: 'USD', start_date: '2024-01-01', end_date: '2024-06-30', ...benchmark });
    assert.equal(named.status, 200, JSON.stringify(named.body));
    assert.deepEqual(
      named.body.customers.map((c: any) => [c.company_name, c.revenue, c.benchmark_revenue, c.revenue_change, c.revenue_growth]),
      [
        ['Delta', 1000, 0, 1000, null],
        ['Gamma', 1000, 2000, -1000, -0.5],
      ],
    );
    const open = await analyze(server, 'customer_analysis', { business_id: businessId, currency_code: 'USD', end_date: '2024-06-30' });
    assert.equal(open.body.summary.total_revenue, 10000 + 9000 + 7777);
  });

  test('revenue in another currency is converted at the rate of its day', async () => {
    const mixed = await analyze(server, 'customer_analysis', { business_id: businessId, start_date: '2024-01-01', end_date: '2024-06-30' });
    assert.equal(mixed.status, 400);
    assert.equal(mixed.body.field, 'currency_conversion');
    await fxRate(server, 'EUR', 'USD', '2024-01-01', 1.1);
    await fxRate(server, 'EUR', 'USD', '2024-03-01', 1.2);
    await fxRate(server, 'EUR', 'USD', '2024-06-01', 1.3);
    const converted = await analyze(server, 'customer_analysis', { business_id: businessId, currency_conversion: 'USD', start_date: '2024-01-01', end_date: '2024-06-30' });
    assert.equal(converted.status, 200, JSON.stringify(converted.body));
    assert.equal(converted.body.summary.total_revenue, 10600);
    assert.equal(converted.body.customers.find((c: any) => c.company_name === 'Beta').revenue, 3600);
  });

  test('bad input is a 400 naming the field, no token a 401', async () => {
    await checkErrors(server, 'customer_analysis', request(), [
      { body: { end_date: '2024-06-30' }, field: 'business_id' },
      { body: { ...request(), benchmark_start_date: '2023-01-01' }, field: 'benchmark_end_date' },
      { body: { ...request(), benchmark_end_date: '2023-01-01' }, field: 'benchmark_start_date' },
      { body: { ...request(), benchmark_start_date: '2023-12-01', benchmark_end_date: '2023-01-01' }, field: 'benchmark_start_date' },
      { body: { ...request(), customer_ids: [] }, field: 'customer_ids' },
      { body: { ...request(), end_date: 'yesterday' }, field: 'end_date' },
    ]);
  });

  test("a business owner reads its own customers, and nobody else's", async () => {
    const own = await analyze(server, 'customer_analysis', request(), owner.token);
    assert.equal(own.status, 200, JSON.stringify(own.body));
    assert.equal(own.body.summary.total_revenue, 10000);
    const stranger = await clientLogin(server, 'ROLE_BUSINESS_OWNER');
    assert.equal((await analyze(server, 'customer_analysis', request(), stranger.token)).status, 404);
    assert.equal((await analyze(server, 'customer_analysis', { customer_ids: [ids.alpha] }, stranger.token)).status, 404);
    const client = await clientLogin(server, 'ROLE_CLIENT');
    assert.equal((await analyze(server, 'customer_analysis', request(), client.token)).status, 404);
    const other = await server.otherTenant();
    assert.equal((await analyze(server, 'customer_analysis', request(), other.token)).status, 404);
  });
});
