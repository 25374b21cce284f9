import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Decimal } from '../../../src/proton/money.ts';
import { addMonths, daysBetween, monthEnd } from '../../../src/proton/calendar.ts';
import { findRecurring, median, type Payment } from '../../../src/proton/wellness/recurring.ts';

const pay = (id: string, day: string, amount: number, label = 'Utility Co'): Payment => ({ id, day, amount: new Decimal(amount), label });
const tolerances = { days: 3, amount: 0.05 };

describe('calendar', () => {
  test('a month later keeps the day, or the last day of a shorter month', () => {
    assert.equal(addMonths('2025-01-31', 1), '2025-02-28');
    assert.equal(addMonths('2024-01-31', 1), '2024-02-29');
    assert.equal(addMonths('2025-11-15', 3), '2026-02-15');
    assert.equal(addMonths('2025-03-31', -1), '2025-02-28');
    assert.equal(monthEnd('2025-04-10'), '2025-04-30');
    assert.equal(daysBetween('2024-12-30', '2025-01-02'), 3);
  });
});

describe('recurring detection', () => {
  test('a bill due on the 31st follows the short months', () => {
    const series = findRecurring([pay('a', '2025-01-31', 80), pay('b', '2025-02-28', 80), pay('c', '2025-03-31', 80), pay('d', '2025-04-30', 80)], tolerances);
    assert.equal(series.length, 1);
    assert.equal(series[0].recurrence.frequency, 'monthly');
    assert.equal(series[0].nextExpected, '2025-05-30');
  });

  test('a yearly fee needs two years; labels compare without case or spacing', () => {
    assert.equal(findRecurring([pay('a', '2024-03-01', 99, 'Cloud  Storage'), pay('b', '2025-03-02', 99, 'cloud storage')], tolerances)[0].recurrence.frequency, 'yearly');
    assert.equal(findRecurring([pay('a', '2025-03-01', 99)], tolerances).length, 0);
  });

  test('two subscriptions of one merchant at different prices are two series', () => {
    const months = ['2025-01-10', '2025-02-10', '2025-03-10'];
    const series = findRecurring([...months.map((d, i) => pay(`s${i}`, d, 0.99, 'App Store')), ...months.map((d, i) => pay(`l${i}`, d, 9.99, 'App Store'))], tolerances);
    assert.deepEqual(series.map((s) => s.typicalAmount.toNumber()).sort(), [0.99, 9.99]);
  });

  test('amounts beyond the tolerance and days beyond it break a series', () => {
    assert.equal(findRecurring([pay('a', '2025-01-10', 50), pay('b', '2025-02-10', 60), pay('c', '2025-03-10', 50)], tolerances).length, 0);
    assert.equal(findRecurring([pay('a', '2025-01-10', 50), pay('b', '2025-02-15', 50), pay('c', '2025-03-10', 50)], tolerances).length, 0);
    assert.equal(findRecurring([pay('a', '2025-01-10', 50), pay('b', '2025-02-13', 50), pay('c', '2025-03-13', 50)], tolerances).length, 1);
  });

  test('like payments between a series\' own make it no series', () => {
    const monthly = ['2025-01-05', '2025-02-12', '2025-03-20', '2025-04-05', '2025-05-28', '2025-06-15', '2025-07-05', '2025-08-22', '2025-09-09', '2025-10-05'];
    // Every third is exactly quarterly, but the ones between are like them: no pattern.
    assert.equal(findRecurring(monthly.map((d, i) => pay(`p${i}`, d, 20)), tolerances).length, 0);
  });

  test('median of an even count is the mean of the middle two', () => {
    assert.equal(median([4, 1, 3, 2].map((v) => new Decimal(v))).toNumber(), 2.5);
  });
});
