import { randomUUID } from 'node:crypto';
import type { EntityWriter, WriteOrigin } from '../../platform/entity/writer.ts';
import type { StoredRecord } from '../../platform/entity/store.ts';
import type { EntityRecord } from '../../platform/entity/entity-records.ts';
import type { EntityReader } from '../../platform/read/entity-reader.ts';
import { errors } from '../../platform/http/errors.ts';
import { cents, decimalOf, ZERO, type Decimal } from '../../platform/money/money.ts';

/** TokenDateRequest, as Hydrogen names its fields. */
export interface BulkRequest {
  date: string;
  buy_transaction_code_id?: string;
  sell_transaction_code_id?: string;
  account_id?: string;
  client_id?: string;
}

/** Whose orders are netted: some accounts', or every order the caller can see (the firm's, for an admin). */
export type BulkScope = { accountIds: string[] } | 'all';

interface Net {
  securityId: string;
  quantity: Decimal;
  value: Decimal;
  orders: EntityRecord<'order'>[];
}

/**
 * Nets the day's orders of some accounts by security into one order each, to send to a broker
 * as a block: bought quantities count up, sold ones down, and the block's price is the
 * quantity-weighted price of the orders. Each order taken in is marked with the block's
 * order_bulk_id (and linked to it by an order_bulk record), so it is never taken in twice. A
 * security whose orders cancel out gets no block order. All or nothing.
 */
export async function bulkOrders(reader: EntityReader, writer: EntityWriter, origin: WriteOrigin, scope: BulkScope, request: BulkRequest) {
  const day = request.date.slice(0, 10);
  const orders =
    scope !== 'all' && scope.accountIds.length === 0
      ? []
      : await reader.records('order', {
          where: { ...(scope === 'all' ? {} : { account_id: { in: scope.accountIds } }), date: day, order_bulk_id: null },
          order: (f) => `${f.column('create_date')}, ${f.column('id')}`,
        });
  if (orders.length === 0) return [];
  const codes = new Map((await reader.byIds('transaction_code', [...new Set(orders.map((o) => o.transaction_code_id))])).map((c) => [c.id, c.doc]));
  const isBuy = (order: EntityRecord<'order'>) =>
    order.transaction_code_id === request.buy_transaction_code_id ||
    (order.transaction_code_id !== request.sell_transaction_code_id && codes.get(order.transaction_code_id)?.is_buy === true);
  const nets = new Map<string, Net>();
  for (const order of orders) {
    const quantity = decimalOf(order.quantity) ?? ZERO;
    const net = nets.get(order.security_id) ?? { securityId: order.security_id, quantity: ZERO, value: ZERO, orders: [] };
    net.quantity = isBuy(order) ? net.quantity.plus(quantity) : net.quantity.minus(quantity);
    net.value = net.value.plus(quantity.times(decimalOf(order.price) ?? ZERO));
    net.orders.push(order);
    nets.set(net.securityId, net);
  }
  const gross = (net: Net) => net.orders.reduce((sum, o) => sum.plus(decimalOf(o.quantity) ?? ZERO), ZERO);
  const blocks = [...nets.values()].filter((net) => !net.quantity.isZero());
  for (const net of blocks) {
    const field = net.quantity.gt(0) ? 'buy_transaction_code_id' : 'sell_transaction_code_id';
    const code = request[field];
    if (!code) throw errors.invalidField({ field, problem: `is required to place the netted ${net.quantity.gt(0) ? 'buy' : 'sell'} orders` });
    if (!codes.has(code) && (await reader.byIds('transaction_code', [code])).length === 0) throw errors.invalidField({ field, problem: `no transaction_code with id ${code}` });
  }
  const bulkId = randomUUID();
  return writer.writeTogether(origin, async ({ create, update }) => {
    const created: StoredRecord[] = [];
    for (const net of blocks) {
      const quantity = net.quantity.abs();
      const price = gross(net).isZero() ? ZERO : net.value.div(gross(net));
      created.push(
        await create('order', {
          date: day,
          order_ticket_id: bulkId,
          order_bulk_id: bulkId,
          order_type: 'bulk',
          security_id: net.securityId,
          transaction_code_id: net.quantity.gt(0) ? request.buy_transaction_code_id : request.sell_transaction_code_id,
          quantity: quantity.toNumber(),
          price: price.toDecimalPlaces(6).toNumber(),
          amount: cents(quantity.times(price)),
        }),
      );
    }
    for (const order of orders) {
      await update('order', order.id, { order_bulk_id: bulkId });
      // An order_bulk link names the order's portfolio and model; an order placed without them is only marked.
      if (!order.portfolio_id || !order.model_id) continue;
      await create('order_bulk', {
        order_bulk_id: bulkId,
        order_id: order.id,
        date: day,
        account_id: order.account_id,
        portfolio_id: order.portfolio_id,
        model_id: order.model_id,
      });
    }
    return created;
  });
}
