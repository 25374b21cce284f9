import { addDays } from '../calendar.ts';
import { windowOf, type DayWindow, type WindowUnit } from './calendar-window.ts';

/** The periods an analysis reports on, oldest first; each a DayWindow (end excluded). */

function clip(window: DayWindow, start: string | undefined, end: string): DayWindow {
  return { start: start !== undefined && window.start < start ? start : window.start, end: window.end > end ? end : window.end };
}

/** The calendar period holding `lastDay` (cut at it) and the `lookback` whole periods before it. */
export function calendarPeriods(lastDay: string, unit: WindowUnit, count: number, lookback: number): DayWindow[] {
  const periods = [clip(windowOf(lastDay, unit, count), undefined, addDays(lastDay, 1))];
  for (let k = 0; k < lookback; k++) periods.unshift(windowOf(addDays(periods[0].start, -1), unit, count));
  return periods;
}

/** Periods of `count` calendar units from the unit holding firstDay on, covering firstDay..lastDay, the first and last cut to the range. */
export function periodsAcross(firstDay: string, lastDay: string, unit: WindowUnit, count: number): DayWindow[] {
  const end = addDays(lastDay, 1);
  const periods: DayWindow[] = [];
  let start = windowOf(firstDay, unit, 1).start;
  while (start < end) {
    let stop = start;
    for (let k = 0; k < count; k++) stop = windowOf(stop, unit, 1).end;
    periods.push(clip({ start, end: stop }, firstDay, end));
    start = stop;
  }
  return periods;
}

const MONTHS: Partial<Record<WindowUnit, number>> = { monthly: 1, quarterly: 3, annually: 12 };
const DAYS: Partial<Record<WindowUnit, number>> = { daily: 1, weekly: 7, 'bi-weekly': 14 };

/** The same day `months` months earlier, or the month's last day when it has no such day. */
function monthsBefore(day: string, months: number): string {
  const year = Number(day.slice(0, 4));
  const month = Number(day.slice(5, 7)) - 1 - months;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, month, Math.min(Number(day.slice(8, 10)), last))).toISOString().slice(0, 10);
}

/** Periods of `count` units counted back from lastDay: the latest ends on lastDay itself. */
export function rollingPeriods(lastDay: string, unit: WindowUnit, count: number, periods: number): DayWindow[] {
  const windows: DayWindow[] = [];
  let end = addDays(lastDay, 1);
  for (let k = 0; k < periods; k++) {
    const start = DAYS[unit] !== undefined ? addDays(end, -DAYS[unit]! * count) : monthsBefore(end, MONTHS[unit]! * count);
    windows.unshift({ start, end });
    end = start;
  }
  return windows;
}
