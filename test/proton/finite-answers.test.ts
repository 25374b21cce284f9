import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startServer, type TestServer } from '../support/server.ts';

/**
 * JSON has no infinity: an answer whose inputs push a value past a double's range says "no
 * value" (null) where its schema allows, and is refused where it does not, never a 500.
 */
describe('Proton answers carry finite numbers only', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  test('a ratio over a denominator next to zero has no value and no verdict', async () => {
    const result = await server.request('POST', '/proton/v1/business/financial_health_check', {
      body: { total_assets: 1e-300, total_liabilities: 1e10, total_equity: 1e10, total_revenue: 1e10, net_income: 1e10 },
    });
    assert.equal(result.status, 200, JSON.stringify(result.body));
    const { ratios, summary } = result.body;
    for (const name of ['return_on_assets', 'debt_ratio', 'asset_turnover']) {
      assert.deepEqual([ratios[name].value, ratios[name].meets_target], [null, null], name);
    }
    assert.equal(ratios.profit_margin.value, 1);
    assert.deepEqual(summary, { ratios_evaluated: 3, targets_met: 3 });
  });

  test('a value past the range of a number where the schema wants one is refused', async () => {
    const result = await server.request('POST', '/proton/v1/emergency_fund_calculator', {
      body: { emergency_fund_duration: 600, housing_cost: 1e307, other_expenses: { childcare: 1e307 } },
    });
    assert.equal(result.status, 400, JSON.stringify(result.body));
    assert.equal(result.body.code, 'out_of_range');
    assert.match(result.body.message, /emergency_fund_target/);
    assert.ok(result.body.request_id);
  });
});
