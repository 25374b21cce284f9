import type { TypedRoutes } from '../../platform/http/typed-routes.ts';
import { Type } from 'typebox';
import { originOf } from '../../platform/entity/routes.ts';
import { EntityReader } from '../../platform/read/entity-reader.ts';
import { errorResponses } from '../../platform/openapi/shared-schemas.ts';
import { reconcileOrders } from './order-reconciliation.ts';
import { portfoliosOf } from './ownership.ts';
import type { ViewRoutesOptions } from './routes.ts';

const uuid = (description: string) => Type.Optional(Type.String({ format: 'uuid', description }));
const ids = (description: string) => Type.Array(Type.String({ format: 'uuid' }), { description });

/** Hydrogen's OrderReconcileRequest, which it also takes for a model change. */
export const reconcileFields = {
  account_id: uuid('Only the portfolios of this account'),
  portfolio_id: uuid('Only this portfolio'),
  order_track_ids: Type.Optional(Type.Array(Type.String({ format: 'uuid' }), { description: "The order tracks to book; every order of the portfolios not booked yet (each at its latest track) when omitted" })),
  non_fractional: Type.Optional(Type.Boolean({ description: 'Book whole shares only, rounding each fill down' })),
  tenant_id: uuid("Ignored: the tenant is the caller's"),
};

const OrderReconcileRequest = Type.Object(reconcileFields, { title: 'OrderReconcileRequest', additionalProperties: false });

const num = (description: string) => Type.Number({ description });
const SecurityReconciliation = Type.Object(
  {
    portfolio_id: Type.String({ format: 'uuid' }),
    security_id: Type.String({ format: 'uuid' }),
    ordered_shares: num('Net shares the booked orders asked for: buys count up, sells down'),
    filled_shares: num('Net shares booked: as the tracks filled them (whole with non_fractional)'),
    unfilled_shares: num('ordered_shares − filled_shares: what the orders asked for and the holdings did not get'),
    ordered_amount: num('Net amount of the orders, rounded to the cent'),
    filled_amount: num('Net amount booked (filled shares × fill price), rounded to the cent'),
    held_shares: num('Shares held before, in the latest holdings'),
    reconciled_shares: num('Shares held after: held_shares + filled_shares'),
  },
  { title: 'SecurityReconciliation', additionalProperties: false },
);

const OrderReconcileReturnObject = Type.Object(
  {
    account_id: ids('Accounts whose portfolios got records'),
    portfolio_id: ids('Portfolios that got records'),
    portfolio_transaction_id: ids('One transaction per order booked'),
    portfolio_holding_id: ids("The new holdings snapshot's lines, one per security of each portfolio"),
    portfolio_asset_size_id: ids('One asset size per portfolio whose every holding has a price'),
    securities: Type.Array(SecurityReconciliation, { description: 'Per portfolio and security: ordered against filled and held' }),
  },
  { title: 'OrderReconcileReturnObject', additionalProperties: false },
);

/** POST /account/{id}/order_reconciliation and /portfolio/{id}/order_reconciliation. */
export function orderReconciliationRoutes(app: TypedRoutes, options: ViewRoutesOptions): void {
  for (const owner of ['account', 'portfolio'] as const) {
    const idParam = `${owner}_id`;
    app.post(`/${owner}/:${idParam}/order_reconciliation`, {
      schema: {
        tags: ['Order'],
        summary: `Book the executed orders of ${owner === 'account' ? "an account's portfolios" : 'a portfolio'} into its records`,
        description:
          'Each order (filled with the quantity and price of its track, else as ordered) becomes a portfolio_transaction that names it in ' +
          "metadata.order_id, so it is never booked twice. Each portfolio touched gets a new holdings snapshot, its latest holdings moved by " +
          'the fills and valued at the latest prices, and an asset size when every holding has a price. Returns the ids written and, per ' +
          'security, what was ordered against what was filled and held. 201 when something was booked, 200 when nothing was left to book; ' +
          '422 when a sale exceeds what is held, a transaction code does not say its side, or a portfolio has no model.',
        operationId: `create_${owner}_order_reconciliation`,
        params: Type.Object({ [idParam]: Type.String({ format: 'uuid' }) }),
        body: OrderReconcileRequest,
        response: { 200: OrderReconcileReturnObject, 201: OrderReconcileReturnObject, ...errorResponses },
      },
      handler: async (request, reply) => {
        const reader = EntityReader.asCaller(options, request.auth);
        const portfolios = await portfoliosOf(reader, { kind: owner, id: request.params[idParam] });
        const result = await reconcileOrders(reader, options.writer, originOf(request), portfolios, request.body);
        return reply.code(result.portfolio_transaction_id.length > 0 ? 201 : 200).send(result);
      },
    });
  }
}
