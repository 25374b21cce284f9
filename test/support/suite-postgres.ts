import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../../src/platform/db/embedded-postgres.ts';

/**
 * The PostgreSQL server a test run or a bench works on: DATABASE_URL's when it is set, else an
 * embedded server of its own (the one `npm start` runs), started in a temporary directory for
 * this run and removed after it. Durability is traded for speed there, since nothing of a test
 * database outlives its run.
 */
export async function withSuitePostgres<T>(fn: (url: string) => Promise<T>): Promise<T> {
  if (process.env.DATABASE_URL) return fn(process.env.DATABASE_URL);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'deuterium-suite-'));
  // The server may run as another user (root hands it to `postgres`), who must reach its files.
  fs.chmodSync(dataDir, 0o755);
  const server = await startEmbeddedPostgres({
    dataDir,
    owner: 'test suite',
    settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off', max_connections: '600', shared_buffers: '256MB' },
  });
  process.env.DATABASE_URL = server.url;
  try {
    return await fn(server.url);
  } finally {
    delete process.env.DATABASE_URL;
    await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
