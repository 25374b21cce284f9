import type { Queryable } from '../db/database.ts';
import type { EntityDeclaration } from './declaration.ts';
import { installRowCounters } from './row-counts.ts';

export function tableName(declaration: EntityDeclaration): string {
  return `nucleus_${declaration.name}`;
}

export function uniqueIndexName(declaration: EntityDeclaration, fields: string[]): string {
  return `${tableName(declaration)}_unique_${fields.join('_')}`;
}

function jsonText(path: string): string {
  return `(doc->>'${path}')`;
}

/**
 * The table an entity lives in: its tenant and id as the key (so it can be distributed by
 * tenant), timestamps as columns for ordering, and the fields as one JSON document.
 * Idempotent, so it runs on every start and picks up entities added since the last one.
 */
export function entityTableDdl(declaration: EntityDeclaration): string[] {
  const table = tableName(declaration);
  const ddl = [
    `CREATE TABLE IF NOT EXISTS ${table} (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL,
      create_date timestamptz NOT NULL,
      update_date timestamptz NOT NULL,
      doc jsonb NOT NULL,
      PRIMARY KEY (tenant_id, id)
    )`,
    `CREATE INDEX IF NOT EXISTS ${table}_update_date ON ${table} (tenant_id, update_date)`,
    // Serves a filter on a range of creation dates, and its count, without reading the tenant.
    `CREATE INDEX IF NOT EXISTS ${table}_create_date ON ${table} (tenant_id, create_date)`,
    // Serves the containment searches that find who still points at a record before deleting it.
    `CREATE INDEX IF NOT EXISTS ${table}_doc ON ${table} USING gin (doc jsonb_path_ops)`,
  ];
  for (const path of Object.keys(declaration.references ?? {})) {
    if (path.includes('[]')) continue;
    ddl.push(`CREATE INDEX IF NOT EXISTS ${table}_${path} ON ${table} (tenant_id, ${jsonText(path)})`);
  }
  for (const fields of declaration.indexes ?? []) {
    ddl.push(`CREATE INDEX IF NOT EXISTS ${table}_by_${fields.join('_')} ON ${table} (tenant_id, ${fields.map(jsonText).join(', ')})`);
  }
  for (const fields of declaration.unique ?? []) {
    ddl.push(
      `CREATE UNIQUE INDEX IF NOT EXISTS ${uniqueIndexName(declaration, fields)} ON ${table} (tenant_id, ${fields.map(jsonText).join(', ')})`,
    );
  }
  return ddl;
}

export async function ensureEntityTables(session: Queryable, declarations: EntityDeclaration[]): Promise<void> {
  for (const declaration of declarations) {
    for (const statement of entityTableDdl(declaration)) await session.query(statement);
  }
  await installRowCounters(session, declarations.map(tableName));
}
