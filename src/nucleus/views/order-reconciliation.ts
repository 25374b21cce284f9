import type { EntityWriter, WriteOrigin } from '../../platform/entity/writer.ts';
import type { EntityRecord } from '../../platform/entity/entity-records.ts';
import type { EntityReader, Row } from '../../platform/read/entity-reader.ts';
import type { FieldExpressions } from '../../platform/read/fields.ts';
import { errors } from '../../platform/http/errors.ts';
import { loadDated, type DatedRow } from '../../platform/read/dated-rows.ts';
import { cents, Decimal, decimalOf, HUNDRED, rounded, ZERO } from '../../platform/money/money.ts';
import type { OwnedPortfolio } from './ownership.ts';
import { PORTFOLIO_HOLDINGS, SECURITY_PRICES } from './sources.ts';

/** OrderReconcileRequest, as Hydrogen names its fields. */
export interface ReconcileRequest {
  account_id?: string;
  portfolio_id?: string;
  order_track_ids?: string[];
  non_fractional?: boolean;
}

type Order = EntityRecord<'order'>;
type Track = Row<'order_track'>;

/** One order as executed: the quantity and price of its fill, signed by side (buys up, sells down). */
interface Fill {
  order: Order;
  track?: Track;
  portfolioId: string;
  securityId: string;
  /** +1 for a buy, -1 for a sale. */
  sign: number;
  ordered: Decimal;
  orderedAmount: Decimal;
  filled: Decimal;
  price: Decimal;
}

/** Per portfolio and security: what the orders asked for against what was booked and held. */
export interface SecurityReconciliation {
  portfolio_id: string;
  security_id: string;
  ordered_shares: number;
  filled_shares: number;
  unfilled_shares: number;
  ordered_amount: number;
  filled_amount: number;
  held_shares: number;
  reconciled_shares: number;
}

/** A portfolio's position in one security as the fills move it, and what the orders asked for. */
interface Tally {
  portfolioId: string;
  securityId: string;
  before: Decimal;
  shares: Decimal;
  ordered: Decimal;
  filled: Decimal;
  orderedAmount: Decimal;
  filledAmount: Decimal;
}

export interface ReconcileResult {
  account_id: string[];
  portfolio_id: string[];
  portfolio_transaction_id: string[];
  portfolio_holding_id: string[];
  portfolio_asset_size_id: string[];
  securities: SecurityReconciliation[];
}

const SHARE_PLACES = 8;
const key = (portfolioId: string, securityId: string) => `${portfolioId}|${securityId}`;

/** The portfolios the request narrows the path's to; a narrowing that leaves none is refused on its field. */
function narrowed(portfolios: OwnedPortfolio[], request: ReconcileRequest): OwnedPortfolio[] {
  let kept = portfolios;
  if (request.account_id) {
    kept = kept.filter((p) => p.accountId === request.account_id);
    if (kept.length === 0) throw errors.invalidField({ field: 'account_id', problem: `no portfolio of account ${request.account_id} here` });
  }
  if (request.portfolio_id) {
    kept = kept.filter((p) => p.id === request.portfolio_id);
    if (kept.length === 0) throw errors.invalidField({ field: 'portfolio_id', problem: `no portfolio with id ${request.portfolio_id} here` });
  }
  return kept;
}

/** The orders to book with the track each is booked from: the tracks named, or each open order's latest track. */
async function ordersToBook(reader: EntityReader, portfolioIds: string[], trackIds: string[] | undefined): Promise<{ order: Order; track?: Track }[]> {
  if (trackIds) {
    const tracks = await reader.byIds('order_track', trackIds);
    const missing = trackIds.find((id) => !tracks.some((t) => t.id === id));
    if (missing) throw errors.invalidField({ field: 'order_track_ids', problem: `no order_track with id ${missing}` });
    const orderIds = tracks.map((t) => t.doc.order_id);
    const orders = new Map((await reader.records('order', { and: (f, p) => `${f.column('id')} = ANY(${p.add(orderIds)}::uuid[])` })).map((o) => [o.id, o]));
    const byOrder = new Map<string, { order: Order; track: Track }>();
    for (const track of tracks) {
      const order = orders.get(track.doc.order_id);
      if (!order || !portfolioIds.includes(String(order.portfolio_id))) {
        throw errors.invalidField({ field: 'order_track_ids', problem: `order_track ${track.id} is not for an order of these portfolios` });
      }
      const earlier = byOrder.get(order.id);
      if (!earlier || earlier.track.doc.date <= track.doc.date) byOrder.set(order.id, { order, track });
    }
    return [...byOrder.values()];
  }
  const orders = await reader.records('order', {
    where: { portfolio_id: { in: portfolioIds } },
    order: (f) => `${f.column('create_date')}, ${f.column('id')}`,
  });
  if (orders.length === 0) return [];
  const tracks = await reader.rows('order_track', {
    where: { order_id: { in: orders.map((o) => o.id) } },
    order: (f) => `${f.text('date')}, ${f.column('create_date')}`,
  });
  const latest = new Map(tracks.map((t) => [t.doc.order_id, t]));
  return orders.map((order) => ({ order, track: latest.get(order.id) }));
}

