import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import { CalculationError } from '../calculation-error.ts';
import { EntityReader } from '../../platform/read/entity-reader.ts';
import type { NucleusAccess } from '../nucleus-records.ts';
import { requireNamed } from './named-records.ts';
import { registerOperation } from '../operation-route.ts';
import { proposeOrders, type ProposedOrder } from '../../nucleus/views/orders.ts';
import { portfoliosOf } from '../../nucleus/views/ownership.ts';
import type { OrderMode } from '../../nucleus/views/rebalance.ts';
import { OrderRebalanceRequest, OrderRebalanceResponse } from './order-rebalance.schema.ts';

type Body = Static<typeof OrderRebalanceRequest>;

const MODE: Record<Body['order_scope'], OrderMode> = { all: 'rebalance', buy_only: 'buy_only', sell_only: 'sell_only' };

/** The security a model keeps its cash in: its holding marked is_cash, if any. */
async function cashSecurity(reader: EntityReader, modelId: unknown): Promise<string | undefined> {
  if (typeof modelId !== 'string') return undefined;
  const [cash] = await reader.rows('model_holding', {
    where: { model_id: modelId, is_cash: true },
    order: (f) => `${f.text('date')} DESC, ${f.column('create_date')} DESC`,
    limit: 1,
  });
  return cash ? String(cash.doc.security_id) : undefined;
}

export function orderRebalanceRoutes(app: FastifyInstance, nucleus: NucleusAccess): void {
  registerOperation<Body>(app, nucleus, {
    path: '/order_rebalance',
    operationId: 'orderRebalance',
    tag: 'Util',
    summary: 'Orders that bring a portfolio, or an account\'s portfolios, to their models',
    description:
      "Nucleus's rebalancing: each portfolio's target is its model's latest weights (current_weight, or strategic_weight with use_strategic) " +
      "times the portfolio's value at the latest prices. Overweight securities are sold to target and underweight ones bought with the " +
      'proceeds (and, with use_cash_available, the cash above its target); when that money falls short every buy is scaled down alike. ' +
      'Quantities are rounded down, trades under buy_threshold or sell_threshold dropped, restricted securities left alone with ' +
      'restrictions_on, and with port_threshold a portfolio is left alone unless a weight is further off target than it. A portfolio ' +
      "without a model gets no orders. A held or targeted security without a price is refused with 422.",
    body: OrderRebalanceRequest,
    response: OrderRebalanceResponse,
    solve: async (body, auth) => {
      const reader = EntityReader.asCaller(nucleus, auth);
      await requireNamed(nucleus, auth, { portfolio: body.cash_portfolio_id, account: body.account_id });
      const owner = body.portfolio_id ? { kind: 'portfolio' as const, id: body.portfolio_id } : body.account_id ? { kind: 'account' as const, id: body.account_id } : undefined;
      if (!owner) throw new CalculationError('account_id', 'name the account, or the portfolio, to rebalance');
      const orders: ProposedOrder[] = [];
      for (const portfolio of await portfoliosOf(reader, owner)) {
        const cash_sec_id = await cashSecurity(reader, portfolio.doc.model_id);
        orders.push(...(await proposeOrders(reader, [portfolio], { ...body, cash_sec_id, commit_orders: false }, MODE[body.order_scope])));
      }
      const ticket = orders[0]?.order_ticket_id;
      // is_read is a field of a stored Nucleus order; these are proposals, so it is not theirs.
      return { orders: orders.map(({ is_read: _stored, ...order }) => ({ ...order, order_ticket_id: ticket })), committed: false };
    },
  });
}
