import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { AuthContext } from '../auth/tokens.ts';
import type { PlatformDeps } from '../deps.ts';
import { errors } from '../http/errors.ts';
import { typedRoutes } from '../http/typed-routes.ts';
import { defaulted } from '../http/typebox-schemas.ts';
import { listQueryProperties } from '../list/paging.ts';
import { errorResponses, pageSchema } from '../openapi/shared-schemas.ts';
import { getDelivery, listDeliveries, requeue } from './deliveries.ts';
import { webhookHealth } from './health.ts';
import { queueTestEvent, TEST_ACTION } from './test-event.ts';

const TAG = 'Webhook';
const EXTENSION = 'Deuterium extension: not part of Hydrogen\'s API.';

const webhookParams = Type.Object({ webhook_id: Type.String({ format: 'uuid' }) });
const deliveryParams = Type.Object({
  webhook_id: Type.String({ format: 'uuid' }),
  delivery_id: Type.String({ format: 'uuid' }),
});

const DELIVERY_STATUSES = ['pending', 'delivered', 'failed', 'cancelled'];
const nullableDate = Type.Union([Type.String({ format: 'date-time' }), Type.Null()]);

const attemptSchema = Type.Object(
  {
    attempt_number: Type.Integer({ description: 'Counts from 1 over the life of the delivery, redeliveries included' }),
    attempt_date: Type.String({ format: 'date-time' }),
    status_code: Type.Union([Type.Integer(), Type.Null()], { description: 'The HTTP status the receiver answered; null when it did not answer' }),
    latency_ms: Type.Union([Type.Integer(), Type.Null()]),
    error: Type.Union([Type.String(), Type.Null()], { description: 'Why the attempt got no answer (connection, timeout, refused address, interruption)' }),
  },
  { title: 'WebhookDeliveryAttempt' },
);

const deliverySchema = Type.Object(
  {
    id: Type.String({ format: 'uuid', description: 'The delivery id sent as x-hydrogen-delivery-id and webhook-id, the same on every attempt' }),
    webhook_id: Type.String({ format: 'uuid' }),
    event_id: Type.String({ format: 'uuid' }),
    service: Type.String({ description: 'The atom_service sent as x-hydrogen-service' }),
    action: Type.String({ enum: ['create', 'update', 'delete', TEST_ACTION], description: 'test for a test event (POST .../test)' }),
    entity: Type.String({ description: 'The Nucleus entity whose record is the body' }),
    record_id: Type.String({ format: 'uuid' }),
    status: Type.String({ enum: DELIVERY_STATUSES }),
    attempt_count: Type.Integer(),
    next_attempt_date: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'When a pending delivery is tried next' }),
    delivered_date: nullableDate,
    create_date: Type.String({ format: 'date-time' }),
    update_date: Type.String({ format: 'date-time' }),
    attempts: Type.Array(attemptSchema),
  },
  { title: 'WebhookDelivery' },
);

const healthSchema = Type.Object(
  {
    webhook_id: Type.String({ format: 'uuid' }),
    state: Type.String({
      enum: ['active', 'inactive', 'paused', 'disabled'],
      description: 'paused: it kept failing; disabled: its receiver answered 410; inactive: a client set is_active to false',
    }),
    consecutive_failures: Type.Integer(),
    failing_since: nullableDate,
    last_success_date: nullableDate,
    last_failure_date: nullableDate,
    paused_date: nullableDate,
    pending_deliveries: Type.Integer(),
  },
  { title: 'WebhookStatus' },
);

/** The lists' paging, in the order deliveries were made; no filter or order_by. */
function deliveryListQuery(maxPageSize: number) {
  const { page, size } = listQueryProperties(maxPageSize);
  return Type.Object({
    page,
    size,
    ascending: defaulted(Type.Boolean({ default: false, description: 'Oldest first instead of newest first' })),
    status: Type.Optional(Type.String({ enum: DELIVERY_STATUSES })),
  });
}

