import { randomUUID } from 'node:crypto';
import type { DestinationStream } from 'pino';
import Fastify, { type FastifyInstance, type RouteOptions } from 'fastify';
import type { Config } from './config.ts';
import type { Database } from './platform/db/database.ts';
import { answerFrameworkError, registerErrorHandling } from './platform/http/error-handling.ts';
import { answerClientError } from './platform/http/client-errors.ts';
import { createValidatorCompiler } from './platform/http/validation.ts';
import { serializerCompiler } from './platform/http/serialization.ts';
import { healthRoutes } from './platform/http/health.ts';
import { logDestination, logOptions } from './platform/logging/log-options.ts';
import { registerMetrics } from './platform/metrics/metrics-routes.ts';
import { measureRequests } from './platform/metrics/request-metrics.ts';
import { soleServer, type ServerProcesses } from './platform/process/primary.ts';
import { parseJsonBodies } from './platform/http/json-body.ts';
import { lenientInputHooks } from './platform/http/lenient-input-hooks.ts';
import { registerOpenApi } from './platform/openapi/openapi.ts';
import { tokenRoutes } from './platform/auth/token-route.ts';
import { requireBearer } from './platform/auth/bearer.ts';
import { adminRoutes } from './platform/auth/admin-routes.ts';
import { credentialRoutes } from './platform/credentials/credential-routes.ts';
import { adminAuditRoutes } from './platform/audit/admin-audit-routes.ts';
import { mfaResetRoutes, mfaRoutes } from './platform/auth/mfa/routes.ts';
import { tenantRoutes } from './platform/tenant/routes.ts';
import { entityRoutes } from './platform/entity/routes.ts';
import { operatorTenantRoutes } from './platform/tenant/operator-routes.ts';
import { limitCredentialRequests, limitTokenRequests } from './platform/rate-limit/rate-limits.ts';
import { RateLimitWindows } from './platform/rate-limit/windows.ts';
import { buildWritePath } from './write-path.ts';
import { accountPermissionRoutes } from './nucleus/account/account-permission.routes.ts';
import { nucleusEntities } from './nucleus/entities.ts';
import { resourceRoutes } from './nucleus/resource/routes.ts';
import { viewRoutes } from './nucleus/views/routes.ts';
import { bulkRoutes } from './platform/bulk/routes.ts';
import { webhooksPlugin } from './platform/webhooks/plugin.ts';
import { retentionPlugin } from './platform/retention/plugin.ts';
import { registerIdempotency } from './platform/idempotency/idempotency.ts';
import { protonRoutes } from './proton/plugin.ts';
import { electronRoutes } from './electron/plugin.ts';
import { hydroRoutes } from './hydro/plugin.ts';
import { raindropOf } from './hydro/signatures.ts';
import { runInLead, soleProcess, type LeadLink } from './platform/process/lead.ts';
import { JobEngine } from './platform/jobs/engine.ts';
import { answerForwarded } from './platform/process/forwarding.ts';
import { consolePlugin } from './console/plugin.ts';
import { RequestCounter } from './platform/request-counts/counter.ts';
import { requestCountRoutes } from './platform/request-counts/routes.ts';

const WAKE_JOBS = 'wake-jobs';

