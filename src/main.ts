import { loadConfig } from './config.ts';
import { openStorage } from './platform/db/storage.ts';
import { prepareDatabase } from './platform/db/prepare.ts';
import { bootstrapFirstTenant } from './platform/auth/credentials.ts';
import { buildApp } from './app.ts';
import { nucleusEntities } from './nucleus/entities.ts';

const config = loadConfig();
const storage = await openStorage(config, 'server', (message) => process.stderr.write(`${message}\n`)).catch((error: Error) => {
  process.stderr.write(`Deuterium could not open its database: ${error.message}\n`);
  process.exit(1);
});
const { db } = storage;
await prepareDatabase(db, nucleusEntities);
const app = await buildApp({ config, db });

const bootstrap = await bootstrapFirstTenant(db, {
  adminClientId: config.adminClientId,
  adminClientSecret: config.adminClientSecret,
});
if (bootstrap) {
  app.log.info({ tenant: bootstrap.tenant.id, client_id: bootstrap.credential.client_id }, 'created the first tenant and its super-admin credential');
  if (bootstrap.generated) {
    // Printed once, outside the log stream, because only the hash is kept.
    process.stdout.write(
      `\nFirst start: super-admin API credentials for tenant "${bootstrap.tenant.name}" (shown only now):\n` +
        `  client_id:     ${bootstrap.credential.client_id}\n  client_secret: ${bootstrap.credential.client_secret}\n\n`,
    );
  }
}

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
app.log.info({ storage: storage.description }, 'Deuterium is ready');
