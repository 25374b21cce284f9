import type { FastifyPluginAsync } from 'fastify';
import type { PlatformDeps } from '../deps.ts';
import { outboxHook, webhookLifecycleHook } from './outbox.ts';
import { webhookDeliveryRoutes } from './routes.ts';
import { resolveTimings } from './timings.ts';
import { prepareWebhookInput } from './webhook-input.ts';
import { DeliveryWorker } from './worker.ts';
import { runInLead } from '../process/lead.ts';

/**
 * Signed webhooks: checks webhook bodies, records events in the writes' own transactions,
 * serves delivery history, and runs the delivery worker from ready to close (in the lead).
 */
export const webhooksPlugin: FastifyPluginAsync<PlatformDeps> = async (app, deps) => {
  const { config, db, writer, lead } = deps;
  writer.addPreparer('webhook', prepareWebhookInput(config.webhookAllowPrivate));
  writer.addHook(outboxHook);
  writer.addHook(webhookLifecycleHook);

  const worker = new DeliveryWorker(db, {
    allowPrivate: config.webhookAllowPrivate,
    timings: resolveTimings(config.webhookTimings),
    log: app.log.child({ component: 'webhooks' }),
  });
  runInLead(app, lead, worker);

  await app.register(webhookDeliveryRoutes, deps);
};
