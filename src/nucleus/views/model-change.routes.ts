import type { TypedRoutes } from '../../platform/http/typed-routes.ts';
import { Type } from 'typebox';
import { originOf } from '../../platform/entity/routes.ts';
import { EntityReader } from '../../platform/read/entity-reader.ts';
import { errorResponses } from '../../platform/openapi/shared-schemas.ts';
import { changeModel } from './model-change.ts';
import { reconcileFields } from './order-reconciliation.routes.ts';
import type { ViewRoutesOptions } from './routes.ts';

const uuid = (description: string) => Type.Optional(Type.String({ format: 'uuid', description }));

const ModelChangeRequest = Type.Object(
  {
    ...reconcileFields,
    account_id: uuid('Accepted for compatibility; a model change concerns no account'),
    portfolio_id: uuid('Accepted for compatibility; a model change concerns no portfolio'),
    order_track_ids: Type.Optional(Type.Array(Type.String({ format: 'uuid' }), { description: 'Accepted for compatibility; a model change books no orders' })),
    non_fractional: Type.Optional(Type.Boolean({ description: 'Whole shares only in the model transactions, rounded down' })),
    date: Type.Optional(Type.String({ format: 'date', description: 'The day of the change (with holdings); today when omitted' })),
    holdings: Type.Optional(
      Type.Array(
        Type.Object(
          {
            security_id: Type.String({ format: 'uuid' }),
            current_weight: Type.Number({ minimum: 0, maximum: 100, description: 'Percent of the model' }),
            strategic_weight: Type.Number({ minimum: 0, maximum: 100, description: 'Percent of the model in the long run' }),
          },
          { additionalProperties: false },
        ),
        { description: "The model's holdings after the change, stored as its snapshot of date. Without it the change is the latest snapshot against the one before" },
      ),
    ),
    buy_transaction_code_id: uuid("Transaction code of the model's buys; the tenant's first code with is_buy true when omitted"),
    sell_transaction_code_id: uuid("Transaction code of the model's sales; the tenant's first code with is_buy false when omitted"),
  },
  { title: 'ModelChangeRequest', additionalProperties: false },
);

/** POST /model/{id}/model_change. */
export function modelChangeRoutes(app: TypedRoutes, options: ViewRoutesOptions): void {
  app.post('/model/:model_id/model_change', {
    schema: {
      tags: ['Model'],
      summary: "Record a change of a model's holdings as model transactions",
      description:
        'With holdings, the change is from the latest snapshot as of date to those holdings, which are stored as model_holding records of ' +
        'date (a security left out at weight 0), so rebalancing targets them from then on. Without, it is the latest snapshot against the ' +
        'one before, recorded once (409 after). Each security whose current weight moved gets a buy or sale of the change times the ' +
        "model's value (its latest model_asset_size, else a notional 100) at its latest price. 422 when such a security has no price.",
      operationId: 'create_model_change',
      params: Type.Object({ model_id: Type.String({ format: 'uuid' }) }),
      body: ModelChangeRequest,
      response: { 201: { type: 'array', items: { ...options.stores.get('model_transaction')!.schemas.record, $id: undefined } }, ...errorResponses },
    },
    handler: async (request, reply) => {
      const reader = EntityReader.asCaller(options, request.auth);
      const { model_id } = request.params;
      return reply.code(201).send(await changeModel(reader, options.writer, originOf(request), model_id, request.body));
    },
  });
}