/** Orders a reconciliation has booked already: their transactions carry the order's id. */
async function booked(reader: EntityReader, orderIds: string[]): Promise<Set<string>> {
  if (orderIds.length === 0) return new Set();
  // Metadata holds the caller's own keys, which no schema names; order_id is the one a reconciliation writes.
  const orderOf = (f: FieldExpressions<'portfolio_transaction'>) => `${f.json('metadata')}->>'order_id'`;
  const rows = await reader.rows<'portfolio_transaction', { order_id: string }>('portfolio_transaction', {
    and: (f, p) => `${orderOf(f)} = ANY(${p.add(orderIds)}::text[])`,
    columns: (f) => `DISTINCT ${orderOf(f)} AS order_id`,
  });
  return new Set(rows.map((r) => r.order_id));
}

/** Each group's latest row per item, the last stored winning. */
function latestByItem(rows: DatedRow[], item: (row: DatedRow) => string): Map<string, DatedRow> {
  const latest = new Map<string, DatedRow>();
  for (const row of rows) {
    const earlier = latest.get(item(row));
    if (!earlier || earlier.at <= row.at) latest.set(item(row), row);
  }
  return latest;
}

async function fillsOf(reader: EntityReader, toBook: { order: Order; track?: Track }[], nonFractional: boolean): Promise<Fill[]> {
  const codes = new Map((await reader.byIds('transaction_code', [...new Set(toBook.map((b) => b.order.transaction_code_id))])).map((c) => [c.id, c.doc]));
  const fills: Fill[] = [];
  for (const { order, track } of toBook) {
    const isBuy = codes.get(order.transaction_code_id)?.is_buy;
    if (typeof isBuy !== 'boolean') {
      throw errors.unknownSide({ reason: `The transaction_code of order ${order.id} does not say (is_buy) whether it buys or sells` });
    }
    const ordered = decimalOf(order.quantity) ?? ZERO;
    let filled = decimalOf(track?.doc.quantity) ?? ordered;
    if (nonFractional) filled = filled.toDecimalPlaces(0, Decimal.ROUND_DOWN);
    const price = decimalOf(track?.doc.price ?? order.price);
    if (!price) throw errors.missingPrice({ reason: `Neither order ${order.id} nor its track says at what price it was filled` });
    fills.push({
      order,
      track,
      portfolioId: String(order.portfolio_id),
      securityId: order.security_id,
      sign: isBuy ? 1 : -1,
      ordered,
      orderedAmount: decimalOf(order.amount) ?? ordered.times(decimalOf(order.price) ?? price),
      filled,
      price,
    });
  }
  return fills;
}

/**
 * Books the executed orders of some portfolios: each order (filled as its track says, or as
 * ordered) becomes a portfolio_transaction, and each portfolio touched gets a new holdings
 * snapshot (its latest holdings moved by the fills, valued at the latest prices) and, when
 * every holding has a price, an asset size. Orders booked before are left alone. Reports per
 * security what was ordered against what was filled and held. All or nothing.
 */
