import { Decimal } from 'decimal.js';

/**
 * Programs run in one currency. Amounts move as integer minor units (cents) so that no sum on
 * the ledger is ever rounded; they become decimal numbers only at the API's edge.
 */
export const PROGRAM_CURRENCY = 'USD';
const MINOR_DIGITS = 2;
/**
 * The largest amount one movement or purchase may carry. Far above any card payment, and far
 * below what the ledger's bigint cents hold (9.2e16 units), so that balances summed from many
 * movements cannot overflow either; it also keeps every amount a double holds to the cent.
 */
export const MAX_AMOUNT = 1_000_000_000;

/** The minor units of a positive amount with at most two decimals, up to MAX_AMOUNT, or why it is not one. */
export function toMinor(amount: unknown): bigint | string {
  if (typeof amount !== 'number' || !Number.isFinite(amount)) return 'is missing or not a number';
  const value = new Decimal(amount);
  if (value.lte(0)) return 'must be greater than zero';
  if (value.gt(MAX_AMOUNT)) return `must be at most ${MAX_AMOUNT.toLocaleString('en-US')}`;
  if (value.decimalPlaces() > MINOR_DIGITS) return `has more than ${MINOR_DIGITS} decimals`;
  return BigInt(value.times(10 ** MINOR_DIGITS).toFixed(0));
}

export function fromMinor(minor: bigint | string | number): number {
  return new Decimal(String(minor)).dividedBy(10 ** MINOR_DIGITS).toNumber();
}
