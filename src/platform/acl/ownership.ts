import type { EntityDeclaration } from '../entity/declaration.ts';
import { SHARED_WHEN_UNOWNED, categoryOf } from './categories.ts';

/** How deep ownership is followed through references (portfolio → account → permission). */
const MAX_DEPTH = 4;

export type OwnershipMode = 'read' | 'write';

/** Permission types that let a client write on an account, by what is being written. */
function writablePermissions(entity: string): string[] {
  return categoryOf(entity) === 'money_movement'
    ? ['LIMITED_AUTHORITY', 'FULL_AUTHORITY', 'POWER_OF_ATTORNEY']
    : ['FULL_AUTHORITY', 'POWER_OF_ATTORNEY'];
}

function arrayOf(expr: string): string {
  return `CASE WHEN jsonb_typeof(${expr}) = 'array' THEN ${expr} ELSE '[]'::jsonb END`;
}

/**
 * SQL conditions saying whether a row belongs to the caller's clients, derived from the
 * declarations' references: a portfolio is owned when its account is, an account when one
 * of the clients holds a permission on it, and so on. Nothing per entity is written by hand
 * except the two roots, client and account (and business, owned through its ownership list).
 */
export class Ownership {
  constructor(private readonly declarations: Map<string, EntityDeclaration>) {}

  /** References that carry ownership: those pointing at records clients own. */
  ownerReferences(entity: string): [string, string][] {
    const declaration = this.declarations.get(entity);
    const through = declaration?.ownedThrough;
    return Object.entries(declaration?.references ?? {}).filter(
      ([path, target]) =>
        (!through || through.includes(path)) && !SHARED_WHEN_UNOWNED.has(target) && target !== entity && path.split('[]').length <= 2,
    );
  }

  /**
   * Condition over `${alias}.id` / `${alias}.doc`. `clients` gives the principal's client-id
   * subquery (built only when a condition needs it, since it adds a parameter); `writing`
   * names the entity being written when checking a write.
   */
  owned(entity: string, alias: string, clients: () => string, writing: string | undefined, depth = 0): string {
    if (entity === 'client') return `${alias}.id::text IN (${clients()})`;
    if (entity === 'account') {
      const permitted = writing
        ? ` AND g->>'permission_type' IN (${writablePermissions(writing).map((p) => `'${p}'`).join(', ')})`
        : '';
      return `EXISTS (SELECT 1 FROM nucleus_account_permission perm
        CROSS JOIN LATERAL jsonb_array_elements(${arrayOf("perm.doc->'clients'")}) g
        WHERE perm.tenant_id = $1 AND perm.doc->>'account_id' = ${alias}.id::text AND g->>'client_id' IN (${clients()})${permitted})`;
    }
    if (entity === 'business') {
      return `EXISTS (SELECT 1 FROM jsonb_array_elements(${arrayOf(`${alias}.doc->'ownership'`)}) o WHERE o->>'client_id' IN (${clients()}))`;
    }
    if (depth >= MAX_DEPTH) return 'false';
    const conditions = this.ownerReferences(entity).map(([path, target]) => {
      const inner = `o${depth + 1}`;
      const targetRows = `SELECT ${inner}.id::text FROM nucleus_${target} ${inner}
        WHERE ${inner}.tenant_id = $1 AND ${this.owned(target, inner, clients, writing, depth + 1)}`;
      const [list, field] = path.split('[].');
      if (field === undefined) return `(${alias}.doc->>'${path}') IN (${targetRows})`;
      return `EXISTS (SELECT 1 FROM jsonb_array_elements(${arrayOf(`${alias}.doc->'${list}'`)}) r${depth} WHERE r${depth}->>'${field}' IN (${targetRows}))`;
    });
    return conditions.length > 0 ? `(${conditions.join(' OR ')})` : 'false';
  }

  /** For shared entities: the row names no owner at all, so it is the firm's own. */
  unowned(entity: string, alias: string): string | undefined {
    if (!SHARED_WHEN_UNOWNED.has(entity)) return undefined;
    const checks = this.ownerReferences(entity).map(([path]) => {
      const [list, field] = path.split('[].');
      if (field === undefined) return `(${alias}.doc->>'${path}') IS NULL`;
      return `NOT EXISTS (SELECT 1 FROM jsonb_array_elements(${arrayOf(`${alias}.doc->'${list}'`)}) u WHERE u->>'${field}' IS NOT NULL)`;
    });
    return checks.length > 0 ? checks.join(' AND ') : 'true';
  }

  /** What a scoped caller may read of an entity. */
  visible(entity: string, alias: string, clients: () => string): string {
    const owned = this.owned(entity, alias, clients, undefined);
    const shared = this.unowned(entity, alias);
    return shared ? `(${owned} OR (${shared}))` : owned;
  }
}
