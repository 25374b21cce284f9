import { errors } from '../http/errors.ts';
import type { EntityReader } from '../read/entity-reader.ts';
import { Decimal, ONE } from './money.ts';

/** One stored exchange rate: one unit of `from` is worth `rate` units of `to` from `day` on. */
export interface FxQuote {
  from: string;
  to: string;
  day: string;
  rate: Decimal;
}

/** Rates by currency pair, each list in day order. */
export class RateTable {
  private readonly pairs = new Map<string, FxQuote[]>();

  constructor(quotes: FxQuote[]) {
    for (const quote of [...quotes].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0))) {
      const key = `${quote.from}>${quote.to}`;
      const list = this.pairs.get(key);
      if (list) list.push(quote);
      else this.pairs.set(key, [quote]);
    }
  }

  private latest(from: string, to: string, day: string): FxQuote | undefined {
    const list = this.pairs.get(`${from}>${to}`);
    if (!list) return undefined;
    let found: FxQuote | undefined;
    for (const quote of list) {
      if (quote.day > day) break;
      found = quote;
    }
    return found;
  }

  /**
   * The rate in force on a day: the latest quote on or before it, taken directly or as the
   * inverse of the opposite pair, whichever is more recent (the direct one on a tie).
   */
  rate(from: string, to: string, day: string): Decimal | undefined {
    if (from === to) return ONE;
    const direct = this.latest(from, to, day);
    const inverse = this.latest(to, from, day);
    if (direct && (!inverse || direct.day >= inverse.day)) return direct.rate;
    if (inverse && !inverse.rate.isZero()) return ONE.div(inverse.rate);
    return undefined;
  }
}

/**
 * Expresses amounts in one currency. An amount whose currency is not recorded is taken to
 * be in the target currency already: there is nothing to convert it from.
 */
export class Converter {
  constructor(
    readonly target: string | undefined,
    private readonly table: RateTable,
  ) {}

  convert(amount: Decimal, currency: string | undefined, day: string): Decimal {
    if (!this.target || !currency || currency === this.target) return amount;
    const rate = this.table.rate(currency, this.target, day);
    if (!rate) {
      throw errors.invalidField({ field: 'currency_conversion', problem: `no stored FX rate from ${currency} to ${this.target} on or before ${day}` });
    }
    return amount.times(rate);
  }
}

/** Leaves every amount as it is; for views asked without currency_conversion. */
export const NO_CONVERSION = new Converter(undefined, new RateTable([]));

/**
 * The stored rates (resource/fx_rate, the tenant's) between the given currencies and the
 * target, in either direction, up to the end of `untilDay`, oldest first.
 */
async function storedQuotes(reader: EntityReader, currencies: string[], target: string, untilDay: string): Promise<FxQuote[]> {
  const rows = await reader.db.query<{ from: string; to: string; day: string; rate: string }>(
    `SELECT currency_code_from AS "from", currency_code_to AS "to", to_char(date AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day,
            exchange_rate::text AS rate
     FROM fx_rate
     WHERE tenant_id = $1 AND date < ($4::date + 1)::timestamp AT TIME ZONE 'UTC'
       AND ((currency_code_from = ANY($2::text[]) AND currency_code_to = $3) OR (currency_code_from = $3 AND currency_code_to = ANY($2::text[])))
     ORDER BY date`,
    [reader.tenantId, currencies, target, untilDay],
  );
  return rows.map((r) => ({ from: r.from, to: r.to, day: r.day, rate: new Decimal(r.rate) }));
}

/** A converter to `target`, loaded with the stored rates the given currencies need up to `untilDay`. */
export async function converterFor(
  reader: EntityReader,
  target: string | undefined,
  currencies: Iterable<string | undefined>,
  untilDay: string,
): Promise<Converter> {
  if (!target) return NO_CONVERSION;
  const foreign = [...new Set([...currencies].filter((c): c is string => !!c && c !== target))];
  if (foreign.length === 0) return new Converter(target, new RateTable([]));
  return new Converter(target, new RateTable(await storedQuotes(reader, foreign, target, untilDay)));
}
