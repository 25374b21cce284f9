import { typedRoutes } from '../platform/http/typed-routes.ts';
import type { FastifyPluginAsync } from 'fastify';
import type { PlatformDeps } from '../platform/deps.ts';
import { requireSandbox } from '../platform/tenant/environment.ts';
import { achRoutes } from './ach.routes.ts';
import { cardRoutes } from './card.routes.ts';
import { CardTransactions } from './card-transactions.ts';
import { cardholderRoutes } from './cardholder.routes.ts';
import type { Electron } from './context.ts';
import { Fixtures } from './fixtures.ts';
import { fundsRoutes } from './funds.routes.ts';
import { driveHere, movementJobKind } from './movement-job.ts';
import { MovementRunner } from './movement-runner.ts';
import { Movements } from './movements.ts';
import { Processors } from './processors.ts';
import { purchaseRoutes } from './purchase.routes.ts';
import { ElectronRecords } from './records.ts';
import { reserveRoutes } from './reserve.routes.ts';
import { SandboxProcessor } from './sandbox/sandbox-processor.ts';
import { spendingControlRoutes } from './spending-control.routes.ts';

/** Electron under /electron/v1: the card back office, over the tenant's card processor. */
export const electronRoutes: FastifyPluginAsync<PlatformDeps> = async (app, { config, db, stores, writer, jobs }) => {
  const nucleus = { db, stores: new Map(stores.map((s) => [s.declaration.name, s])), acl: writer.acl };
  const processors = new Processors([new SandboxProcessor(db, { achSettlementMs: config.sandboxAchSettlementMs })], {
    defaultName: config.electronProcessor,
    byTenant: config.electronTenantProcessors,
  });
  const movements = new Movements(db, jobs);
  const runner = new MovementRunner(movements, processors, new CardTransactions(writer, nucleus, new Fixtures(db, writer, nucleus)));
  jobs.register(movementJobKind(movements, runner, config.electronPollIntervalMs, app.log));

  // The sandbox processor fakes every movement of money (a reserve it funds itself, ACH settled
  // by a timer, purchases on request), so a production tenant may not use it at all.
  app.addHook('onRequest', async (request) => {
    const { tenantId } = request.auth;
    if (request.routeOptions.url?.startsWith('/electron/v1/sandbox/')) await requireSandbox(db, tenantId, 'Simulating card activity');
    else if (processors.forTenant(tenantId).simulatePurchase) await requireSandbox(db, tenantId, 'The sandbox card processor, whose money movement is simulated,');
  });

  const electron: Electron = { writer, nucleus, records: new ElectronRecords(db), processors, movements, drive: (job, row) => driveHere(jobs, runner, job, row) };
  const routes = typedRoutes(app);
  cardholderRoutes(routes, electron);
  cardRoutes(routes, electron);
  fundsRoutes(routes, electron);
  achRoutes(routes, electron);
  reserveRoutes(routes, electron);
  spendingControlRoutes(routes, electron);
  purchaseRoutes(routes, electron);
};
