import type { EntityDeclaration } from '../entity/declaration.ts';
import { ensureEntityTables } from '../entity/tables.ts';
import type { Database } from './database.ts';
import { migrate } from './migrations.ts';
import { platformMigrations } from './platform-migrations.ts';
import { webhooksMigrations } from '../webhooks/migrations.ts';
import { idempotencyMigrations } from '../idempotency/migrations.ts';
import { bulkMigrations } from '../bulk/migrations.ts';
import { auditMigrations } from '../audit/migrations.ts';
import { resourceMigrations } from '../../nucleus/resource/migrations.ts';
import { electronMigrations } from '../../electron/migrations.ts';
import { retentionMigrations } from '../retention/migrations.ts';
import { hydroMigrations } from '../../hydro/migrations.ts';
import { protonCardMigrations } from '../../proton/card/migrations.ts';
import { tenantMigrations } from '../tenant/migrations.ts';
import { mfaMigrations } from '../auth/mfa/migrations.ts';
import { rateLimitMigrations } from '../rate-limit/migrations.ts';
import { consoleMigrations } from '../../console/migrations.ts';
import { requestCountMigrations } from '../request-counts/migrations.ts';
import { importMigrations } from '../import/migrations.ts';

const ENTITY_TABLES_LOCK_KEY = 724_118_002;

/**
 * Version ranges keep each area's migrations apart: platform 1-99, webhooks 100-199,
 * idempotency 200-299, bulk and jobs 300-399, audit 400-499, resources 500-599, electron 600-699,
 * proton card 700-799, hydro 800-899, retention 900-999, console 1000-1099, import 1100-1109.
 */
export const allMigrations = [
  ...platformMigrations,
  ...tenantMigrations,
  ...mfaMigrations,
  ...rateLimitMigrations,
  ...webhooksMigrations,
  ...idempotencyMigrations,
  ...bulkMigrations,
  ...auditMigrations,
  ...resourceMigrations,
  ...electronMigrations,
  ...protonCardMigrations,
  ...hydroMigrations,
  ...retentionMigrations,
  ...consoleMigrations,
  ...requestCountMigrations,
  ...importMigrations,
];

/** Brings a database, empty or not, up to what this version of Deuterium needs. */
export async function prepareDatabase(db: Database, entities: EntityDeclaration[]): Promise<void> {
  await migrate(db, allMigrations);
  await db.withAdvisoryLock(ENTITY_TABLES_LOCK_KEY, (session) => ensureEntityTables(session, entities));
}
