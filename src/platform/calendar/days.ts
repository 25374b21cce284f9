/**
 * Days are handled as ISO strings (YYYY-MM-DD), which compare and sort in time order.
 * A stored date-time belongs to the day it falls on in UTC.
 */
export function dayOf(dateTime: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(dateTime) ? dateTime : new Date(dateTime).toISOString().slice(0, 10);
}

export interface DayRange {
  /** First day included; unbounded when absent. */
  start?: string;
  /** Last day included; unbounded when absent. */
  end?: string;
}

export function inRange(day: string, range: DayRange): boolean {
  return (range.start === undefined || day >= range.start) && (range.end === undefined || day <= range.end);
}
