import type { Config } from '../../config.ts';
import { openDatabase, type Database } from './database.ts';
import { clusterDirOf, runningEmbeddedPostgres, startEmbeddedPostgres } from './embedded-postgres.ts';

/** Where this process keeps its data, open. */
export interface Storage {
  db: Database;
  /** The connection string every process of this installation uses (the embedded server's when no DATABASE_URL is set). */
  url: string;
  /** For logs: the external server, or the embedded cluster's directory. */
  description: string;
  /** Closes the pool and, when this process owns the embedded server, stops it. */
  close(): Promise<void>;
}

/**
 * DATABASE_URL's server when one is set; otherwise the embedded PostgreSQL of DATA_DIR. A server
 * process owns the embedded server: it starts it (or adopts one a crashed process left running)
 * and stops it when it closes; a second server on the same DATA_DIR is refused. The CLI uses the
 * running server's database beside it, and starts and stops the embedded server itself only
 * when no server runs.
 */
export async function openStorage(config: Config, user: 'server' | 'cli', log?: (message: string) => void): Promise<Storage> {
  if (config.databaseUrl) {
    const db = await openDatabase(config.databaseUrl, config.poolSize);
    return { db, url: config.databaseUrl, description: 'PostgreSQL at DATABASE_URL', close: () => db.close() };
  }
  const description = `embedded PostgreSQL in ${clusterDirOf(config.dataDir)}`;
  const beside = user === 'cli' ? await runningEmbeddedPostgres(config.dataDir) : undefined;
  if (beside) {
    const db = await openDatabase(beside, config.poolSize);
    return { db, url: beside, description, close: () => db.close() };
  }
  const embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, owner: user, log });
  let db: Database;
  try {
    db = await openDatabase(embedded.url, config.poolSize);
  } catch (error) {
    await embedded.stop();
    throw error;
  }
  return {
    db,
    url: embedded.url,
    description,
    close: async () => {
      await db.close();
      await embedded.stop();
    },
  };
}
