import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/platform/db/database.ts';
import { buildApp } from '../src/app.ts';

/**
 * Deuterium as the bench runs it: one server process of its own, as `npm start` runs it, so
 * the load generator does not share its event loop. DATABASE_URL names a database the bench
 * has prepared; the port is printed as one JSON line.
 */

const config = {
  ...loadConfig(),
  logLevel: 'warn',
  host: '127.0.0.1',
  port: 0,
  webhookAllowPrivate: true,
  // Deliveries are not part of the request paths measured, and the floor sends none: the
  // delivery jobs the creates queue are left pending until the bench ends (no slot claims them).
  webhookTimings: { concurrency: 0 },
  hydroChainDir: null,
  // Every request is counted, as in production; no limit is reached.
  rateLimits: { windowMs: 60_000, production: 1e9, sandbox: 1e9, token: 1e9 },
};
const db = await openDatabase(config.databaseUrl!, config.poolSize);
const app = await buildApp({ config, db });
await app.listen({ host: config.host, port: config.port });
process.stdout.write(`${JSON.stringify({ port: (app.server.address() as { port: number }).port })}\n`);
// Exiting rather than dying by the signal lets --cpu-prof write its profile.
process.on('SIGTERM', () => void app.close().then(() => db.close()).then(() => process.exit(0)));
