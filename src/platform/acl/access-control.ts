import type { Queryable } from '../db/database.ts';
import type { AuthContext } from '../auth/tokens.ts';
import type { EntityDeclaration } from '../entity/declaration.ts';
import { ApiError } from '../http/api-error.ts';
import { errors } from '../http/errors.ts';
import { SqlParams } from '../list/filter.ts';
import { Ownership } from './ownership.ts';
import { decide, isAdministrator, type Action, type Reach } from './policy.ts';
import { principalClients } from './principal.ts';

/** An extra WHERE condition over one entity table, restricting rows to what the caller may see. */
export type RowScope = (params: SqlParams, alias: string) => string;

/** The principal's client subquery, built once and only if a condition uses it. */
function principalsOf(auth: AuthContext, params: SqlParams): () => string {
  let sql: string | undefined;
  return () => (sql ??= principalClients(auth, params));
}

function forbidden(message: string): ApiError {
  return errors.forbidden({ reason: message });
}

/**
 * The single place access is decided: the routes ask it for a read scope, the writer asks it
 * before every write. Roles come from policy.ts; row ownership from ownership.ts.
 */
export class AccessControl {
  private readonly ownership: Ownership;

  constructor(private readonly declarations: Map<string, EntityDeclaration>) {
    this.ownership = new Ownership(declarations);
  }

  private decision(auth: AuthContext, entity: string, action: Action): { allowed: true; reach: Reach } {
    if (auth.system) return { allowed: true, reach: 'tenant' };
    const decision = decide(auth.authorities, entity, action);
    if (!decision.allowed) {
      throw forbidden(`Your authorities (${auth.authorities.join(', ') || 'none'}) do not allow ${action === 'read' ? 'reading' : 'changing'} ${entity} records`);
    }
    return decision;
  }

  /** Undefined when the caller sees the whole tenant; otherwise the condition rows must meet. */
  readScope(auth: AuthContext, entity: string): RowScope | undefined {
    const decision = this.decision(auth, entity, 'read');
    if (decision.reach === 'tenant') return undefined;
    return (params, alias) => {
      // Acting for no client, it owns nothing; the firm's reference data is still everyone's to read.
      if (!auth.clientId) return this.ownership.unowned(entity, alias) ?? 'false';
      return this.ownership.visible(entity, alias, principalsOf(auth, params));
    };
  }

  /** Role checks that need no database: may this caller write this entity, these fields? */
  checkWriteRole(auth: AuthContext, entity: string, doc: Record<string, unknown>): void {
    this.decision(auth, entity, 'write');
    const administered = this.declarations.get(entity)?.administeredFields ?? [];
    const touched = administered.filter((field) => doc[field] !== undefined);
    if (touched.length > 0 && !auth.system && !isAdministrator(auth.authorities)) {
      throw forbidden(`Only administrators may set ${touched.join(', ')}`);
    }
  }

  /** For callers limited to their own clients: the record, as it would be stored, must be theirs. */
  async checkOwnedWrite(db: Queryable, auth: AuthContext, entity: string, id: string | null, doc: Record<string, unknown>): Promise<void> {
    if (this.reachesTenant(auth, entity)) return;
    if (!auth.clientId) throw forbidden(`This credential acts for no client, so it cannot change ${entity} records`);
    const params = new SqlParams([auth.tenantId]);
    const idParam = params.add(id);
    const docParam = params.add(JSON.stringify(doc));
    const condition = this.ownership.owned(entity, 'candidate', principalsOf(auth, params), entity);
    const rows = await db.query<{ ok: boolean }>(
      `SELECT (${condition}) AS ok FROM (SELECT $1::uuid AS tenant_id, ${idParam}::uuid AS id, ${docParam}::jsonb AS doc) candidate`,
      params.values,
    );
    if (!rows[0]?.ok) {
      throw forbidden(`This ${entity} would not belong to a client you act for, or your permission on its account does not allow the change`);
    }
  }

  private reachesTenant(auth: AuthContext, entity: string): boolean {
    if (auth.system) return true;
    const decision = decide(auth.authorities, entity, 'write');
    return decision.allowed && decision.reach === 'tenant';
  }
}
