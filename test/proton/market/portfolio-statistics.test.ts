import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startServer, type TestServer } from '../../support/server.ts';
import { CalculationError } from '../../../src/proton/calculation-error.ts';
import { ApiError } from '../../../src/platform/http/api-error.ts';
import { EntityReader } from '../../../src/platform/read/entity-reader.ts';
import {
  loadAssetReturns,
  meanAndCovariance,
  portfolioStatistics,
  resolvePortfolio,
} from '../../../src/proton/market/portfolio-statistics.ts';
import { adminReader, pricesFromReturns, securityWithPrices } from './market-fixture.ts';

const ALT = [0.01, -0.01, 0.01, -0.01];

function rejectsWith(field: string) {
  return (error: unknown) => error instanceof CalculationError && error.field === field;
}

describe('market data from Nucleus prices', () => {
  let server: TestServer;
  let reader: EntityReader;
  before(async () => {
    server = await startServer();
    await securityWithPrices(server, 'ALT', pricesFromReturns(ALT));
    await securityWithPrices(server, 'DBL', pricesFromReturns(ALT.map((r) => 2 * r)));
    await securityWithPrices(server, 'WEEKS', Array.from({ length: 14 }, (_, i) => 100 + i));
    await securityWithPrices(server, 'SHORT', [100]);
    reader = await adminReader(server);
  });
  after(async () => {
    await server.close();
  });

  test('daily returns are aligned on common days and match the prices', async () => {
    const returns = await loadAssetReturns(reader, ['ALT', 'DBL'], { frequency: 'day' });
    assert.deepEqual(returns.dates, ['2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05']);
    returns.returns[0].forEach((r, t) => assert.ok(Math.abs(r - ALT[t]) < 1e-12));
    returns.returns[1].forEach((r, t) => assert.ok(Math.abs(r - 2 * ALT[t]) < 1e-12));
    const window = await loadAssetReturns(reader, ['ALT'], { frequency: 'day', start_date: '2024-01-02', end_date: '2024-01-04' });
    assert.equal(window.dates.length, 2);
  });

  test('weekly returns use the last price of each Monday-to-Sunday week', async () => {
    const returns = await loadAssetReturns(reader, ['WEEKS'], { frequency: 'week' });
    assert.deepEqual(returns.dates, ['2024-01-14']);
    assert.ok(Math.abs(returns.returns[0][0] - (113 / 106 - 1)) < 1e-12);
  });

  test('sample covariance: a series and its double', async () => {
    const { mean, covariance } = meanAndCovariance(await loadAssetReturns(reader, ['ALT', 'DBL'], { frequency: 'day' }));
    const variance = (4 * 0.0001) / 3;
    assert.ok(Math.abs(mean[0]) < 1e-15);
    assert.ok(Math.abs(covariance[0][0] - variance) < 1e-15);
    assert.ok(Math.abs(covariance[0][1] - 2 * variance) < 1e-15);
    assert.ok(Math.abs(covariance[1][1] - 4 * variance) < 1e-15);
  });

  test('portfolio statistics of stated weights, per period and annualised', async () => {
    const stats = await portfolioStatistics(reader, { portfolio_tickers: ['ALT', 'DBL'], portfolio_weights: [0.5, 0.5] }, 'day');
    const sigma = Math.sqrt((4 * 0.0001) / 3);
    assert.ok(Math.abs(stats.periodRisk - 1.5 * sigma) < 1e-12);
    assert.ok(Math.abs(stats.annualRisk - 1.5 * sigma * Math.sqrt(252)) < 1e-12);
    assert.ok(Math.abs(stats.annualMean - 252 * stats.periodMean) < 1e-15);
  });

  test('a model resolves to its latest strategic weights, by ticker', async () => {
    const model = await server.request('POST', '/nucleus/v1/model', { body: { name: 'sixty forty' } });
    const [alt, dbl] = (await server.request('GET', '/nucleus/v1/security?size=100')).body.content.filter((s: { ticker: string }) => ['ALT', 'DBL'].includes(s.ticker)).sort((a: { ticker: string }, b: { ticker: string }) => (a.ticker < b.ticker ? -1 : 1));
    for (const [security, weight, date] of [[alt, 50, '2024-01-01'], [dbl, 50, '2024-01-01'], [alt, 60, '2024-02-01'], [dbl, 40, '2024-02-01']] as const) {
      const created = await server.request('POST', '/nucleus/v1/model_holding', {
        body: { model_id: model.body.id, security_id: security.id, strategic_weight: weight, current_weight: weight, date },
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
    }
    const resolved = await resolvePortfolio(reader, { model_id: model.body.id });
    assert.deepEqual(resolved.tickers, ['ALT', 'DBL']);
    assert.ok(Math.abs(resolved.weights[0] - 0.6) < 1e-12 && Math.abs(resolved.weights[1] - 0.4) < 1e-12);
    const outsider = EntityReader.tenantWide({ db: reader.db, stores: new Map([['model', reader.store('model')]]) }, '00000000-0000-4000-8000-000000000000');
    await assert.rejects(resolvePortfolio(outsider, { model_id: model.body.id }), (e: unknown) => e instanceof ApiError && e.status === 404);
    const short = (await server.request('GET', '/nucleus/v1/security?size=100')).body.content.find((s: { ticker: string }) => s.ticker === 'SHORT');
    const unpriced = await server.request('POST', '/nucleus/v1/model', { body: { name: 'unpriced' } });
    await server.request('POST', '/nucleus/v1/model_holding', { body: { model_id: unpriced.body.id, security_id: short.id, strategic_weight: 100, current_weight: 100, date: '2024-01-01' } });
    await assert.rejects(portfolioStatistics(reader, { model_id: unpriced.body.id }, 'day'), rejectsWith('model_id'));
  });

  test('rejections name the field', async () => {
    await assert.rejects(loadAssetReturns(reader, ['ALT', 'NOPE'], { frequency: 'day', field: 'portfolio_tickers' }), rejectsWith('portfolio_tickers[1]'));
    await assert.rejects(loadAssetReturns(reader, ['ALT', 'SHORT'], { frequency: 'day' }), rejectsWith('tickers[1]'));
    await assert.rejects(loadAssetReturns(reader, ['ALT'], { frequency: 'month' }), rejectsWith('tickers[0]'));
    await assert.rejects(resolvePortfolio(reader, { portfolio_tickers: ['ALT', 'DBL'], portfolio_weights: [0.5, 0.4] }), rejectsWith('portfolio_weights'));
    await assert.rejects(resolvePortfolio(reader, { portfolio_tickers: ['ALT', 'DBL'], portfolio_weights: [1] }), rejectsWith('portfolio_weights'));
    await assert.rejects(resolvePortfolio(reader, {}), rejectsWith('portfolio_tickers'));
    await assert.rejects(portfolioStatistics(reader, { portfolio_tickers: ['ALT'], portfolio_weights: [1], market_data_source: 'integration' }, 'day'), rejectsWith('market_data_source'));
  });
});
