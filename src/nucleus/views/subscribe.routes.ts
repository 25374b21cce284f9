import type { TypedRoutes } from '../../platform/http/typed-routes.ts';
import { Type } from 'typebox';
import { originOf } from '../../platform/entity/routes.ts';
import { EntityReader } from '../../platform/read/entity-reader.ts';
import type { JsonSchema } from '../../platform/entity/schemas.ts';
import { errors } from '../../platform/http/errors.ts';
import { errorResponses } from '../../platform/openapi/shared-schemas.ts';
import { decimalOf, HUNDRED, rounded, ZERO } from '../../platform/money/money.ts';
import { modelsOfAllocation } from './ownership.ts';
import type { ViewRoutesOptions } from './routes.ts';

interface Subscription {
  account_id?: string;
  allocation_id: string;
  current_weight: number;
  strategic_weight: number;
  date: string;
  goal_id?: string;
}

/** POST /account/{id}/subscribe. */
export function subscribeRoutes(app: TypedRoutes, options: ViewRoutesOptions): void {
  const mapping = options.stores.get('account_allocation')!.schemas.create as JsonSchema;
  // The account is the one in the path, so the body may leave it out.
  const body = { ...mapping, required: (mapping.required ?? []).filter((field) => field !== 'account_id') };
  const portfolio = { ...options.stores.get('portfolio')!.schemas.record, $id: undefined };
  app.post('/account/:account_id/subscribe', {
    schema: {
      tags: ['Account'],
      summary: 'Subscribe an account to an allocation',
      description:
        "Records the account's allocation (an account_allocation) and creates one portfolio per model of the allocation's latest " +
        "composition, named after the model, with percentage = the model's current_weight in the allocation × the account's " +
        'current_weight on it / 100. All or nothing; returns the portfolios created.',
      operationId: 'subscribe_account',
      params: Type.Object({ account_id: Type.String({ format: 'uuid' }) }),
      body,
      response: { 201: { type: 'array', items: portfolio }, ...errorResponses },
    },
    handler: async (request, reply) => {
      const accountId = request.params.account_id;
      // The body schema is the account_allocation entity's, built at run time, so its type is not known here to infer from.
      const subscription = request.body as Subscription;
      if (subscription.account_id && subscription.account_id !== accountId) {
        throw errors.invalidField({ field: 'account_id', problem: 'must be the account in the path, or left out' });
      }
      const reader = EntityReader.asCaller(options, request.auth);
      await reader.doc('account', accountId);
      const [allocation] = await reader.byIds('allocation', [subscription.allocation_id]);
      if (!allocation) throw errors.invalidField({ field: 'allocation_id', problem: `no allocation with id ${subscription.allocation_id}` });
      const models = await modelsOfAllocation(reader, subscription.allocation_id);
      const names = new Map((await reader.byIds('model', models.map((m) => m.modelId))).map((m) => [m.id, m.doc.name]));
      const accountWeight = decimalOf(subscription.current_weight) ?? ZERO;
      const portfolios = await options.writer.writeTogether(originOf(request), async ({ create }) => {
        await create('account_allocation', { ...subscription, account_id: accountId });
        const created = [];
        for (const model of models) {
          created.push(
            await create('portfolio', {
              name: names.get(model.modelId) ?? model.modelId,
              account_id: accountId,
              model_id: model.modelId,
              percentage: rounded(model.currentWeight.times(accountWeight).div(HUNDRED), 4),
            }),
          );
        }
        return created;
      });
      return reply.code(201).send(portfolios);
    },
  });
}
