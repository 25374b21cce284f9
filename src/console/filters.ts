/** A quoted RSQL value: whatever the user typed stays one value. */
export function quoted(value: string): string {
  return `"${value.replace(/["\\]/g, '\\$&')}"`;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A day from a date field as a timestamp the APIs compare with: `from` at the day's start,
 * `to` (a day included) at the next day's start, to be compared with "less than".
 */
export function dayBound(day: string, next: boolean): string | undefined {
  if (!DAY.test(day)) return day || undefined;
  const date = new Date(`${day}T00:00:00Z`);
  if (next) date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString();
}