export async function reconcileOrders(reader: EntityReader, writer: EntityWriter, origin: WriteOrigin, scope: OwnedPortfolio[], request: ReconcileRequest): Promise<ReconcileResult> {
  const portfolios = new Map(narrowed(scope, request).map((p) => [p.id, p]));
  const candidates = portfolios.size === 0 ? [] : await ordersToBook(reader, [...portfolios.keys()], request.order_track_ids);
  const done = await booked(reader, candidates.map((c) => c.order.id));
  const fills = await fillsOf(reader, candidates.filter((c) => !done.has(c.order.id)), request.non_fractional === true);
  const result: ReconcileResult = { account_id: [], portfolio_id: [], portfolio_transaction_id: [], portfolio_holding_id: [], portfolio_asset_size_id: [], securities: [] };
  if (fills.length === 0) return result;

  const touched = [...new Set(fills.map((f) => f.portfolioId))];
  const heldRows = await loadDated(reader, PORTFOLIO_HOLDINGS, touched, {}, { latestOnly: true });
  const heldLines = [...latestByItem(heldRows, (r) => key(r.group, String(r.security))).values()];
  const held = new Map(heldLines.map((r) => [key(r.group, String(r.security)), decimalOf(r.shares) ?? ZERO]));
  const securities = [...new Set([...heldRows.map((r) => String(r.security)), ...fills.map((f) => f.securityId)])];
  const prices = new Map([...latestByItem(await loadDated(reader, SECURITY_PRICES, securities, {}, { latestOnly: true }), (r) => r.group)].map(([s, r]) => [s, decimalOf(r.price)!]));
  for (const fill of fills) if (!prices.has(fill.securityId)) prices.set(fill.securityId, fill.price);

  const lines = new Map<string, Tally>();
  const lineOf = (portfolioId: string, securityId: string): Tally => {
    const k = key(portfolioId, securityId);
    const before = held.get(k) ?? ZERO;
    const line = lines.get(k) ?? { portfolioId, securityId, before, shares: before, ordered: ZERO, filled: ZERO, orderedAmount: ZERO, filledAmount: ZERO };
    lines.set(k, line);
    return line;
  };
  // Every security still held is restated in the new snapshot, which replaces the last one.
  for (const row of heldLines) if (!(decimalOf(row.shares) ?? ZERO).isZero()) lineOf(row.group, String(row.security));
  for (const fill of fills) {
    const line = lineOf(fill.portfolioId, fill.securityId);
    line.ordered = line.ordered.plus(fill.ordered.times(fill.sign));
    line.filled = line.filled.plus(fill.filled.times(fill.sign));
    line.orderedAmount = line.orderedAmount.plus(fill.orderedAmount.times(fill.sign));
    line.filledAmount = line.filledAmount.plus(fill.filled.times(fill.price).times(fill.sign));
    line.shares = line.shares.plus(fill.filled.times(fill.sign));
    if (line.shares.lt(0)) {
      throw errors.oversold({ reason: `Portfolio ${fill.portfolioId} would hold ${line.shares} of security ${fill.securityId}: more was sold than held` });
    }
  }

  const now = new Date().toISOString();
  return writer.writeTogether(origin, async ({ create }) => {
    for (const fill of fills) {
      const portfolio = portfolios.get(fill.portfolioId)!;
      const modelId = requireModel(portfolio, fill.order);
      const transaction = await create('portfolio_transaction', {
        account_id: portfolio.accountId,
        portfolio_id: portfolio.id,
        model_id: modelId,
        security_id: fill.securityId,
        transaction_code_id: fill.order.transaction_code_id,
        date: now,
        quantity: fill.filled.toNumber(),
        price: fill.price.toNumber(),
        amount: cents(fill.filled.times(fill.price)),
        ...(portfolio.doc.currency_code ? { currency_code: portfolio.doc.currency_code } : {}),
        metadata: { order_id: fill.order.id, ...(fill.track ? { order_track_id: fill.track.id } : {}) },
      });
      result.portfolio_transaction_id.push(transaction.id);
    }
    for (const portfolioId of touched) {
      const portfolio = portfolios.get(portfolioId)!;
      const modelId = requireModel(portfolio, fills.find((f) => f.portfolioId === portfolioId)!.order);
      const mine = [...lines.values()].filter((l) => l.portfolioId === portfolioId);
      const amounts = mine.map((l) => (prices.has(l.securityId) ? l.shares.times(prices.get(l.securityId)!) : undefined));
      const total = amounts.every((a) => a !== undefined) ? amounts.reduce((s: Decimal, a) => s.plus(a!), ZERO) : undefined;
      const currency = portfolio.doc.currency_code ? { currency_code: portfolio.doc.currency_code } : {};
      for (const [i, line] of mine.entries()) {
        const amount = amounts[i];
        const holding = await create('portfolio_holding', {
          account_id: portfolio.accountId,
          portfolio_id: portfolioId,
          model_id: modelId,
          security_id: line.securityId,
          date: now,
          shares: line.shares.toNumber(),
          ...(amount !== undefined ? { amount: cents(amount) } : {}),
          ...(amount !== undefined && total && !total.isZero() ? { weight: rounded(amount.div(total).times(HUNDRED), 6) } : {}),
          ...currency,
        });
        result.portfolio_holding_id.push(holding.id);
      }
      if (total !== undefined) {
        const size = await create('portfolio_asset_size', { account_id: portfolio.accountId, portfolio_id: portfolioId, model_id: modelId, date: now, asset_size: cents(total), cash_flow: 0, ...currency });
        result.portfolio_asset_size_id.push(size.id);
      }
    }
    result.portfolio_id = touched;
    result.account_id = [...new Set(touched.map((id) => portfolios.get(id)!.accountId))];
    const ordered = [...lines.values()].sort((a, b) => (key(a.portfolioId, a.securityId) < key(b.portfolioId, b.securityId) ? -1 : 1));
    result.securities = ordered.map((l) => ({
      portfolio_id: l.portfolioId,
      security_id: l.securityId,
      ordered_shares: rounded(l.ordered, SHARE_PLACES),
      filled_shares: rounded(l.filled, SHARE_PLACES),
      unfilled_shares: rounded(l.ordered.minus(l.filled), SHARE_PLACES),
      ordered_amount: cents(l.orderedAmount),
      filled_amount: cents(l.filledAmount),
      held_shares: rounded(l.before, SHARE_PLACES),
      reconciled_shares: rounded(l.shares, SHARE_PLACES),
    }));
    return result;
  });
}

/** Holdings and transactions name a model; the portfolio's, else the order's. */
function requireModel(portfolio: OwnedPortfolio, order: Order): string {
  const modelId = portfolio.doc.model_id ?? order.model_id;
  if (!modelId) throw errors.missingModel({ reason: `Portfolio ${portfolio.id} has no model_id, nor has the order booked into it` });
  return modelId;
}
