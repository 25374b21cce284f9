/**
 * Calendar windows over UTC days (YYYY-MM-DD). A window of `count` units is the unit holding
 * the day together with the count - 1 units before it, so "2 weekly" is this week and last.
 * Weeks start on Monday; a bi-weekly unit is two such weeks, counted from Monday 1970-01-05 so
 * that every caller cuts the same fortnights.
 */
import { addDays } from '../calendar.ts';

export const WINDOW_UNITS = ['daily', 'weekly', 'bi-weekly', 'monthly', 'quarterly', 'annually'] as const;
export type WindowUnit = (typeof WINDOW_UNITS)[number];

export interface DayWindow {
  /** First day in the window. */
  start: string;
  /** First day after the window. */
  end: string;
}

const DAY_MS = 86_400_000;
const FIRST_MONDAY = Date.UTC(1970, 0, 5);

function ms(day: string): number {
  return Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10)));
}

function dayText(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}

function monthsLong(unit: WindowUnit): number {
  return unit === 'monthly' ? 1 : unit === 'quarterly' ? 3 : 12;
}

function daysLong(unit: WindowUnit): number {
  return unit === 'daily' ? 1 : unit === 'weekly' ? 7 : 14;
}

/** The window of `count` units ending with the unit that holds `day`. */
export function windowOf(day: string, unit: WindowUnit, count = 1): DayWindow {
  const time = ms(day);
  if (unit === 'daily' || unit === 'weekly' || unit === 'bi-weekly') {
    const length = daysLong(unit) * DAY_MS;
    const unitStart = FIRST_MONDAY + Math.floor((time - FIRST_MONDAY) / length) * length;
    return { start: dayText(unitStart - (count - 1) * length), end: dayText(unitStart + length) };
  }
  const date = new Date(time);
  const months = monthsLong(unit);
  const month = date.getUTCMonth() - (date.getUTCMonth() % months);
  const year = date.getUTCFullYear();
  return { start: dayText(Date.UTC(year, month - (count - 1) * months, 1)), end: dayText(Date.UTC(year, month + months, 1)) };
}

/** The window just before a window of the same unit and count. */
export function previousWindow(window: DayWindow, unit: WindowUnit, count = 1): DayWindow {
  return windowOf(addDays(window.start, -1), unit, count);
}
