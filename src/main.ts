import cluster from 'node:cluster';
import pino from 'pino';
import { loadConfig } from './config.ts';
import { openDatabase, type Database } from './platform/db/database.ts';
import { prepareDatabase } from './platform/db/prepare.ts';
import { bootstrapFirstTenant } from './platform/auth/credentials.ts';
import { nucleusEntities } from './nucleus/entities.ts';
import { isLeadWorker, superviseWorkers, workerNumber } from './platform/process/cluster.ts';
import { soleProcess, workerLink, type LeadLink } from './platform/process/lead.ts';

const config = loadConfig();
const log = pino({ level: config.logLevel });
// The embedded PGlite database lives in one process's memory; several need a server.
const workers = config.databaseUrl ? config.workers : 1;
const openStorage = () => openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: config.poolSize });

if (cluster.isWorker) {
  await serve(await openStorage(), workerLink(isLeadWorker()));
} else {
  const db = await openStorage();
  await prepareDatabase(db, nucleusEntities);
  await bootstrap(db);
  if (workers === 1) {
    await serve(db, soleProcess());
  } else {
    await db.close();
    superviseWorkers({ count: workers, log, env: { DATABASE_URL: config.databaseUrl! } });
  }
}

async function bootstrap(db: Database): Promise<void> {
  const created = await bootstrapFirstTenant(db, { adminClientId: config.adminClientId, adminClientSecret: config.adminClientSecret });
  if (!created) return;
  log.info({ tenant: created.tenant.id, client_id: created.credential.client_id }, 'created the first tenant and its super-admin credential');
  if (created.generated) {
    // Printed once, outside the log stream, because only the hash is kept.
    process.stdout.write(
      `\nFirst start: super-admin API credentials for tenant "${created.tenant.name}" (shown only now):\n` +
        `  client_id:     ${created.credential.client_id}\n  client_secret: ${created.credential.client_secret}\n\n`,
    );
  }
}

async function serve(db: Database, lead: LeadLink): Promise<void> {
  // Imported here so that a cluster's primary, which never serves, never loads the app.
  const { buildApp } = await import('./app.ts');
  const app = await buildApp({ config, db, lead });
  let closing = false;
  async function shutdown(signal: string): Promise<void> {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'draining requests and closing');
    await app.close();
    await db.close();
    process.exit(0);
  }
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  await app.listen({ port: config.port, host: config.host });
  const worker = cluster.isWorker ? { worker: workerNumber(), lead: lead.isLead } : {};
  app.log.info({ storage: db.kind, dataDir: config.databaseUrl ? undefined : config.dataDir, ...worker }, 'Deuterium is ready');
}
