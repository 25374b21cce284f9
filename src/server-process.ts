import cluster from 'node:cluster';
import pino from 'pino';
import { loadConfig } from './config.ts';
import type { Database } from './platform/db/database.ts';
import { openStorage, type Storage } from './platform/db/storage.ts';
import { prepareDatabase } from './platform/db/prepare.ts';
import { bootstrapFirstTenant } from './platform/auth/credentials.ts';
import { nucleusEntities } from './nucleus/entities.ts';
import { isLeadWorker, superviseWorkers, workerNumber } from './platform/process/cluster.ts';
import { soleProcess, workerLink, type LeadLink } from './platform/process/lead.ts';
import { answerWorkers, clusterWorker, soleServer, type ServerProcesses } from './platform/process/primary.ts';
import { logDestination, logOptions } from './platform/logging/log-options.ts';

const config = loadConfig();
const destination = await logDestination(config.logFormat);
const log = destination ? pino(logOptions(config.logLevel), destination) : pino(logOptions(config.logLevel));

async function open(): Promise<Storage> {
  try {
    return await openStorage(config, 'server', (message) => log.info(message));
  } catch (error) {
    process.stderr.write(`Deuterium could not open its database: ${(error as Error).message}\n`);
    process.exit(1);
  }
}

if (cluster.isWorker) {
  // The primary hands its workers the database it opened (the embedded server's, when it runs one).
  await serve(await open(), workerLink(isLeadWorker()), clusterWorker(workerNumber()));
} else {
  const storage = await open();
  await prepareDatabase(storage.db, nucleusEntities);
  await bootstrap(storage.db);
  if (config.workers === 1) {
    await serve(storage, soleProcess(), soleServer());
  } else {
    log.info({ storage: storage.description, workers: config.workers }, 'starting the workers');
    answerWorkers(config.workers);
    superviseWorkers({ count: config.workers, log, env: { DATABASE_URL: storage.url }, stopped: () => storage.close() });
  }
}

import { firstAdminUserHint } from './console/first-admin-user.ts';

async function bootstrap(db: Database): Promise<void> {
  const created = await bootstrapFirstTenant(db, { adminClientId: config.adminClientId, adminClientSecret: config.adminClientSecret });
  if (!created) return;
  log.info({ tenant: created.tenant.id, client_id: created.credential.client_id }, 'created the first tenant and its super-admin credential');
  if (created.generated) {
    // Printed once, outside the log stream, because only the hash is kept.
    process.stdout.write(
      `\nFirst start: super-admin API credentials for tenant "${created.tenant.name}" (shown only now):\n` +
        `  client_id:     ${created.credential.client_id}\n  client_secret: ${created.credential.client_secret}\n\n` +
        firstAdminUserHint(`http://localhost:${config.port}`, created.credential.client_id, created.credential.client_secret),
    );
  }
}

async function serve(storage: Storage, lead: LeadLink, processes: ServerProcesses): Promise<void> {
  // Imported here so that a cluster's primary, which never serves, never loads the app.
  const { buildApp } = await import('./app.ts');
  const app = await buildApp({ config, db: storage.db, lead, processes });
  let closing = false;
  async function shutdown(signal: string): Promise<void> {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'draining requests and closing');
    await app.close();
    await storage.close();
    process.exit(0);
  }
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  await app.listen({ port: config.port, host: config.host });
  const worker = cluster.isWorker ? { worker: workerNumber(), lead: lead.isLead } : {};
  app.log.info({ storage: storage.description, ...worker }, 'Deuterium is ready');
}
