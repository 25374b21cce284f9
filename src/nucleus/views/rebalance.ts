import { Decimal, HUNDRED, ZERO } from '../../platform/money/money.ts';

/** What an order request asks for: reach the targets, only buy, only sell, or sell everything. */
export type OrderMode = 'rebalance' | 'buy_only' | 'sell_only' | 'sell_all';

export interface RebalanceOptions {
  /** Rebalance only when a security's weight is more than this many percentage points off target. */
  portThreshold?: Decimal;
  /** Smallest buy worth placing, in money. */
  buyThreshold?: Decimal;
  /** Smallest sale worth placing, in money. */
  sellThreshold?: Decimal;
  /** Whole shares only. */
  nonFractional: boolean;
  /** Let the cash above its target fund a rebalance's buys, besides the sale proceeds. */
  useCashAvailable: boolean;
}

export interface PortfolioPosition {
  /** Shares held, by security. */
  holdings: ReadonlyMap<string, Decimal>;
  /** Latest price, by security; every held and targeted security needs one. */
  prices: ReadonlyMap<string, Decimal>;
  /** Target weight in percent, by security: the model's. */
  targets: ReadonlyMap<string, Decimal>;
  /** The security that holds the portfolio's cash; its money funds buys and receives sales. */
  cashSecurityId?: string;
  /** Securities that may not be bought, or sold (security exclusions, when restrictions are on). */
  noBuy: ReadonlySet<string>;
  noSell: ReadonlySet<string>;
}

export interface Trade {
  securityId: string;
  side: 'buy' | 'sell';
  quantity: Decimal;
  price: Decimal;
  amount: Decimal;
}

/** Fractional quantities are kept to eight places, rounded down so no trade exceeds its amount. */
const FRACTION_PLACES = 8;

function quantityFor(amount: Decimal, price: Decimal, options: RebalanceOptions): Decimal {
  return amount.div(price).toDecimalPlaces(options.nonFractional ? 0 : FRACTION_PLACES, Decimal.ROUND_DOWN);
}

function trade(securityId: string, side: Trade['side'], quantity: Decimal, price: Decimal): Trade {
  return { securityId, side, quantity, price, amount: quantity.times(price) };
}

/**
 * The trades that bring one portfolio to its model's weights.
 *
 * The portfolio's value V is all it holds at the latest prices, cash included. Each security's
 * target is its weight times V; the cash's target is whatever weight the other securities
 * leave. Overweight securities are sold down to target, then underweight ones bought up to it
 * with the proceeds (and, with useCashAvailable, the cash above its target); when that money
 * falls short every buy is scaled down alike, so buys never spend more than there is.
 * Quantities are rounded down (to whole shares with nonFractional), trades under the buy or
 * sell threshold are dropped, and restricted securities are left as they are. With a port
 * threshold, nothing happens unless some weight is further off target than it.
 *
 * buy_only spends the cash above its target and sells nothing; sell_only only sells;
 * sell_all sells every holding but the cash, whatever the targets and thresholds.
 */
export function rebalance(position: PortfolioPosition, mode: OrderMode, options: RebalanceOptions): Trade[] {
  const { holdings, prices, targets, cashSecurityId: cash } = position;
  const priceOf = (securityId: string): Decimal => {
    const price = prices.get(securityId);
    if (!price || price.lte(0)) throw new Error(`no price for security ${securityId}`);
    return price;
  };
  const held = [...holdings].filter(([, shares]) => !shares.isZero());

  if (mode === 'sell_all') {
    return held
      .filter(([securityId]) => securityId !== cash && !position.noSell.has(securityId))
      .map(([securityId, shares]) => trade(securityId, 'sell', shares, priceOf(securityId)));
  }

  const valueOf = (securityId: string) => (holdings.get(securityId) ?? ZERO).times(priceOf(securityId));
  const total = held.reduce((sum, [securityId]) => sum.plus(valueOf(securityId)), ZERO);
  if (total.isZero()) return [];
  const securities = [...new Set([...held.map(([s]) => s), ...targets.keys()])].filter((s) => s !== cash);
  const weightOf = (securityId: string) => targets.get(securityId) ?? ZERO;
  const cashTarget = Decimal.max(ZERO, HUNDRED.minus(securities.reduce((sum, s) => sum.plus(weightOf(s)), ZERO)));

  if (options.portThreshold !== undefined) {
    const drifts = securities.map((s) => valueOf(s).div(total).times(HUNDRED).minus(weightOf(s)).abs());
    if (cash) drifts.push(valueOf(cash).div(total).times(HUNDRED).minus(cashTarget).abs());
    if (!drifts.some((drift) => drift.gt(options.portThreshold!))) return [];
  }

  const gaps = securities.map((securityId) => ({ securityId, gap: weightOf(securityId).div(HUNDRED).times(total).minus(valueOf(securityId)) }));
  const trades: Trade[] = [];
  let proceeds = ZERO;
  if (mode !== 'buy_only') {
    for (const { securityId, gap } of gaps) {
      if (gap.gte(0) || position.noSell.has(securityId)) continue;
      const quantity = Decimal.min(quantityFor(gap.negated(), priceOf(securityId), options), holdings.get(securityId) ?? ZERO);
      const sale = trade(securityId, 'sell', quantity, priceOf(securityId));
      if (quantity.isZero() || (options.sellThreshold && sale.amount.lt(options.sellThreshold))) continue;
      trades.push(sale);
      proceeds = proceeds.plus(sale.amount);
    }
  }
  if (mode === 'sell_only') return trades;

  const spareCash = cash && (mode === 'buy_only' || options.useCashAvailable) ? Decimal.max(ZERO, valueOf(cash).minus(cashTarget.div(HUNDRED).times(total))) : ZERO;
  const available = proceeds.plus(spareCash);
  const wanted = gaps.filter(({ securityId, gap }) => gap.gt(0) && !position.noBuy.has(securityId));
  const needed = wanted.reduce((sum, { gap }) => sum.plus(gap), ZERO);
  if (needed.isZero()) return trades;
  const scale = Decimal.min(1, available.div(needed));
  for (const { securityId, gap } of wanted) {
    const purchase = trade(securityId, 'buy', quantityFor(gap.times(scale), priceOf(securityId), options), priceOf(securityId));
    if (purchase.quantity.isZero() || (options.buyThreshold && purchase.amount.lt(options.buyThreshold))) continue;
    trades.push(purchase);
  }
  return trades;
}
