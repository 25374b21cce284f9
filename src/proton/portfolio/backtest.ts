import { Decimal, ZERO, cents } from '../money.ts';
import { periodKey, type MarketFrequency } from '../market/market-data.ts';

export const REBALANCE_PERIODS: Record<number, MarketFrequency | 'half'> = { 0: 'year', 1: 'half', 2: 'quarter', 3: 'month', 4: 'week' };

export interface BacktestRules {
  periodRebalance?: MarketFrequency | 'half';
  /** Largest drift of a weight from its target before a rebalance. */
  driftLimit?: number;
}

export interface PricedDay {
  date: string;
  /** One price per ticker, in the order of the tickers. */
  prices: Decimal[];
}

export interface BacktestOutcome {
  values: { date: string; value: Decimal }[];
  trades: { date: string; ticker: number; shares: Decimal; amount: Decimal; reason: 'initial' | 'period' | 'drift' }[];
  holdings: { date: string; units: Decimal[]; value: Decimal; prices: Decimal[] }[];
  rebalances: number;
}

function rebalancePeriod(date: string, period: MarketFrequency | 'half'): string {
  return period === 'half' ? `${date.slice(0, 4)}-H${Number(date.slice(5, 7)) <= 6 ? 1 : 2}` : periodKey(date, period);
}

/**
 * Buys the starting weights on the first day, then holds; the units are exact decimals so
 * the value is never rounded until it is reported. A rebalance sells and buys at the day's
 * prices to the target weights: on the first day of a new period, or when a weight has
 * drifted from its target by more than the limit.
 */
export function simulate(days: readonly PricedDay[], start: readonly number[], target: readonly number[], amount: number, rules: BacktestRules): BacktestOutcome {
  const outcome: BacktestOutcome = { values: [], trades: [], holdings: [], rebalances: 0 };
  const targets = target.map((w) => new Decimal(w));
  let units: Decimal[] = start.map(() => ZERO);

  const trade = (day: PricedDay, value: Decimal, weights: readonly Decimal[], reason: 'initial' | 'period' | 'drift') => {
    const next = weights.map((w, i) => (day.prices[i].isZero() ? units[i] : value.times(w).div(day.prices[i])));
    next.forEach((u, i) => {
      const shares = u.minus(units[i]);
      if (!shares.isZero()) outcome.trades.push({ date: day.date, ticker: i, shares, amount: shares.times(day.prices[i]), reason });
    });
    units = next;
    outcome.holdings.push({ date: day.date, units, value, prices: day.prices });
  };

  days.forEach((day, t) => {
    const value = units.reduce((sum, u, i) => sum.plus(u.times(day.prices[i])), ZERO);
    if (t === 0) {
      trade(day, new Decimal(amount), start.map((w) => new Decimal(w)), 'initial');
      outcome.values.push({ date: day.date, value: new Decimal(amount) });
      return;
    }
    const newPeriod = rules.periodRebalance !== undefined && rebalancePeriod(day.date, rules.periodRebalance) !== rebalancePeriod(days[t - 1].date, rules.periodRebalance);
    const drifted =
      rules.driftLimit !== undefined && value.gt(0) && units.some((u, i) => u.times(day.prices[i]).div(value).minus(targets[i]).abs().gt(rules.driftLimit!));
    if (value.gt(0) && (newPeriod || drifted)) {
      outcome.rebalances++;
      trade(day, value, targets, newPeriod ? 'period' : 'drift');
    } else if (t === days.length - 1) {
      outcome.holdings.push({ date: day.date, units, value, prices: day.prices });
    }
    outcome.values.push({ date: day.date, value });
  });
  return outcome;
}

export function holdingRows(outcome: BacktestOutcome, tickers: readonly string[]) {
  return outcome.holdings.flatMap((h) =>
    h.units.map((u, i) => {
      const amount = u.times(h.prices[i]);
      return { date: h.date, ticker: tickers[i], shares: u.toNumber(), amount: cents(amount), weight: h.value.isZero() ? 0 : amount.div(h.value).toNumber() };
    }),
  );
}
