import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../../support/server.ts';

const RESOURCE = '/nucleus/v1/resource';

describe('reference resources: countries, states, currencies, statistics', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  it('every resource endpoint requires a bearer token', async () => {
    const paths = ['country', 'state', 'currency', 'fx_rate', 'merchant', 'merchant_category_code', 'account_category', 'transaction_category', 'statistic', 'institution'];
    for (const path of paths) {
      const response = await server.request('GET', `${RESOURCE}/${path}`, { token: null });
      assert.equal(response.status, 401, path);
    }
    assert.equal((await server.request('POST', `${RESOURCE}/fx_rate`, { token: null, body: [] })).status, 401);
  });

  it('lists the ISO 3166-1 countries', async () => {
    const { status, body } = await server.request('GET', `${RESOURCE}/country`);
    assert.equal(status, 200);
    assert.ok(body.length >= 249, `${body.length} countries`);
    assert.deepEqual(
      body.find((c: { alpha2_code: string }) => c.alpha2_code === 'AE'),
      { alpha2_code: 'AE', alpha3_code: 'ARE', country: 'United Arab Emirates', numeric_code: 784 },
    );
    assert.equal(new Set(body.map((c: { alpha3_code: string }) => c.alpha3_code)).size, body.length);
  });

  it('lists the subdivisions of the United States by default', async () => {
    const { status, body } = await server.request('GET', `${RESOURCE}/state`);
    assert.equal(status, 200);
    assert.ok(body.every((s: { country_code: string }) => s.country_code === 'US'));
    assert.deepEqual(body.find((s: { abbreviation: string }) => s.abbreviation === 'AL'), { abbreviation: 'AL', country_code: 'US', state: 'Alabama' });
    // 50 states, the District of Columbia and the six outlying areas.
    assert.equal(body.length, 57);
  });

  it('filters states by country_code, in either case', async () => {
    const { status, body } = await server.request('GET', `${RESOURCE}/state?country_code=ca`);
    assert.equal(status, 200);
    assert.equal(body.length, 13);
    assert.ok(body.some((s: { abbreviation: string; state: string }) => s.abbreviation === 'QC' && s.state === 'Quebec'));
    assert.ok(body.every((s: { country_code: string }) => s.country_code === 'CA'));
  });

  it('answers an empty list for a country without subdivisions', async () => {
    const { status, body } = await server.request('GET', `${RESOURCE}/state?country_code=AQ`);
    assert.equal(status, 200);
    assert.deepEqual(body, []);
  });

  it('refuses an unknown or malformed country_code, naming it', async () => {
    for (const code of ['ZZ', 'USA', '1']) {
      const { status, body } = await server.request('GET', `${RESOURCE}/state?country_code=${code}`);
      assert.equal(status, 400, code);
      assert.equal(body.field, 'country_code');
    }
  });

  it('lists the ISO 4217 currencies', async () => {
    const { status, body } = await server.request('GET', `${RESOURCE}/currency`);
    assert.equal(status, 200);
    assert.ok(body.length > 150);
    assert.deepEqual(body.find((c: { alphabetic_code: string }) => c.alphabetic_code === 'USD'), {
      alphabetic_code: 'USD',
      currency: 'US Dollar',
      numeric_code: '840',
    });
    assert.ok(body.every((c: { numeric_code: string }) => /^\d{3}$/.test(c.numeric_code)));
  });

  it('lists the statistics by kind', async () => {
    const { status, body } = await server.request('GET', `${RESOURCE}/statistic`);
    assert.equal(status, 200);
    assert.deepEqual(Object.keys(body), ['return', 'risk', 'risk_adjusted_return', 'benchmark', 'distribution', 'simulation']);
    const sharpe = body.risk_adjusted_return.find((s: { stat_name: string }) => s.stat_name === 'sharpe_ratio');
    assert.equal(sharpe.parameter, 'risk_free_sharpe');
    assert.equal(sharpe.type, 'point');
    const names = Object.values(body).flat().map((s) => (s as { stat_name: string }).stat_name);
    assert.equal(new Set(names).size, names.length, 'stat names are unique');
  });
});
