import type { EntityReader } from '../../platform/read/entity-reader.ts';
import { converterFor } from '../../platform/money/fx.ts';
import { CalculationError } from '../calculation-error.ts';
import type { Decimal } from '../money.ts';

/** The currency an analysis reports in, and how an amount gets there. */
export interface ReportCurrency {
  /** Null when no record was read and the request named no currency. */
  code: string | null;
  convert(amount: Decimal, currency: string | undefined, day: string): Decimal;
}

export interface CurrencyRequest {
  currency_code?: string;
  currency_conversion?: string;
}

/**
 * With currency_conversion every amount is converted through the tenant's stored FX rates
 * (the rate in force on the day given to convert). Without it the records must share one
 * currency: adding dollars to euros would give a number that means nothing.
 */
export async function reportCurrency(reader: EntityReader, request: CurrencyRequest, currencies: Iterable<string | undefined>, untilDay: string): Promise<ReportCurrency> {
  const distinct = [...new Set([...currencies].filter((c): c is string => !!c))].sort();
  const target = request.currency_conversion;
  if (target) {
    const converter = await converterFor(reader, target, distinct, untilDay);
    return { code: target, convert: (amount, currency, day) => converter.convert(amount, currency, day) };
  }
  if (distinct.length > 1) {
    throw new CalculationError('currency_conversion', `the records are in several currencies (${distinct.join(', ')}); name one with currency_code or convert with currency_conversion`);
  }
  return { code: distinct[0] ?? request.currency_code ?? null, convert: (amount) => amount };
}
