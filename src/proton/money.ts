import { Decimal, ONE } from '../platform/money/money.ts';

/**
 * The calculators compute with the platform's Decimal (docs/money.md): forty significant digits
 * keep intermediate sums, powers and the affine solves exact well beyond the cent, so rounding
 * happens only once, when a figure leaves the calculator (cents).
 */
export { cents, Decimal, ONE, ZERO } from '../platform/money/money.ts';

export function dec(value: number | string | Decimal): Decimal {
  return new Decimal(value);
}

/** A rate or ratio as it is reported: unrounded, as the nearest double. */
export function ratio(value: Decimal): number {
  return value.toNumber();
}

/** (1 + rate) raised to a number of years, for growth and inflation alike. */
export function growth(rate: Decimal, years: Decimal | number): Decimal {
  return ONE.plus(rate).pow(years);
}
