import type { FastifyPluginAsync } from 'fastify';
import type { PlatformDeps } from '../deps.ts';
import { deliveryJobKind } from './delivery-job.ts';
import { webhookDeliveryRoutes } from './routes.ts';
import { resolveTimings } from './timings.ts';

/**
 * Signed webhooks: serves delivery history and sends deliveries as jobs of the job engine. The
 * writes' own transactions record events and their deliveries (the outbox hook, in the write
 * path: src/write-path.ts).
 */
export const webhooksPlugin: FastifyPluginAsync<PlatformDeps> = async (app, deps) => {
  const { config, writer, jobs } = deps;
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
