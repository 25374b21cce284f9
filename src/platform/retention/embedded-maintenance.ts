import type { Database } from '../db/database.ts';

/**
 * What PostgreSQL's autovacuum does on a server, done for the embedded database, which has no
 * background workers: each table of the schema is vacuumed (space of deleted and updated rows
 * made reusable, the visibility map set for index-only scans) and analyzed (statistics the
 * planner needs to choose an index over sorting a whole table). One statement per table, so
 * requests run between them instead of waiting for the whole database.
 */
export async function maintainEmbedded(db: Database): Promise<{ tables: number; ms: number }> {
  const started = performance.now();
  const tables = await db.query<{ name: string }>(
    `SELECT quote_ident(relname) AS name FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace ORDER BY relname`,
  );
  for (const { name } of tables) await db.query(`VACUUM (ANALYZE) ${name}`);
  return { tables: tables.length, ms: performance.now() - started };
}
