import type { EntityDeclaration } from '../entity/declaration.ts';
import { GRANTING_ASSOCIATIONS, type PermissionType } from '../../nucleus/account/account-permission-sync.ts';
import { SHARED_WHEN_UNOWNED, categoryOf } from './categories.ts';

/** How deep ownership is followed through references (portfolio → account → permission). */
const MAX_DEPTH = 4;

/** Records clients own by what they are, not by what they point at. */
const ROOTS = new Set(['client', 'account', 'business']);

export type OwnershipMode = 'read' | 'write';

/** Permission types that let a client write on an account, by what is being written. */
function writablePermissions(entity: string): PermissionType[] {
  return categoryOf(entity) === 'money_movement'
    ? ['LIMITED_AUTHORITY', 'FULL_AUTHORITY', 'POWER_OF_ATTORNEY']
    : ['FULL_AUTHORITY', 'POWER_OF_ATTORNEY'];
}

/** The association types naming a client on an account gives one of these permissions by (as impliedPermission reads them). */
function grantingAssociations(permissions: PermissionType[]): string[] {
  return permissions.flatMap((permission) => (permission === 'INQUIRY_ACCESS' ? [] : GRANTING_ASSOCIATIONS[permission]));
}

function arrayOf(expr: string): string {
  return `CASE WHEN jsonb_typeof(${expr}) = 'array' THEN ${expr} ELSE '[]'::jsonb END`;
}

function followed(declaration: EntityDeclaration | undefined): [string, string][] {
  const through = declaration?.ownedThrough;
  return Object.entries(declaration?.references ?? {}).filter(([path]) => (!through || through.includes(path)) && path.split('[]').length <= 2);
}

/** The entities whose records can belong to a client: the roots and whatever points at one, however indirectly. */
function ownableEntities(declarations: Map<string, EntityDeclaration>): Set<string> {
  const ownable = new Set(ROOTS);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [name, declaration] of declarations) {
      if (!ownable.has(name) && followed(declaration).some(([, target]) => ownable.has(target))) {
        ownable.add(name);
        grew = true;
      }
    }
  }
  return ownable;
}

/** `${alias}.doc` has no value at the reference path. */
function unset(alias: string, path: string): string {
  const [list, field] = path.split('[].');
  if (field === undefined) return `(${alias}.doc->>'${path}') IS NULL`;
  return `NOT EXISTS (SELECT 1 FROM jsonb_array_elements(${arrayOf(`${alias}.doc->'${list}'`)}) u WHERE u->>'${field}' IS NOT NULL)`;
}

/**
 * SQL conditions saying whether a row belongs to the caller's clients, derived from the
 * declarations' references: a portfolio is owned when its account is, an account when one
 * of the clients holds a permission on it, a model's comment when its model is, and so on.
 * Nothing per entity is written by hand except the roots, client and account (and business,
 * owned through its ownership list).
 *
 * A record hangs from the owned records it points at. Pointing at shared reference data (a
 * portfolio following a model) makes no owner while the record names an owned one, so that
 * the owner of a private model cannot reach, or add to, another client's portfolios through
 * it; a record naming nothing else (a model's comment) belongs to the owner of that data.
 */
export class Ownership {
  private readonly ownable: Set<string>;

  constructor(private readonly declarations: Map<string, EntityDeclaration>) {
    this.ownable = ownableEntities(declarations);
  }

  /** References that carry ownership: those pointing at records clients can own. */
  ownerReferences(entity: string): [string, string][] {
    return followed(this.declarations.get(entity)).filter(([, target]) => this.ownable.has(target));
  }

