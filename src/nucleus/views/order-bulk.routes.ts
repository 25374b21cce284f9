import type { TypedRoutes } from '../../platform/http/typed-routes.ts';
import { Type } from 'typebox';
import { originOf } from '../../platform/entity/routes.ts';
import { EntityReader } from '../../platform/read/entity-reader.ts';
import { errors } from '../../platform/http/errors.ts';
import { errorResponses } from '../../platform/openapi/shared-schemas.ts';
import { bulkOrders, type BulkRequest, type BulkScope } from './order-bulk.ts';
import { accountsOfClients } from './ownership.ts';
import type { ViewRoutesOptions } from './routes.ts';

const uuid = (description: string) => Type.Optional(Type.String({ format: 'uuid', description }));

/** Whose orders the firm-wide request nets is said in the body; under an account or a client, by the path. */
function tokenDateRequest(narrowsInBody: boolean) {
  return Type.Object(
    {
      date: Type.String({ minLength: 10, pattern: '^\\d{4}-\\d{2}-\\d{2}', description: 'The day whose orders are netted (a date, or a date-time whose day counts)' }),
      buy_transaction_code_id: uuid('Transaction code of the netted buy orders; required when there is one'),
      sell_transaction_code_id: uuid('Transaction code of the netted sell orders; required when there is one'),
      account_id: uuid(narrowsInBody ? "Net only this account's orders" : 'Ignored: the account is the one in the path'),
      client_id: uuid(narrowsInBody ? "Net only the orders of the accounts listing this client (account_id wins when both are given)" : 'Ignored: the client is the one in the path'),
      tenant_id: uuid("Ignored: the tenant is the caller's"),
    },
    { title: 'TokenDateRequest', additionalProperties: false },
  );
}

const RULES =
  "The orders of the day not yet in a block are netted by security (buys count up, sells down) into one order each, priced at the " +
  "orders' quantity-weighted price; each order taken in gets the block's order_bulk_id and an order_bulk record linking it. " +
  'Securities whose orders cancel out get no block. Returns the block orders.';

/** The firm-wide request's narrowing, from the body; a named account or client must be one the caller can see. */
async function scopeOfBody(reader: EntityReader, body: BulkRequest): Promise<BulkScope> {
  if (body.account_id) {
    if ((await reader.byIds('account', [body.account_id])).length === 0) throw errors.invalidField({ field: 'account_id', problem: `no account with id ${body.account_id}` });
    return { accountIds: [body.account_id] };
  }
  if (body.client_id) {
    if ((await reader.byIds('client', [body.client_id])).length === 0) throw errors.invalidField({ field: 'client_id', problem: `no client with id ${body.client_id}` });
    return { accountIds: (await accountsOfClients(reader, [body.client_id])).map((a) => a.id) };
  }
  return 'all';
}

/** POST /order_bulk, /account/{id}/order_bulk and /client/{id}/order_bulk. */
export function orderBulkRoutes(app: TypedRoutes, options: ViewRoutesOptions): void {
  const order = { ...options.stores.get('order')!.schemas.record, $id: undefined };
  const response = { 201: { type: 'array', items: order }, ...errorResponses };

  app.post('/order_bulk', {
    schema: {
      tags: ['Order'],
      summary: "Net the day's orders of the firm into block orders",
      description: `${RULES} Every order of the day the caller can see is netted, or only those of the account_id or client_id given.`,
      operationId: 'create_order_bulk',
      body: tokenDateRequest(true),
      response,
    },
    handler: async (request, reply) => {
      const body = request.body;
      const reader = EntityReader.asCaller(options, request.auth);
      return reply.code(201).send(await bulkOrders(reader, options.writer, originOf(request), await scopeOfBody(reader, body), body));
    },
  });

  for (const owner of ['account', 'client'] as const) {
    const idParam = `${owner}_id`;
    app.post(`/${owner}/:${idParam}/order_bulk`, {
      schema: {
        tags: ['Order'],
        summary: `Net the day's orders of ${owner === 'account' ? 'an account' : "a client's accounts"} into block orders`,
        description: RULES,
        operationId: `create_${owner}_order_bulk`,
        params: Type.Object({ [idParam]: Type.String({ format: 'uuid' }) }),
        body: tokenDateRequest(false),
        response,
      },
      handler: async (request, reply) => {
        const id = request.params[idParam];
        const reader = EntityReader.asCaller(options, request.auth);
        await reader.doc(owner, id);
        const accountIds = owner === 'account' ? [id] : (await accountsOfClients(reader, [id])).map((a) => a.id);
        return reply.code(201).send(await bulkOrders(reader, options.writer, originOf(request), { accountIds }, request.body));
      },
    });
  }
}
