import type { Database, Queryable } from './database.ts';

export interface Migration {
  version: number;
  name: string;
  up: (session: Queryable) => Promise<void>;
}

/** Any fixed number works; it only has to be the same in every Deuterium process. */
const MIGRATION_LOCK_KEY = 724_118_001;

/**
 * Applies, in order, the migrations not yet recorded. Each runs in its own transaction-less
 * session under an advisory lock, so two processes starting together apply each one once.
 */
export async function migrate(db: Database, migrations: Migration[]): Promise<number[]> {
  const versions = migrations.map((m) => m.version);
  if (new Set(versions).size !== versions.length) throw new Error('duplicate migration version');
  return db.withAdvisoryLock(MIGRATION_LOCK_KEY, async (session) => {
    await session.query(`CREATE TABLE IF NOT EXISTS schema_migration (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const rows = await session.query<{ version: number }>('SELECT version FROM schema_migration');
    const applied = new Set(rows.map((r) => Number(r.version)));
    const done: number[] = [];
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (applied.has(migration.version)) continue;
      await session.query('BEGIN');
      try {
        await migration.up(session);
        await session.query('INSERT INTO schema_migration (version, name) VALUES ($1, $2)', [
          migration.version,
          migration.name,
        ]);
        await session.query('COMMIT');
      } catch (error) {
        await session.query('ROLLBACK');
        throw error;
      }
      done.push(migration.version);
    }
    return done;
  });
}