  /**
   * The owner references split by what they point at: records that always have an owner,
   * and shared records that have one only when set (a model with a client_id). The shared
   * ones are left out when an owned one is a required field, since they never decide then.
   */
  private ownerPaths(entity: string): { owned: [string, string][]; shared: [string, string][] } {
    const references = this.ownerReferences(entity);
    const owned = references.filter(([, target]) => !SHARED_WHEN_UNOWNED.has(target));
    const required = new Set(this.declarations.get(entity)?.schema.required ?? []);
    const shared = owned.some(([path]) => required.has(path)) ? [] : references.filter(([, target]) => SHARED_WHEN_UNOWNED.has(target));
    return { owned, shared };
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
      const held = `EXISTS (SELECT 1 FROM nucleus_account_permission perm
        CROSS JOIN LATERAL jsonb_array_elements(${arrayOf("perm.doc->'clients'")}) g
        WHERE perm.tenant_id = $1 AND perm.doc->>'account_id' = ${alias}.id::text AND g->>'client_id' IN (${clients()})${permitted})`;
      if (writing !== 'account' || depth > 0) return held;
      // An account being opened has no permissions yet: it is the caller's when its clients list
      // names one of its clients with authority, as the permissions written with it will say.
      // Only when new: on a stored account the permissions held decide, however the list reads.
      const type = `regexp_replace(regexp_replace(lower(named->>'client_account_association_type'), '^[[:space:]]+|[[:space:]]+$', '', 'g'), '[[:space:]-]+', '_', 'g')`;
      const types = grantingAssociations(writablePermissions(writing)).map((t) => `'${t}'`).join(', ');
      return `(${held} OR (${alias}.id IS NULL AND EXISTS (SELECT 1 FROM jsonb_array_elements(${arrayOf(`${alias}.doc->'clients'`)}) named
        WHERE named->>'client_id' IN (${clients()}) AND ${type} IN (${types}))))`;
    }
    if (entity === 'business') {
      return `EXISTS (SELECT 1 FROM jsonb_array_elements(${arrayOf(`${alias}.doc->'ownership'`)}) o WHERE o->>'client_id' IN (${clients()}))`;
    }
    if (depth >= MAX_DEPTH) return 'false';
    const through = ([path, target]: [string, string]) => {
      const inner = `o${depth + 1}`;
      return this.pointsAt(alias, path, depth, `SELECT ${inner}.id::text FROM nucleus_${target} ${inner}
        WHERE ${inner}.tenant_id = $1 AND ${this.owned(target, inner, clients, writing, depth + 1)}`);
    };
    const { owned, shared } = this.ownerPaths(entity);
    const conditions = owned.map(through);
    if (shared.length > 0) {
      const namesNoOwner = owned.map(([path]) => unset(alias, path));
      conditions.push(`(${[...namesNoOwner, `(${shared.map(through).join(' OR ')})`].join(' AND ')})`);
    }
    return conditions.length > 0 ? `(${conditions.join(' OR ')})` : 'false';
  }

  /** `${alias}.doc` names, at the reference path, an id among `rows`. */
  private pointsAt(alias: string, path: string, depth: number, rows: string): string {
    const [list, field] = path.split('[].');
    if (field === undefined) return `(${alias}.doc->>'${path}') IN (${rows})`;
    return `EXISTS (SELECT 1 FROM jsonb_array_elements(${arrayOf(`${alias}.doc->'${list}'`)}) r${depth} WHERE r${depth}->>'${field}' IN (${rows}))`;
  }

  /**
   * For shared entities: the row hangs from no owner at all, so it is the firm's own: it
   * names no owned record, and the shared records it names are the firm's own too. Past the
   * depth followed a row counts as owned, so it stays hidden rather than shown.
   */
  unowned(entity: string, alias: string, depth = 0): string | undefined {
    if (!SHARED_WHEN_UNOWNED.has(entity)) return undefined;
    if (depth >= MAX_DEPTH) return 'false';
    const checks = this.ownerReferences(entity).map(([path, target]) => {
      if (!SHARED_WHEN_UNOWNED.has(target)) return unset(alias, path);
      const inner = `u${depth + 1}`;
      const firms = `SELECT ${inner}.id::text FROM nucleus_${target} ${inner} WHERE ${inner}.tenant_id = $1 AND ${this.unowned(target, inner, depth + 1)}`;
      const [list, field] = path.split('[].');
      if (field === undefined) return `((${alias}.doc->>'${path}') IS NULL OR (${alias}.doc->>'${path}') IN (${firms}))`;
      return `NOT EXISTS (SELECT 1 FROM jsonb_array_elements(${arrayOf(`${alias}.doc->'${list}'`)}) s${depth} WHERE s${depth}->>'${field}' IS NOT NULL AND s${depth}->>'${field}' NOT IN (${firms}))`;
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
