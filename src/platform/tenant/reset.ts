import type { Actor } from '../audit/actor.ts';
import { recordAudit } from '../audit/admin-audit.ts';
import type { Database, Queryable } from '../db/database.ts';

/**
 * What a reset keeps: the tenant's ways in (API credentials and their client-token keys, admin
 * users and their second factors, live tokens and sign-ins, the console's sign-in credential
 * and sessions, failed-login counts), the admin
 * audit trail, which must show who reset the tenant and what came before, the counts of its
 * API requests, which the reset's own requests are among, and the row
 * counts the entity tables' triggers keep, which the deletes bring to zero themselves. Every
 * other table with a tenant_id holds the tenant's data and is emptied of it, tables added
 * later included.
 */
const KEPT = new Set([
  'api_credential',
  'client_token_key',
  'access_token',
  'admin_user',
  'admin_mfa',
  'mfa_token',
  'login_failure',
  'entity_row_count',
  'admin_audit',
  'console_credential',
  'console_session',
  'request_count',
]);

export function totalOf(removed: Record<string, number>): number {
  return Object.values(removed).reduce((sum, n) => sum + n, 0);
}

/** The tables to empty, each after every table whose foreign keys point at it. */
async function tablesToEmpty(tx: Queryable): Promise<string[]> {
  const tables = (
    await tx.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
       WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relispartition
         AND a.attname = 'tenant_id' AND NOT a.attisdropped
       ORDER BY c.relname`,
    )
  )
    .map((row) => row.name)
    .filter((name) => !KEPT.has(name));
  const references = await tx.query<{ child: string; parent: string }>(
    `SELECT ch.relname AS child, pa.relname AS parent FROM pg_constraint k
     JOIN pg_class ch ON ch.oid = k.conrelid JOIN pg_class pa ON pa.oid = k.confrelid
     WHERE k.contype = 'f' AND k.conrelid <> k.confrelid AND ch.relnamespace = current_schema()::regnamespace`,
  );
  const ordered: string[] = [];
  const placed = new Set<string>();
  const place = (table: string, path: Set<string>) => {
    if (placed.has(table) || path.has(table)) return;
    path.add(table);
    for (const { child, parent } of references) if (parent === table && tables.includes(child)) place(child, path);
    placed.add(table);
    ordered.push(table);
  };
  for (const table of tables) place(table, new Set());
  return ordered;
}

/**
 * Removes all of a tenant's data in one transaction, answering how many rows left each table
 * (tables that had none are left out), and records the reset in the admin audit trail the
 * reset keeps. The tenant's row is locked first: a second reset waits,
 * and so does every insert into a table with a foreign key to the tenant. Entity tables have
 * none, so a Nucleus write racing the reset may outlive it (docs/environments.md says so).
 */
export async function resetTenant(db: Database, tenantId: string, actor: Actor): Promise<Record<string, number>> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT 1 FROM tenant WHERE id = $1 FOR UPDATE', [tenantId]);
    // Append-only history (the sandbox ledger) lets this transaction, and only it, remove the tenant's rows.
    await tx.query("SELECT set_config('deuterium.reset_tenant', $1, true)", [tenantId]);
    const removed: Record<string, number> = {};
    for (const table of await tablesToEmpty(tx)) {
      const [row] = await tx.query<{ n: string }>(`WITH gone AS (DELETE FROM "${table}" WHERE tenant_id = $1 RETURNING 1) SELECT count(*)::text AS n FROM gone`, [
        tenantId,
      ]);
      if (Number(row.n) > 0) removed[table] = Number(row.n);
    }
    await recordAudit(tx, tenantId, actor, { action: 'tenant_reset', details: { removed, total: totalOf(removed) } });
    return removed;
  });
}
