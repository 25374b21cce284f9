import { Decimal, ZERO, ONE } from '../money.ts';

/**
 * The x where an affine function of x is zero, from its values at 0 and 1. A final balance
 * is affine in any one deposit, balance or payout amount, so this is an exact closed form
 * rather than an iteration. Null when f does not depend on x.
 */
export function affineRoot(f: (x: Decimal) => Decimal): Decimal | null {
  const atZero = f(ZERO);
  const slope = f(ONE).minus(atZero);
  if (slope.isZero()) return null;
  return atZero.neg().div(slope);
}
