import { Decimal as DecimalJs } from 'decimal.js';

/**
 * Exact decimal arithmetic for amounts read from storage. Stored numbers are read as the
 * text of their JSON value, so nothing passes through a binary float before it is summed.
 */
export const Decimal = DecimalJs.clone({ precision: 40, rounding: DecimalJs.ROUND_HALF_UP });
export type Decimal = InstanceType<typeof Decimal>;

export const ZERO = new Decimal(0);
export const ONE = new Decimal(1);
export const HUNDRED = new Decimal(100);

/** A stored number (its JSON text) as a decimal; undefined when absent. */
export function decimalOf(value: string | number | null | undefined): Decimal | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  return new Decimal(value);
}

/** A money amount as it leaves the API: to the cent, half away from zero, never "-0". */
export function cents(value: Decimal): number {
  const rounded = value.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
  return rounded.isZero() ? 0 : rounded.toNumber();
}

/** A share count or a weight as it leaves the API: rounded where a double would blur it anyway. */
export function rounded(value: Decimal, places: number): number {
  const result = value.toDecimalPlaces(places, Decimal.ROUND_HALF_UP);
  return result.isZero() ? 0 : result.toNumber();
}
