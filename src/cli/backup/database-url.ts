import type { Config } from '../../config.ts';
import { clusterDirOf, runningEmbeddedPostgres, startEmbeddedPostgres } from '../../platform/db/embedded-postgres.ts';

/**
 * The database of this installation, as openStorage finds it (DATABASE_URL's, the running
 * embedded server's, or the embedded server started for the command), but without opening a
 * pool: backup and restore use connections of their own, and a restore must see any other
 * connection as someone else's.
 */
export async function withDatabaseUrl<T>(config: Config, fn: (url: string, description: string) => Promise<T>): Promise<T> {
  if (config.databaseUrl) return fn(config.databaseUrl, 'the PostgreSQL at DATABASE_URL');
  const description = `the embedded PostgreSQL in ${clusterDirOf(config.dataDir)}`;
  const beside = await runningEmbeddedPostgres(config.dataDir);
  if (beside) return fn(beside, description);
  const embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, owner: 'cli' });
  try {
    return await fn(embedded.url, description);
  } finally {
    await embedded.stop();
  }
}
