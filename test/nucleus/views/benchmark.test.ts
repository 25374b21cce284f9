import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { benchmarkSeries, type PriceRecord } from '../../../src/nucleus/views/benchmark.ts';
import { Decimal, cents } from '../../../src/platform/money/money.ts';

const d = (v: string | number) => new Decimal(v);
const price = (securityId: string, day: string, value: string): PriceRecord => ({ securityId, day, at: day, price: d(value) });

describe('benchmark series', () => {
  const composition = [
    { securityId: 'S1', weight: d(60) },
    { securityId: 'S2', weight: d(40) },
  ];
  const prices = [
    price('S1', '2024-01-01', '10'),
    price('S1', '2024-01-02', '11'),
    price('S1', '2024-01-03', '12'),
    price('S2', '2024-01-02', '20'),
    price('S2', '2024-01-03', '18'),
    price('S3', '2024-01-03', '999'),
  ];

  it('grows 100 from the first day every component has a price, holding the units bought', () => {
    // Jan 2: 60 buys 60/11 units of S1, 40 buys 2 units of S2.
    // Jan 3: 60/11 × 12 + 2 × 18 = 65.4545… + 36 = 101.4545… → 101.45
    const series = benchmarkSeries(composition, prices);
    assert.deepEqual(series.map((p) => [p.date, cents(p.value)]), [
      ['2024-01-02', 100],
      ['2024-01-03', 101.45],
    ]);
  });

  it('starts the 100 at the range\'s first day, using prices carried from before it', () => {
    const series = benchmarkSeries(composition, prices.filter((p) => !(p.securityId === 'S2' && p.day === '2024-01-03')), {
      range: { start: '2024-01-03' },
    });
    // S2 still counts at 20 (Jan 2) on Jan 3, so the start is 100 exactly.
    assert.deepEqual(series.map((p) => [p.date, cents(p.value)]), [['2024-01-03', 100]]);
  });

  it('keeps the last value of each period and handles empty compositions', () => {
    assert.deepEqual(benchmarkSeries(composition, prices, { sortType: 'M' }).map((p) => p.date), ['2024-01-03']);
    assert.deepEqual(benchmarkSeries([], prices), []);
    assert.deepEqual(benchmarkSeries([{ securityId: 'S1', weight: d(0) }], prices), []);
  });
});
