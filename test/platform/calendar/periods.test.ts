import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { lastPerPeriod, periodOf } from '../../../src/platform/calendar/periods.ts';

describe('periods', () => {
  it('puts each day in its month, quarter and year', () => {
    assert.equal(periodOf('2024-03-31', 'Q'), '2024-Q1');
    assert.equal(periodOf('2024-04-01', 'Q'), '2024-Q2');
    assert.equal(periodOf('2024-09-30', 'Q'), '2024-Q3');
    assert.equal(periodOf('2024-12-31', 'Q'), '2024-Q4');
    assert.equal(periodOf('2024-02-29', 'M'), '2024-02');
    assert.equal(periodOf('2024-02-29', 'Y'), '2024');
    assert.equal(periodOf('2024-02-29', 'D'), '2024-02-29');
  });

  it('keeps the last item per period, in order', () => {
    const items = ['2023-12-31', '2024-01-02', '2024-01-30', '2024-03-01'].map((date) => ({ date }));
    assert.deepEqual(lastPerPeriod(items, 'M').map((i) => i.date), ['2023-12-31', '2024-01-30', '2024-03-01']);
    assert.deepEqual(lastPerPeriod(items, 'Q').map((i) => i.date), ['2023-12-31', '2024-03-01']);
    assert.deepEqual(lastPerPeriod(items, 'Y').map((i) => i.date), ['2023-12-31', '2024-03-01']);
    assert.equal(lastPerPeriod(items, undefined), items);
  });
});
