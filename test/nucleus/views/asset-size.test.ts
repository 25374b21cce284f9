import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assetSizeSeries, type AssetSizeRecord } from '../../../src/nucleus/views/asset-size.ts';
import { Converter, RateTable } from '../../../src/platform/money/fx.ts';
import { Decimal, cents } from '../../../src/platform/money/money.ts';
import { ApiError } from '../../../src/platform/http/api-error.ts';

const d = (v: string | number) => new Decimal(v);

function record(source: string, day: string, value: string, cashFlow = '0', extra: Partial<AssetSizeRecord> = {}): AssetSizeRecord {
  return { source, day, at: `${day}T12:00:00Z`, value: d(value), cashFlow: d(cashFlow), ...extra };
}

/** The series as plain numbers, for comparing with figures worked out by hand. */
function plain(points: ReturnType<typeof assetSizeSeries>) {
  return points.map((p) => ({ date: p.date, value: cents(p.value), cash_flow: cents(p.cashFlow), additions: cents(p.additions) }));
}

// A: 100.10 on Jan 1 (deposited), 105.25 on Jan 3. B: 50.05 on Jan 2 (deposited), 49.95 on Jan 3.
const twoPortfolios = [
  record('A', '2024-01-01', '100.10', '100.10'),
  record('A', '2024-01-03', '105.25'),
  record('B', '2024-01-02', '50.05', '50.05'),
  record('B', '2024-01-03', '49.95'),
];

describe('asset size series', () => {
  it('sums per day and carries a missing day forward', () => {
    assert.deepEqual(plain(assetSizeSeries(twoPortfolios)), [
      { date: '2024-01-01', value: 100.1, cash_flow: 100.1, additions: 100.1 },
      // A has no record on Jan 2: its 100.10 of Jan 1 still counts.
      { date: '2024-01-02', value: 150.15, cash_flow: 50.05, additions: 150.15 },
      { date: '2024-01-03', value: 155.2, cash_flow: 0, additions: 150.15 },
    ]);
  });

  it('carries values from before the range in, but not their cash flows', () => {
    assert.deepEqual(plain(assetSizeSeries(twoPortfolios, { range: { start: '2024-01-02' } })), [
      { date: '2024-01-02', value: 150.15, cash_flow: 50.05, additions: 50.05 },
      { date: '2024-01-03', value: 155.2, cash_flow: 0, additions: 50.05 },
    ]);
    assert.deepEqual(plain(assetSizeSeries(twoPortfolios, { range: { end: '2024-01-02' } })).map((p) => p.date), ['2024-01-01', '2024-01-02']);
  });

  it('sums exactly, with no binary rounding', () => {
    const [point] = assetSizeSeries([record('A', '2024-01-01', '0.1'), record('B', '2024-01-01', '0.2')]);
    assert.equal(point.value.toString(), '0.3');
    assert.equal(cents(point.value), 0.3);
    // Ten thousand cents add up to exactly 100, which repeated float addition does not.
    const many = Array.from({ length: 10000 }, (_, i) => record(`P${i}`, '2024-01-01', '0.01'));
    assert.equal(assetSizeSeries(many)[0].value.toString(), '100');
  });

  it('keeps the last record of a day and adds up that day\'s cash flows', () => {
    const series = assetSizeSeries([
      { ...record('A', '2024-01-01', '10', '10'), at: '2024-01-01T09:00:00Z' },
      { ...record('A', '2024-01-01', '25', '15'), at: '2024-01-01T17:00:00Z' },
    ]);
    assert.deepEqual(plain(series), [{ date: '2024-01-01', value: 25, cash_flow: 25, additions: 25 }]);
  });

  it('keeps the last value of each month, quarter and year, adding up their cash flows', () => {
    const records = [
      record('A', '2024-01-15', '10', '10'),
      record('A', '2024-01-31', '11', '1'),
      record('A', '2024-02-10', '12', '1'),
      record('A', '2024-04-01', '20', '5'),
    ];
    assert.deepEqual(plain(assetSizeSeries(records, { sortType: 'M' })), [
      { date: '2024-01-31', value: 11, cash_flow: 11, additions: 11 },
      { date: '2024-02-10', value: 12, cash_flow: 1, additions: 12 },
      { date: '2024-04-01', value: 20, cash_flow: 5, additions: 17 },
    ]);
    assert.deepEqual(plain(assetSizeSeries(records, { sortType: 'Q' })), [
      { date: '2024-02-10', value: 12, cash_flow: 12, additions: 12 },
      { date: '2024-04-01', value: 20, cash_flow: 5, additions: 17 },
    ]);
    assert.deepEqual(plain(assetSizeSeries(records, { sortType: 'Y' })), [{ date: '2024-04-01', value: 20, cash_flow: 17, additions: 17 }]);
    assert.equal(assetSizeSeries(records, { sortType: 'D' }).length, 4);
  });

  it('returns only the last point when asked for the latest', () => {
    assert.deepEqual(plain(assetSizeSeries(twoPortfolios, { latestOnly: true })), [
      { date: '2024-01-03', value: 155.2, cash_flow: 0, additions: 150.15 },
    ]);
    assert.deepEqual(assetSizeSeries([], { latestOnly: true }), []);
  });

  it('counts each source at its share', () => {
    const shares = new Map([['A', d('0.25')]]);
    assert.deepEqual(plain(assetSizeSeries(twoPortfolios, { shares })).map((p) => p.value), [25.03, 75.08, 76.26]);
    // 100.10 × 0.25 = 25.025 → 25.03; + 50.05 = 75.075 → 75.08; 105.25 × 0.25 + 49.95 = 76.2625 → 76.26
  });

  it('sums available and pending values only where recorded', () => {
    const series = assetSizeSeries([
      record('A', '2024-01-01', '100', '0', { available: d('90'), pending: d('10') }),
      record('B', '2024-01-01', '50'),
    ]);
    assert.equal(series[0].available?.toString(), '90');
    assert.equal(series[0].pending?.toString(), '10');
    assert.equal(assetSizeSeries([record('B', '2024-01-01', '50')])[0].available, undefined);
  });

  describe('currency conversion', () => {
    const rates = new RateTable([
      { from: 'EUR', to: 'USD', day: '2024-01-01', rate: d('1.10') },
      { from: 'EUR', to: 'USD', day: '2024-01-03', rate: d('1.20') },
    ]);
    const mixed = [
      record('A', '2024-01-01', '100', '100', { currency: 'EUR' }),
      record('B', '2024-01-02', '50', '50', { currency: 'USD' }),
      record('B', '2024-01-03', '50', '0', { currency: 'USD' }),
    ];

    it('converts each value at the rate of the day it is reported for', () => {
      assert.deepEqual(plain(assetSizeSeries(mixed, { converter: new Converter('USD', rates) })), [
        { date: '2024-01-01', value: 110, cash_flow: 110, additions: 110 },
        { date: '2024-01-02', value: 160, cash_flow: 50, additions: 160 },
        // A's 100 EUR carried to Jan 3 is worth 120 USD at that day's rate.
        { date: '2024-01-03', value: 170, cash_flow: 0, additions: 160 },
      ]);
    });

    it('refuses with 400 naming currency_conversion when a rate is missing', () => {
      const late = new RateTable([{ from: 'EUR', to: 'USD', day: '2024-01-02', rate: d('1.1') }]);
      assert.throws(
        () => assetSizeSeries(mixed, { converter: new Converter('USD', late) }),
        (error: unknown) => error instanceof ApiError && error.status === 400 && error.field === 'currency_conversion' && /EUR to USD on or before 2024-01-01/.test(error.message),
      );
    });
  });
});