/** Delivery history, redelivery, test events and health of one webhook, under /nucleus/v1/webhook/{webhook_id}. */
export const webhookDeliveryRoutes: FastifyPluginAsync<PlatformDeps> = async (app, { db, writer, config, jobs }) => {
  const routes = typedRoutes(app);
  const webhooks = writer.store('webhook');
  // Delivery history is part of the webhook: whoever may read the webhook may read it.
  const webhookOf = (auth: AuthContext, webhookId: string) =>
    webhooks.get(db, auth.tenantId, webhookId, writer.acl.readScope(auth, 'webhook'));

  routes.get('/webhook/:webhook_id/delivery', {
    config: { errors: [errors.notFound] },
    schema: {
      tags: [TAG],
      summary: 'List the deliveries of a webhook, with their attempts',
      description: `Newest first unless ascending=true. ${EXTENSION}`,
      operationId: 'list_webhook_delivery',
      params: webhookParams,
      querystring: deliveryListQuery(config.maxPageSize),
      response: { 200: pageSchema(deliverySchema, 'WebhookDelivery'), ...errorResponses },
    },
    handler: async (request) => {
      const { webhook_id } = request.params;
      await webhookOf(request.auth, webhook_id);
      return listDeliveries(db, request.auth.tenantId, webhook_id, request.query);
    },
  });

  routes.get('/webhook/:webhook_id/delivery/:delivery_id', {
    config: { errors: [errors.notFound] },
    schema: {
      tags: [TAG],
      summary: 'Retrieve one delivery of a webhook, with its attempts',
      description: EXTENSION,
      operationId: 'get_webhook_delivery',
      params: deliveryParams,
      response: { 200: deliverySchema, ...errorResponses },
    },
    handler: async (request) => {
      const { webhook_id, delivery_id } = request.params;
      await webhookOf(request.auth, webhook_id);
      return getDelivery(db, request.auth.tenantId, webhook_id, delivery_id);
    },
  });

  routes.post('/webhook/:webhook_id/delivery/:delivery_id/redeliver', {
    config: { errors: [errors.notFound, errors.webhookInactive, errors.deliveryBusy] },
    schema: {
      tags: [TAG],
      summary: 'Send a delivery again',
      description:
        'Queues the delivery for an attempt as soon as possible, whatever its status, keeping its delivery id; ' +
        'if that attempt fails it is retried on the usual schedule. The webhook must be active; ' +
        `409 while an attempt of this delivery is in progress. ${EXTENSION}`,
      operationId: 'redeliver_webhook_delivery',
      params: deliveryParams,
      response: { 202: deliverySchema, ...errorResponses },
    },
    handler: async (request, reply) => {
      const { webhook_id, delivery_id } = request.params;
      const tenantId = request.auth.tenantId;
      // Sending again is a change to the webhook's deliveries, so it takes the right to change webhooks.
      writer.acl.checkWriteRole(request.auth, 'webhook', {});
      const webhook = await webhookOf(request.auth, webhook_id);
      if (webhook.is_active === false) {
        throw errors.webhookInactive({ reason: 'The webhook is not active; set is_active to true before redelivering', field: 'is_active' });
      }
      await requeue(db, jobs, tenantId, webhook_id, delivery_id);
      return reply.code(202).send(await getDelivery(db, tenantId, webhook_id, delivery_id));
    },
  });

  routes.post('/webhook/:webhook_id/test', {
    config: { errors: [errors.notFound, errors.webhookInactive] },
    schema: {
      tags: [TAG],
      summary: 'Send a test event to a webhook',
      description:
        'Queues a delivery of a test event (x-hydrogen-service webhook.test, x-deuterium-action test), signed, sent, ' +
        'retried and logged as any other delivery, so it shows in the delivery list. The webhook must be active. ' +
        EXTENSION,
      operationId: 'test_webhook',
      params: webhookParams,
      response: { 202: deliverySchema, ...errorResponses },
    },
    handler: async (request, reply) => {
      const { webhook_id } = request.params;
      const tenantId = request.auth.tenantId;
      // Sending one is a change to the webhook's deliveries, as a redelivery is.
      writer.acl.checkWriteRole(request.auth, 'webhook', {});
      await webhookOf(request.auth, webhook_id);
      const deliveryId = await queueTestEvent(db, jobs, tenantId, webhook_id);
      return reply.code(202).send(await getDelivery(db, tenantId, webhook_id, deliveryId));
    },
  });

  routes.get('/webhook/:webhook_id/status', {
    config: { errors: [errors.notFound] },
    schema: {
      tags: [TAG],
      summary: 'How a webhook\'s deliveries are going, and whether it was paused',
      description: `A paused or disabled webhook also reads is_active false; setting it back to true resumes its pending deliveries. ${EXTENSION}`,
      operationId: 'get_webhook_status',
      params: webhookParams,
      response: { 200: healthSchema, ...errorResponses },
    },
    handler: async (request) => {
      const { webhook_id } = request.params;
      const webhook = await webhookOf(request.auth, webhook_id);
      return webhookHealth(db, request.auth.tenantId, webhook_id, webhook.is_active !== false);
    },
  });
};
