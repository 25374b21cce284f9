/** How many times a year something recurring happens, by the names the API uses. */
export const PERIODS_PER_YEAR = {
  year: 1,
  six_months: 2,
  quarter: 4,
  month: 12,
  two_weeks: 26,
  week: 52,
  day: 365,
} as const;

export type Frequency = keyof typeof PERIODS_PER_YEAR;

export function periodsPerYear(frequency: Frequency): number {
  return PERIODS_PER_YEAR[frequency];
}
