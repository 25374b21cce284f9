import { system } from '../../platform/entity/system-origin.ts';
import { randomUUID } from 'node:crypto';
import { errors } from '../../platform/http/errors.ts';
import type { EntityWriter, WriteOrigin } from '../../platform/entity/writer.ts';
import { loadDated, type DatedRow } from '../../platform/read/dated-rows.ts';
import type { EntityReader } from '../../platform/read/entity-reader.ts';
import { cents, decimalOf, ONE, ZERO, type Decimal } from '../../platform/money/money.ts';
import type { OwnedPortfolio } from './ownership.ts';
import { rebalance, type OrderMode, type RebalanceOptions } from './rebalance.ts';
import { MODEL_HOLDINGS, PORTFOLIO_HOLDINGS, SECURITY_PRICES } from './sources.ts';

/** AccountPortfolioRebalanceRequest, as Hydrogen names its fields. */
export interface RebalanceRequest {
  buy_threshold?: number;
  sell_threshold?: number;
  port_threshold?: number;
  buy_transaction_code_id?: string;
  sell_transaction_code_id?: string;
  cash_sec_id?: string;
  cash_portfolio_id?: string;
  client_id?: string;
  commit_orders?: boolean;
  non_fractional?: boolean;
  restrictions_on?: boolean;
  use_cash_available?: boolean;
  use_strategic?: boolean;
}

export interface ProposedOrder {
  id?: string;
  account_id: string;
  portfolio_id: string;
  model_id?: string;
  security_id: string;
  transaction_code_id: string;
  quantity: number;
  price: number;
  amount: number;
  date: string;
  order_ticket_id: string;
  order_type: OrderMode;
  is_read: boolean;
}

/** Each group's rows by security, the last correction of a row winning. */
function latestLines(rows: DatedRow[], item: (row: DatedRow) => string = (row) => String(row.security)): Map<string, Map<string, DatedRow>> {
  const byGroup = new Map<string, Map<string, DatedRow>>();
  for (const row of rows) {
    const lines = byGroup.get(row.group) ?? new Map<string, DatedRow>();
    const earlier = lines.get(item(row));
    if (!earlier || earlier.at <= row.at) lines.set(item(row), row);
    byGroup.set(row.group, lines);
  }
  return byGroup;
}

/** Securities the request may not trade: the security exclusions of its client, account or portfolio. */
async function exclusions(reader: EntityReader, clientIds: string[], portfolio: OwnedPortfolio) {
  const rows = await reader.rows('security_exclusion', {
    where: { client_id: { in: clientIds } },
    and: (f, p) =>
      `(${f.text('account_id')} IS NULL OR ${f.text('account_id')} = ${p.add(portfolio.accountId)})
         AND (${f.text('portfolio_id')} IS NULL OR ${f.text('portfolio_id')} = ${p.add(portfolio.id)})`,
  });
  return {
    noBuy: new Set(rows.filter((r) => r.doc.is_restrict_buy === true).map((r) => r.doc.security_id)),
    noSell: new Set(rows.filter((r) => r.doc.is_restrict_sell === true).map((r) => r.doc.security_id)),
  };
}

async function requireCode(reader: EntityReader, field: 'buy_transaction_code_id' | 'sell_transaction_code_id', id: string | undefined, side: string) {
  if (!id) throw errors.invalidField({ field, problem: `is required to place ${side} orders` });
  const [code] = await reader.byIds('transaction_code', [id]);
  if (!code) throw errors.invalidField({ field, problem: `no transaction_code with id ${id}` });
  return id;
}

/**
 * The orders that bring each portfolio to its model (see rebalance.ts), as Hydrogen's order
 * records. Holdings and model weights are the latest snapshots, prices the latest ones; a
 * held or targeted security without a price cannot be valued and is refused with 422.
 */
