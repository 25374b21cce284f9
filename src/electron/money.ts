import { Decimal } from 'decimal.js';

/**
 * Programs run in one currency. Amounts move as integer minor units (cents) so that no sum on
 * the ledger is ever rounded; they become decimal numbers only at the API's edge.
 */
export const PROGRAM_CURRENCY = 'USD';
const MINOR_DIGITS = 2;

/** The minor units of a positive amount with at most two decimals, or why it is not one. */
export function toMinor(amount: unknown): bigint | string {
  if (typeof amount !== 'number' || !Number.isFinite(amount)) return 'is missing or not a number';
  const value = new Decimal(amount);
  if (value.lte(0)) return 'must be greater than zero';
  if (value.decimalPlaces() > MINOR_DIGITS) return `has more than ${MINOR_DIGITS} decimals`;
  return BigInt(value.times(10 ** MINOR_DIGITS).toFixed(0));
}

export function fromMinor(minor: bigint | string | number): number {
  return new Decimal(String(minor)).dividedBy(10 ** MINOR_DIGITS).toNumber();
}
