import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { calendarPeriods, daysBetween } from '../../src/proton/calendar.ts';
import { CalculationError } from '../../src/proton/calculation-error.ts';

describe('history periods', () => {
  test('weeks run Monday to Sunday, cut to the span', () => {
    // 2024-01-03 is a Wednesday; 2024-01-08 and 2024-01-15 are Mondays.
    assert.deepEqual(calendarPeriods({ start: '2024-01-03', end: '2024-01-16' }, 'week'), [
      { start: '2024-01-03', end: '2024-01-07' },
      { start: '2024-01-08', end: '2024-01-14' },
      { start: '2024-01-15', end: '2024-01-16' },
    ]);
  });

  test('months through a leap February, quarters and years', () => {
    assert.deepEqual(calendarPeriods({ start: '2024-01-31', end: '2024-03-01' }, 'month'), [
      { start: '2024-01-31', end: '2024-01-31' },
      { start: '2024-02-01', end: '2024-02-29' },
      { start: '2024-03-01', end: '2024-03-01' },
    ]);
    assert.deepEqual(calendarPeriods({ start: '2023-11-15', end: '2024-04-02' }, 'quarter'), [
      { start: '2023-11-15', end: '2023-12-31' },
      { start: '2024-01-01', end: '2024-03-31' },
      { start: '2024-04-01', end: '2024-04-02' },
    ]);
    assert.deepEqual(calendarPeriods({ start: '2023-06-01', end: '2024-02-01' }, 'year'), [
      { start: '2023-06-01', end: '2023-12-31' },
      { start: '2024-01-01', end: '2024-02-01' },
    ]);
    assert.equal(calendarPeriods({ start: '2024-01-01', end: '2024-12-31' }, 'day').length, 366);
  });

  test('a span too long for its interval is refused, naming the interval', () => {
    assert.throws(
      () => calendarPeriods({ start: '2000-01-01', end: '2024-12-31' }, 'day'),
      (error: unknown) => error instanceof CalculationError && error.field === 'history_frequency_interval',
    );
  });

  test('days between dates count across month ends and leap days', () => {
    assert.equal(daysBetween('2024-02-09', '2024-06-30'), 142);
    assert.equal(daysBetween('2023-02-09', '2023-06-30'), 141);
    assert.equal(daysBetween('2024-07-15', '2024-06-30'), -15);
  });
});