declare module 'fastify' {
  interface FastifyInstance {
    /** The job engine, for its per-kind figures (JobEngine.figures). */
    jobs: JobEngine;
  }
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

function trustHops(hops: number): (address: string, hop: number) => boolean {
  return (_address, hop) => hop < hops;
}

export interface AppOptions {
  config: Config;
  db: Database;
  /** Where log lines go; standard output when omitted. */
  logStream?: DestinationStream;
  /** Sees every route as it is added, schemas included; for tooling that checks all of them. */
  onRoute?: (route: RouteOptions) => void;
  /** How this process reaches the one running background work and Hydro; itself unless in a cluster. */
  lead?: LeadLink;
  /** What this process learns of the whole server (its workers, their metrics); itself unless in a cluster. */
  processes?: ServerProcesses;
}

export async function buildApp({ config, db, logStream, onRoute, lead = soleProcess(), processes = soleServer() }: AppOptions): Promise<FastifyInstance> {
  const stream = logStream ?? (await logDestination(config.logFormat));
  const app = Fastify({
    logger: { ...logOptions(config.logLevel), ...(stream ? { stream } : {}) },
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : `req_${randomUUID()}`;
    },
    bodyLimit: 5 * 1024 * 1024,
    // Hydrogen's Spring server matched a path with a trailing slash as the path without one.
    routerOptions: { ignoreTrailingSlash: true },
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // Node's defaults let a slow client hold a socket for 300 s; an API's requests are small.
    requestTimeout: config.requestTimeoutMs,
    keepAliveTimeout: config.keepAliveTimeoutMs,
    http: {
      headersTimeout: config.headersTimeoutMs,
      // Node checks the two timeouts above only this often (30 s unless told).
      connectionsCheckingInterval: Math.min(1000, config.headersTimeoutMs),
    },
    // A hop count as proxy-addr counts it (the type declarations only know the function form).
    trustProxy: typeof config.trustProxy === 'number' ? trustHops(config.trustProxy) : config.trustProxy,
    frameworkErrors: answerFrameworkError,
    clientErrorHandler: answerClientError,
  });
  const leniency = { strictFields: config.strictRequestFields };
  app.setValidatorCompiler(createValidatorCompiler(leniency));
  app.setSerializerCompiler(serializerCompiler);
  if (onRoute) app.addHook('onRoute', onRoute);
  // Only JSON is accepted by the APIs; anything else is answered 415 rather than guessed at.
  app.removeContentTypeParser('text/plain');
  parseJsonBodies(app);
  registerErrorHandling(app);
  lenientInputHooks(app);
  app.decorateRequest('auth', null as never);
  measureRequests(app);
  const requestCounter = new RequestCounter(db, app.log);
  requestCounter.attach(app);
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-request-id', request.id);
    done(null, payload);
  });

  // One engine per process, for queueing and for the jobs requests run themselves; the lead's polls.
  const jobs = new JobEngine(db, { log: app.log.child({ component: 'jobs' }), wakeWorker: () => lead.tell(WAKE_JOBS) });
  lead.handle(WAKE_JOBS, () => jobs.wake());
  runInLead(app, lead, jobs);
  app.decorate('jobs', jobs);

  await registerOpenApi(app);
  await app.register(healthRoutes, { db, processes });
  await app.register(retentionPlugin, { db, jobs, lead, intervalMs: config.retentionIntervalMs, webhookHistoryDays: config.webhookHistoryDays });
  answerForwarded(app, lead);
  // One per process: the shares of each window it took serve every API's requests (windows.ts).
  const rateLimitWindows = new RateLimitWindows(db);
  await registerMetrics(app, {
    jobs,
    processes,
    port: config.metricsPort,
    protect: async (scope) => {
      requireBearer(scope, db, 'metrics');
      limitCredentialRequests(scope, rateLimitWindows, config.rateLimits);
    },
  });
  await app.register(tokenRoutes, {
    db,
    tokenLifetimeSeconds: config.tokenLifetimeSeconds,
    raindrop: raindropOf(lead),
    limit: (tokens) => limitTokenRequests(tokens, rateLimitWindows, config.rateLimits),
  });

  const { stores, storesByName, acl, writer } = buildWritePath(db, config);
  await app.register(
    async (admin) => {
      requireBearer(admin, db, 'nucleus');
      limitCredentialRequests(admin, rateLimitWindows, config.rateLimits);
      registerIdempotency(admin, { db });
      await admin.register(adminRoutes, { db, maxPageSize: config.maxPageSize });
      await admin.register(credentialRoutes, { db, maxPageSize: config.maxPageSize });
      await admin.register(mfaResetRoutes, { db });
      await admin.register(tenantRoutes, { db, rateLimits: config.rateLimits });
      await admin.register(operatorTenantRoutes, { db, rateLimits: config.rateLimits, maxPageSize: config.maxPageSize });
      await admin.register(adminAuditRoutes, { db, maxPageSize: config.maxPageSize });
      await admin.register(requestCountRoutes, { db, counter: requestCounter });
    },
    { prefix: '/admin/v1' },
  );
  // Its own bearer check: enrolling the first factor takes the mfa_token, before any access token.
  await app.register(mfaRoutes, { db, raindrop: raindropOf(lead), prefix: '/admin/v1/mfa' });
  await app.register(
    async (nucleus) => {
      requireBearer(nucleus, db, 'nucleus');
      limitCredentialRequests(nucleus, rateLimitWindows, config.rateLimits);
      registerIdempotency(nucleus, { db });
      await nucleus.register(entityRoutes, { db, acl, stores, writer, maxPageSize: config.maxPageSize });
      await nucleus.register(accountPermissionRoutes, { db, acl, writer });
      await nucleus.register(resourceRoutes, { db, maxPageSize: config.maxPageSize });
      await nucleus.register(viewRoutes, { db, acl, stores, writer, maxPageSize: config.maxPageSize });
      await nucleus.register(bulkRoutes, { config, db, stores, writer, lead, jobs });
      await nucleus.register(webhooksPlugin, { config, db, stores, writer, lead, jobs });
    },
    { prefix: '/nucleus/v1' },
  );
  await app.register(
    async (proton) => {
      requireBearer(proton, db, 'proton');
      limitCredentialRequests(proton, rateLimitWindows, config.rateLimits);
      registerIdempotency(proton, { db });
      await proton.register(protonRoutes, { db, acl, stores: storesByName, writer });
    },
    { prefix: '/proton/v1' },
  );
  await app.register(
    async (electron) => {
      requireBearer(electron, db, 'electron');
      limitCredentialRequests(electron, rateLimitWindows, config.rateLimits);
      registerIdempotency(electron, { db });
      await electron.register(electronRoutes, { config, db, stores, writer, lead, jobs });
    },
    { prefix: '/electron/v1' },
  );
  await app.register(
    async (hydro) => {
      requireBearer(hydro, db, 'hydro');
      limitCredentialRequests(hydro, rateLimitWindows, config.rateLimits);
      registerIdempotency(hydro, { db });
      await hydro.register(hydroRoutes, { config, db, lead });
    },
    { prefix: '/hydro/v1' },
  );
  await app.register(consolePlugin, { db, settings: config.console, prefix: '/console' });
  return app;
}
