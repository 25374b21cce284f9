import { ApiError } from '../../platform/http/api-error.ts';
import { errors } from '../../platform/http/errors.ts';
import { converterFor, type Converter } from '../../platform/money/fx.ts';
import type { EntityReader } from '../../platform/read/entity-reader.ts';
import { Decimal } from '../money.ts';
import type { CardSpend, SpendingControl } from './spending-rules.ts';

export type ToControl = (spend: CardSpend, control: SpendingControl) => CardSpend;

/**
 * Expresses card transactions in each control's currency through the tenant's stored FX
 * rates, on each transaction's own day; each conversion is made once. A transaction whose
 * currency is not recorded is taken to be in `fallback` (the card's currency).
 */
export async function toControlCurrency(
  reader: EntityReader,
  controls: readonly SpendingControl[],
  spends: readonly CardSpend[],
  fallback: string,
  untilDay: string,
  field: string,
): Promise<ToControl> {
  const currencies = new Set(spends.map((s) => s.currency ?? fallback));
  const targets = new Set(controls.map((c) => c.currency));
  const needed = [...targets].filter((target) => [...currencies].some((c) => c !== target));
  if (needed.length === 0) return (spend) => spend;
  const converters = new Map<string, Converter>();
  try {
    for (const target of needed) converters.set(target, await converterFor(reader, target, currencies, untilDay));
  } catch (error) {
    throw retarget(error, field);
  }
  const converted = new Map<string, WeakMap<CardSpend, CardSpend>>();
  return (spend, control) => {
    const from = spend.currency ?? fallback;
    const converter = converters.get(control.currency);
    if (!converter || from === control.currency) return spend;
    let cache = converted.get(control.currency);
    if (!cache) converted.set(control.currency, (cache = new WeakMap()));
    const known = cache.get(spend);
    if (known) return known;
    try {
      const cents = converter.convert(new Decimal(spend.cents), from, spend.day).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber();
      const result = { ...spend, cents, currency: control.currency };
      cache.set(spend, result);
      return result;
    } catch (error) {
      throw retarget(error, field);
    }
  };
}

/** A missing rate is the fault of the field that brought the foreign currency in. */
function retarget(error: unknown, field: string): unknown {
  if (error instanceof ApiError && error.status === 400) return errors.invalidField({ field, problem: error.message.replace(/^currency_conversion: /, '') });
  return error;
}
