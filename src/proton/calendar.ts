/**
 * Calendar arithmetic on ISO days (YYYY-MM-DD), in UTC so that no local time zone or daylight
 * saving shift can move a transaction to another day.
 */
import { CalculationError } from './calculation-error.ts';

const DAY_MS = 86_400_000;

function toTime(day: string): number {
  return Date.parse(`${day}T00:00:00Z`);
}

function fromTime(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}

export function today(): string {
  return fromTime(Date.now());
}

export function addDays(day: string, days: number): string {
  return fromTime(toTime(day) + days * DAY_MS);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((toTime(to) - toTime(from)) / DAY_MS);
}

/**
 * The same day of the month `months` later, moved back to the month's last day when the month
 * is shorter (31 January + 1 month = 28 or 29 February), as statements and bills fall due.
 */
export function addMonths(day: string, months: number): string {
  const [year, month, date] = day.split('-').map(Number);
  const index = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(index / 12);
  const targetMonth = index - targetYear * 12;
  const lastDay = new Date(Date.UTC(targetYear, targetMonth + 1, 0)).getUTCDate();
  return fromTime(Date.UTC(targetYear, targetMonth, Math.min(date, lastDay)));
}

/** The first day of the day's month. */
export function monthStart(day: string): string {
  return `${day.slice(0, 7)}-01`;
}

/** The last day of the day's month. */
export function monthEnd(day: string): string {
  return addDays(addMonths(monthStart(day), 1), -1);
}

/** The calendar periods a history is cut into. */
export const HISTORY_INTERVALS = ['day', 'week', 'month', 'quarter', 'year'] as const;
export type HistoryInterval = (typeof HISTORY_INTERVALS)[number];

/** A span of whole days, both ends included, as YYYY-MM-DD. */
export interface DaySpan {
  start: string;
  end: string;
}

// A history of daily periods over decades would be a response nobody can use; this bounds the work.
const MAX_HISTORY_PERIODS = 5000;

/** The first day of the calendar period holding `day`; weeks start on Monday (ISO 8601). */
function periodStart(day: string, interval: HistoryInterval): string {
  const date = new Date(`${day}T00:00:00Z`);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  switch (interval) {
    case 'day':
      return day;
    case 'week':
      return addDays(day, -((date.getUTCDay() + 6) % 7));
    case 'month':
      return new Date(Date.UTC(year, month, 1)).toISOString().slice(0, 10);
    case 'quarter':
      return new Date(Date.UTC(year, month - (month % 3), 1)).toISOString().slice(0, 10);
    case 'year':
      return `${year}-01-01`;
  }
}

function nextPeriodStart(start: string, interval: HistoryInterval): string {
  const date = new Date(`${start}T00:00:00Z`);
  switch (interval) {
    case 'day':
      return addDays(start, 1);
    case 'week':
      return addDays(start, 7);
    case 'month':
      return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1)).toISOString().slice(0, 10);
    case 'quarter':
      return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 3, 1)).toISOString().slice(0, 10);
    case 'year':
      return `${date.getUTCFullYear() + 1}-01-01`;
  }
}

/**
 * The calendar periods covering a span, in order; the first and last are cut to the span, so
 * every day of the span is in exactly one period.
 */
export function calendarPeriods(span: DaySpan, interval: HistoryInterval): DaySpan[] {
  const periods: DaySpan[] = [];
  let start = periodStart(span.start, interval);
  while (start <= span.end) {
    const next = nextPeriodStart(start, interval);
    periods.push({ start: start < span.start ? span.start : start, end: addDays(next, -1) > span.end ? span.end : addDays(next, -1) });
    if (periods.length > MAX_HISTORY_PERIODS) {
      throw new CalculationError('history_frequency_interval', `the span would need more than ${MAX_HISTORY_PERIODS} periods; choose a longer interval or a shorter span`);
    }
    start = next;
  }
  return periods;
}

/** Checks that a window's end is not before its start. */
export function checkedSpan(start: string, end: string, startField = 'start_date'): DaySpan {
  if (start > end) throw new CalculationError(startField, `must not be after ${end}`);
  return { start, end };
}
