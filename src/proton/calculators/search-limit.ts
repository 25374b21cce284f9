import { CalculationError } from '../calculation-error.ts';

/**
 * The longest horizon, in years, that any calculator projects or searches. Past a century and
 * a half no goal is a person's, and the bound keeps every request's work finite.
 */
export const MAX_SEARCH_YEARS = 150;

/** Refuses a horizon of `periods` periods, `perYear` to a year, that is longer than the limit. */
export function checkHorizon(field: string, periods: number, perYear: number): void {
  if (periods > MAX_SEARCH_YEARS * perYear) throw new CalculationError(field, `must not be longer than ${MAX_SEARCH_YEARS} years`);
}
