import type { FastifyPluginAsync } from 'fastify';
import type { PlatformDeps } from '../deps.ts';
import { deliveryJobKind } from './delivery-job.ts';
import { outboxHook, webhookLifecycleHook } from './outbox.ts';
import { webhookDeliveryRoutes } from './routes.ts';
import { resolveTimings } from './timings.ts';
import { prepareWebhookInput } from './webhook-input.ts';

/**
 * Signed webhooks: checks webhook bodies, records events and their delivery jobs in the writes'
 * own transactions, serves delivery history, and sends deliveries as jobs of the job engine.
 */
export const webhooksPlugin: FastifyPluginAsync<PlatformDeps> = async (app, deps) => {
  const { config, writer, jobs } = deps;
  writer.addPreparer('webhook', prepareWebhookInput(config.webhookAllowPrivate));
  writer.addHook(outboxHook);
  writer.addHook(webhookLifecycleHook);
  jobs.register(
    deliveryJobKind(jobs, {
      writer,
      allowPrivate: config.webhookAllowPrivate,
      timings: resolveTimings(config.webhookTimings),
      log: app.log.child({ component: 'webhooks' }),
    }),
  );

  await app.register(webhookDeliveryRoutes, deps);
};
