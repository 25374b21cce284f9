import type { DayRange } from '../../platform/calendar/days.ts';
import { NO_CONVERSION, type Converter } from '../../platform/money/fx.ts';
import { HUNDRED, ONE, ZERO, type Decimal } from '../../platform/money/money.ts';
import { snapshotsAsOf, type SnapshotLine } from './snapshots.ts';

/** One stored portfolio holding: shares of a security (the line's item) in a portfolio (its source). */
export interface HoldingLine extends SnapshotLine {
  shares: Decimal;
  amount?: Decimal;
  costBasis?: Decimal;
  currency?: string;
}

/** A security's price as of a day, in its currency, for holdings recorded without an amount. */
export type PriceOf = (securityId: string, day: string) => { price: Decimal; currency?: string } | undefined;

export interface HoldingAggregate {
  date: string;
  securityId: string;
  shares: Decimal;
  amount?: Decimal;
  costBasis?: Decimal;
  /** Percent of the day's total amount. */
  weight?: Decimal;
}

/** A day's aggregates in a stable order, whatever order the rows were read in. */
function bySecurityId<T>(bySecurity: Map<string, T>): T[] {
  return [...bySecurity.keys()].sort().map((key) => bySecurity.get(key)!);
}

/**
 * Holdings added up by security across portfolios, for each day of the range (or the last
 * one). Each portfolio counts with its last snapshot as of the day, at its share. A line
 * without an amount is valued at the security's price as of the day; one with neither adds
 * its shares but no amount, and gets no weight.
 */
export function aggregateHoldings(
  lines: readonly HoldingLine[],
  options: { range?: DayRange; latestOnly?: boolean; shares?: ReadonlyMap<string, Decimal>; converter?: Converter; priceOf?: PriceOf } = {},
): HoldingAggregate[] {
  const converter = options.converter ?? NO_CONVERSION;
  const result: HoldingAggregate[] = [];
  for (const { day, lines: held } of snapshotsAsOf(lines, options)) {
    const bySecurity = new Map<string, HoldingAggregate>();
    for (const line of held) {
      const share = options.shares?.get(line.source) ?? ONE;
      let amount = line.amount === undefined ? undefined : converter.convert(line.amount, line.currency, day);
      if (amount === undefined) {
        const quote = options.priceOf?.(line.item, day);
        if (quote) amount = converter.convert(line.shares.times(quote.price), quote.currency ?? line.currency, day);
      }
      const costBasis = line.costBasis === undefined ? undefined : converter.convert(line.costBasis, line.currency, day);
      const total = bySecurity.get(line.item) ?? { date: day, securityId: line.item, shares: ZERO };
      total.shares = total.shares.plus(line.shares.times(share));
      if (amount !== undefined) total.amount = (total.amount ?? ZERO).plus(amount.times(share));
      if (costBasis !== undefined) total.costBasis = (total.costBasis ?? ZERO).plus(costBasis.times(share));
      bySecurity.set(line.item, total);
    }
    const dayTotal = [...bySecurity.values()].reduce((sum, h) => sum.plus(h.amount ?? ZERO), ZERO);
    for (const holding of bySecurityId(bySecurity)) {
      if (holding.amount !== undefined && !dayTotal.isZero()) holding.weight = holding.amount.div(dayTotal).times(HUNDRED);
      result.push(holding);
    }
  }
  return result;
}

/** One stored model holding: a security's weights (percent) in a model (the line's source). */
export interface ModelHoldingLine extends SnapshotLine {
  currentWeight: Decimal;
  strategicWeight: Decimal;
}

export interface ModelHoldingAggregate {
  date: string;
  securityId: string;
  currentWeight: Decimal;
  strategicWeight: Decimal;
}

/**
 * What an allocation holds through its models: each security's weight in the model times
 * the model's weight in the allocation, added up over the models, for each day of the range
 * (or the last one) with each model's last snapshot as of the day.
 */
export function allocationHoldings(
  lines: readonly ModelHoldingLine[],
  modelWeights: ReadonlyMap<string, { current: Decimal; strategic: Decimal }>,
  options: { range?: DayRange; latestOnly?: boolean } = {},
): ModelHoldingAggregate[] {
  const result: ModelHoldingAggregate[] = [];
  for (const { day, lines: held } of snapshotsAsOf(lines, options)) {
    const bySecurity = new Map<string, ModelHoldingAggregate>();
    for (const line of held) {
      const model = modelWeights.get(line.source);
      if (!model) continue;
      const total = bySecurity.get(line.item) ?? { date: day, securityId: line.item, currentWeight: ZERO, strategicWeight: ZERO };
      total.currentWeight = total.currentWeight.plus(line.currentWeight.times(model.current).div(HUNDRED));
      total.strategicWeight = total.strategicWeight.plus(line.strategicWeight.times(model.strategic).div(HUNDRED));
      bySecurity.set(line.item, total);
    }
    result.push(...bySecurityId(bySecurity));
  }
  return result;
}

/** A stored price of a security, for valuing holdings recorded without an amount. */
export interface PriceLine {
  securityId: string;
  day: string;
  at: string;
  price: Decimal;
  currency?: string;
}

/** Looks up a security's last price on or before a day. */
export function priceLookup(prices: readonly PriceLine[]): PriceOf {
  const bySecurity = new Map<string, PriceLine[]>();
  for (const line of [...prices].sort((a, b) => (a.day !== b.day ? (a.day < b.day ? -1 : 1) : a.at < b.at ? -1 : a.at > b.at ? 1 : 0))) {
    const list = bySecurity.get(line.securityId);
    if (list) list.push(line);
    else bySecurity.set(line.securityId, [line]);
  }
  return (securityId, day) => {
    const found = bySecurity.get(securityId)?.filter((p) => p.day <= day).pop();
    return found && { price: found.price, currency: found.currency };
  };
}