export async function proposeOrders(reader: EntityReader, portfolios: OwnedPortfolio[], request: RebalanceRequest, mode: OrderMode): Promise<ProposedOrder[]> {
  const holdingRows = await loadDated(reader, PORTFOLIO_HOLDINGS, portfolios.map((p) => p.id), {}, { latestOnly: true });
  const holdings = latestLines(holdingRows);
  const modelIds = [...new Set(portfolios.map((p) => p.doc.model_id).filter((m): m is string => !!m))];
  const models = latestLines(await loadDated(reader, MODEL_HOLDINGS, modelIds, {}, { latestOnly: true }));
  const securities = new Set([...holdingRows.map((r) => String(r.security)), ...[...models.values()].flatMap((lines) => [...lines.keys()])]);
  const priceRows = latestLines(await loadDated(reader, SECURITY_PRICES, [...securities], {}, { latestOnly: true }), (row) => row.group);
  const prices = new Map([...priceRows].map(([id, lines]) => [id, decimalOf(lines.get(id)!.price)!]));
  // Cash is counted in its own units when no price is stored for it.
  if (request.cash_sec_id && !prices.has(request.cash_sec_id)) prices.set(request.cash_sec_id, ONE);
  const unpriced = [...securities].filter((s) => !prices.has(s));
  if (unpriced.length > 0) throw errors.missingPrice({ reason: `No security_price for ${unpriced.join(', ')}: the portfolio cannot be valued` });

  const options: RebalanceOptions = {
    portThreshold: decimalOf(request.port_threshold),
    buyThreshold: decimalOf(request.buy_threshold),
    sellThreshold: decimalOf(request.sell_threshold),
    nonFractional: request.non_fractional === true,
    useCashAvailable: request.use_cash_available === true,
  };
  const ticket = randomUUID();
  const date = new Date().toISOString().slice(0, 10);
  const orders: ProposedOrder[] = [];
  for (const portfolio of portfolios) {
    const modelId = portfolio.doc.model_id;
    if (!modelId && mode !== 'sell_all') continue;
    const held = holdings.get(portfolio.id) ?? new Map();
    const targets = new Map([...(models.get(modelId ?? '') ?? new Map()).values()].map((line) => [
      String(line.security),
      decimalOf(request.use_strategic ? line.strategic_weight : line.current_weight) ?? ZERO,
    ]));
    const account = await reader.doc('account', portfolio.accountId);
    const clientIds = request.client_id ? [request.client_id] : (account.clients ?? []).map((c) => c.client_id);
    const restricted = request.restrictions_on ? await exclusions(reader, clientIds, portfolio) : { noBuy: new Set<string>(), noSell: new Set<string>() };
    const trades = rebalance(
      {
        holdings: new Map([...held.values()].map((line) => [String(line.security), decimalOf(line.shares) ?? ZERO] as [string, Decimal])),
        prices,
        targets,
        cashSecurityId: request.cash_sec_id,
        ...restricted,
      },
      mode,
      options,
    );
    for (const trade of trades) {
      const code =
        trade.side === 'buy'
          ? await requireCode(reader, 'buy_transaction_code_id', request.buy_transaction_code_id, 'buy')
          : await requireCode(reader, 'sell_transaction_code_id', request.sell_transaction_code_id, 'sell');
      orders.push({
        account_id: portfolio.accountId,
        portfolio_id: portfolio.id,
        ...(modelId ? { model_id: modelId } : {}),
        security_id: trade.securityId,
        transaction_code_id: code,
        quantity: trade.quantity.toNumber(),
        price: trade.price.toNumber(),
        amount: cents(trade.amount),
        date,
        order_ticket_id: ticket,
        order_type: mode,
        is_read: false,
      });
    }
  }
  return orders;
}

/** The tenant's "new" order_status, which new orders are tracked with, if it has one yet. */
async function newStatus(reader: EntityReader): Promise<string | undefined> {
  const [existing] = await reader.rows('order_status', {
    and: (f, p) => `lower(${f.text('status')}) = ${p.add('new')}`,
    order: (f) => f.column('create_date'),
    limit: 1,
  });
  return existing?.id;
}

/**
 * Stores the orders, each with an order_track in status "new", all or none. The status is the
 * firm's reference data, made the first time by the server itself (a system write, audited to the caller): a
 * client login may commit its own orders but may not write the firm's order statuses.
 */
export async function commitOrders(reader: EntityReader, writer: EntityWriter, origin: WriteOrigin, orders: ProposedOrder[]): Promise<ProposedOrder[]> {
  if (orders.length === 0) return orders;
  // A caller that may not write orders at all makes no status either.
  writer.acl.checkWriteRole(origin.auth, 'order', {});
  const firm = system('the order status "new" every order starts in', { ...origin.auth, requestId: origin.requestId, method: origin.method, url: origin.url });
  const status = (await newStatus(reader)) ?? (await writer.create('order_status', { status: 'new', description: 'Placed, not yet sent to a broker' }, firm)).id;
  return writer.writeTogether(origin, async ({ create }) => {
    const stored: ProposedOrder[] = [];
    for (const order of orders) {
      const record = await create('order', order);
      await create('order_track', { order_id: record.id, order_status_id: status, date: order.date, quantity: order.quantity, price: order.price });
      stored.push({ ...order, id: record.id });
    }
    return stored;
  });
}
