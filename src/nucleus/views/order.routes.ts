import type { TypedRoutes } from '../../platform/http/typed-routes.ts';
import { Type } from 'typebox';
import { originOf } from '../../platform/entity/routes.ts';
import { EntityReader } from '../../platform/read/entity-reader.ts';
import { errorResponses } from '../../platform/openapi/shared-schemas.ts';
import { commitOrders, proposeOrders } from './orders.ts';
import { portfoliosOf } from './ownership.ts';
import type { OrderMode } from './rebalance.ts';
import type { ViewRoutesOptions } from './routes.ts';

const uuid = (description: string) => Type.Optional(Type.String({ format: 'uuid', description }));
const amount = (description: string) => Type.Optional(Type.Number({ minimum: 0, description }));

const AccountPortfolioRebalanceRequest = Type.Object(
  {
    buy_transaction_code_id: uuid('Transaction code of the buy orders; required when there is one'),
    sell_transaction_code_id: uuid('Transaction code of the sell orders; required when there is one'),
    port_threshold: amount('Rebalance a portfolio only when one of its weights is more than this many percentage points off target'),
    buy_threshold: amount('Smallest buy worth placing, in money'),
    sell_threshold: amount('Smallest sale worth placing, in money'),
    non_fractional: Type.Optional(Type.Boolean({ description: 'Whole shares only; buys never spend more than the money there is' })),
    cash_sec_id: uuid("The security that holds the portfolios' cash (counted at a price of 1 when none is stored)"),
    use_cash_available: Type.Optional(Type.Boolean({ description: 'Let the cash above its target fund a rebalance besides the sale proceeds' })),
    use_strategic: Type.Optional(Type.Boolean({ description: "Target the model's strategic weights instead of its current ones" })),
    restrictions_on: Type.Optional(Type.Boolean({ description: 'Leave alone what security_exclusion records restrict from buying or selling' })),
    client_id: uuid("The client whose security exclusions apply; the account's clients when omitted"),
    commit_orders: Type.Optional(Type.Boolean({ description: 'Store the orders (each with an order_track) instead of only proposing them' })),
    cash_portfolio_id: uuid('Accepted for compatibility; each portfolio is funded by its own cash'),
    tenant_id: uuid('Ignored: the tenant is the caller\'s'),
  },
  { title: 'AccountPortfolioRebalanceRequest', additionalProperties: false },
);

const OrderVoClone = Type.Object(
  {
    id: Type.Optional(Type.String({ format: 'uuid', description: 'The stored order, with commit_orders' })),
    account_id: Type.String({ format: 'uuid' }),
    portfolio_id: Type.String({ format: 'uuid' }),
    model_id: Type.Optional(Type.String({ format: 'uuid' })),
    security_id: Type.String({ format: 'uuid' }),
    transaction_code_id: Type.String({ format: 'uuid' }),
    quantity: Type.Number({ description: 'Shares to trade: whole with non_fractional, else to eight places' }),
    price: Type.Number({ description: 'The latest stored price' }),
    amount: Type.Number({ description: 'quantity × price, rounded to the cent' }),
    date: Type.String({ format: 'date-time', description: 'The day the order is for, at midnight UTC (Hydrogen types it as a date-time here)' }),
    order_ticket_id: Type.String({ format: 'uuid', description: 'Shared by the orders of one request' }),
    order_type: Type.String({ description: 'rebalance, buy_only, sell_only or sell_all' }),
    is_read: Type.Boolean(),
  },
  { title: 'OrderVoClone', additionalProperties: false },
);

const MODES: { path: string; mode: OrderMode; summary: string }[] = [
  { path: 'order_rebalance', mode: 'rebalance', summary: 'Orders that rebalance to the models' },
  { path: 'order_buy_only', mode: 'buy_only', summary: 'Buy orders that spend the spare cash toward the models' },
  { path: 'order_sell_only', mode: 'sell_only', summary: 'Sell orders that trim what is over the models' },
  { path: 'order_sell_all', mode: 'sell_all', summary: 'Sell orders for every holding' },
];

const RULES =
  "Each portfolio's target is its model's latest holdings' weights (current_weight, or strategic_weight with use_strategic) times the " +
  'portfolio\'s value at the latest security prices. Overweight securities are sold to target and underweight ones bought with the proceeds ' +
  '(and, with use_cash_available, the cash above its target); when that money falls short, every buy is scaled down alike. Quantities are ' +
  'rounded down (whole shares with non_fractional), trades under buy_threshold or sell_threshold are dropped, restricted securities are left ' +
  'alone with restrictions_on, and with port_threshold a portfolio is left alone unless a weight is further off target than it. buy_only ' +
  'spends the cash above its target; sell_all ignores the targets. Without commit_orders the orders are only proposed (200); with it they ' +
  'are stored with an order_track in status "new" (201). A held or targeted security without a price is refused with 422.';

/** Orders are stored with a date; the response type Hydrogen gives them carries a date-time. */
function asOrderVo<T extends { date: string }>(order: T): T {
  return { ...order, date: `${order.date.slice(0, 10)}T00:00:00.000Z` };
}

/** POST /account/{id}/… and /portfolio/{id}/… order_rebalance, order_buy_only, order_sell_only, order_sell_all. */
export function orderRoutes(app: TypedRoutes, options: ViewRoutesOptions): void {
  for (const owner of ['account', 'portfolio'] as const) {
    const idParam = `${owner}_id`;
    for (const { path, mode, summary } of MODES) {
      app.post(`/${owner}/:${idParam}/${path}`, {
        schema: {
          tags: ['Order'],
          summary: `${summary}, for ${owner === 'account' ? "each of an account's portfolios" : 'a portfolio'}`,
          description: RULES,
          operationId: `create_${owner}_${path}`,
          params: Type.Object({ [idParam]: Type.String({ format: 'uuid' }) }),
          body: AccountPortfolioRebalanceRequest,
          response: { 200: Type.Array(OrderVoClone), 201: Type.Array(OrderVoClone), ...errorResponses },
        },
        handler: async (request, reply) => {
          const body = request.body;
          const reader = EntityReader.asCaller(options, request.auth);
          const portfolios = await portfoliosOf(reader, { kind: owner, id: request.params[idParam] });
          const orders = await proposeOrders(reader, portfolios, body, mode);
          if (!body.commit_orders) return reply.code(200).send(orders.map(asOrderVo));
          return reply.code(201).send((await commitOrders(reader, options.writer, originOf(request), orders)).map(asOrderVo));
        },
      });
    }
  }
}
