import type { EntityDeclaration } from '../entity/declaration.ts';
import { ensureEntityTables } from '../entity/tables.ts';
import type { Database } from './database.ts';
import { migrate } from './migrations.ts';
import { platformMigrations } from './platform-migrations.ts';

const ENTITY_TABLES_LOCK_KEY = 724_118_002;

/** Brings a database, empty or not, up to what this version of Deuterium needs. */
export async function prepareDatabase(db: Database, entities: EntityDeclaration[]): Promise<void> {
  await migrate(db, platformMigrations);
  await db.withAdvisoryLock(ENTITY_TABLES_LOCK_KEY, (session) => ensureEntityTables(session, entities));
}
