import { Decimal as DecimalJs } from 'decimal.js';

/**
 * Decimal arithmetic for every calculator. Forty significant digits keep intermediate sums,
 * powers and the affine solves exact well beyond the cent, so rounding happens only once,
 * when a figure leaves the calculator.
 */
export const Decimal = DecimalJs.clone({ precision: 40, rounding: DecimalJs.ROUND_HALF_UP });
export type Decimal = InstanceType<typeof Decimal>;

export const ZERO = new Decimal(0);
export const ONE = new Decimal(1);

export function dec(value: number | string | Decimal): Decimal {
  return new Decimal(value);
}

/** A money figure as it is reported: to the cent, half away from zero. */
export function cents(value: Decimal): number {
  const rounded = value.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
  // Avoids "-0" for balances that are a rounding error below zero.
  return rounded.isZero() ? 0 : rounded.toNumber();
}

/** A rate or ratio as it is reported: unrounded, as the nearest double. */
export function ratio(value: Decimal): number {
  return value.toNumber();
}

/** (1 + rate) raised to a number of years, for growth and inflation alike. */
export function growth(rate: Decimal, years: Decimal | number): Decimal {
  return ONE.plus(rate).pow(years);
}
