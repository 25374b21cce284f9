import { randomUUID } from 'node:crypto';
import type { DestinationStream } from 'pino';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Config } from './config.ts';
import type { Database } from './platform/db/database.ts';
import { registerErrorHandling } from './platform/http/error-handling.ts';
import { validatorCompiler } from './platform/http/validation.ts';
import { healthRoutes } from './platform/http/health.ts';
import { registerOpenApi } from './platform/openapi/openapi.ts';
import { tokenRoute } from './platform/auth/token-route.ts';
import { requireBearer } from './platform/auth/bearer.ts';
import { entityRoutes } from './platform/entity/routes.ts';
import { buildStores } from './platform/entity/registry.ts';
import { EntityWriter } from './platform/entity/writer.ts';
import { nucleusEntities } from './nucleus/entities.ts';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;
const SECRET_PARAMS = /([?&](?:password|client_secret)=)[^&]*/gi;

function loggerOptions(level: string, stream?: DestinationStream): FastifyServerOptions['logger'] {
  return {
    level,
    ...(stream ? { stream } : {}),
    serializers: {
      // Hydrogen's password grant puts the password in the query string; it must never reach a log.
      req: (req: { method: string; url: string; ip?: string }) => ({
        method: req.method,
        url: req.url.replace(SECRET_PARAMS, '$1[redacted]'),
        remoteAddress: req.ip,
      }),
    },
  };
}

export interface AppOptions {
  config: Config;
  db: Database;
  /** Where log lines go; standard output when omitted. */
  logStream?: DestinationStream;
}

export async function buildApp({ config, db, logStream }: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions(config.logLevel, logStream),
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : `req_${randomUUID()}`;
    },
    bodyLimit: 5 * 1024 * 1024,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });
  app.setValidatorCompiler(validatorCompiler);
  // Only JSON is accepted by the APIs; anything else is answered 415 rather than guessed at.
  app.removeContentTypeParser('text/plain');
  registerErrorHandling(app);
  app.decorateRequest('auth', null as never);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  await registerOpenApi(app);
  await app.register(healthRoutes, { db });
  await app.register(tokenRoute, { prefix: '/authorization/v1', db, tokenLifetimeSeconds: config.tokenLifetimeSeconds });

  const stores = buildStores(nucleusEntities);
  const writer = new EntityWriter(db, new Map(stores.map((s) => [s.declaration.name, s])));
  await app.register(
    async (nucleus) => {
      requireBearer(nucleus, db);
      await nucleus.register(entityRoutes, { db, stores, writer, maxPageSize: config.maxPageSize });
    },
    { prefix: '/nucleus/v1' },
  );
  return app;
}
