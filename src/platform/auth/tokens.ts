import { createHash, randomBytes } from 'node:crypto';
import { onCommit, type Database, type Queryable } from '../db/database.ts';
import { tokenCacheOf, type ResolvedToken, type TokenCache } from './token-cache.ts';
import { compileAllowlist, type AddressList } from '../credentials/allowlist.ts';
import type { Environment } from '../tenant/environment.ts';

/** Who is calling, resolved from a bearer token once per request. */
export interface AuthContext {
  tenantId: string;
  credentialId: string;
  /** The Nucleus client a user token acts as; null for an application token. */
  clientId: string | null;
  /** The admin user (/admin/v1/client) a password-grant token was issued to; absent for calls not made with a token. */
  adminUserId?: string | null;
  authorities: string[];
  scopes: string[];
  /**
   * What the token's credential allows now, read with the token (so a change reaches every
   * process within the token cache's bound): the APIs it may call, and the addresses it may
   * be used from (null: any). Absent for a caller no request brought, such as a bulk job.
   */
  apps?: readonly string[];
  allowlist?: AddressList | null;
  /** Requests per window its credential sets, else its tenant; null: the environment's default (rate-limits.ts). */
  rateLimit?: number | null;
  environment?: Environment;
  /** Set only for the server's own writes (entity/system-origin.ts), which reach the whole tenant; never by a token. */
  system?: { reason: string };
}

/** Tokens are stored as their SHA-256 only, so a database leak does not leak live tokens. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function newAccessToken(): string {
  return randomBytes(32).toString('base64url');
}

/** A token is issued as the caller its requests will be resolved to (AuthContext), until it expires. */
export interface TokenGrant extends Pick<AuthContext, 'tenantId' | 'credentialId' | 'clientId' | 'adminUserId' | 'authorities' | 'scopes'> {
  expiresAt: Date;
}

/** Stores a new token and counts it on its credential, in one statement. */
export async function storeToken(db: Queryable, token: string, grant: TokenGrant): Promise<void> {
  await db.query(
    `WITH counted AS (UPDATE api_credential SET tokens_issued = tokens_issued + 1 WHERE tenant_id = $1 AND id = $3)
     INSERT INTO access_token (tenant_id, token_hash, credential_id, nucleus_client_id, admin_user_id, authorities, scope, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      grant.tenantId,
      tokenHash(token),
      grant.credentialId,
      grant.clientId,
      grant.adminUserId ?? null,
      grant.authorities,
      grant.scopes.join(' '),
      grant.expiresAt.toISOString(),
    ],
  );
}

/**
 * The token's caller: at once when this server's cache resolved it a moment ago (see
 * token-cache.ts), as it did for most requests; else the database's answer, once it came.
 */
export function resolveToken(db: Database, token: string): AuthContext | Promise<AuthContext | undefined> {
  const hash = tokenHash(token);
  const tokens = tokenCacheOf(db);
  return tokens.known(hash) ?? tokens.resolve(hash, () => lookupToken(db, hash));
}

async function lookupToken(db: Queryable, hash: string): Promise<ResolvedToken | undefined> {
  const rows = await db.query<{
    tenant_id: string;
    credential_id: string;
    nucleus_client_id: string | null;
    admin_user_id: string | null;
    authorities: string[];
    scope: string;
    expires_at: Date | string;
    apps: string[];
    allowed_ips: string[];
    rate_limit: number | null;
    environment: Environment;
  }>(
    `SELECT t.tenant_id, t.credential_id, t.nucleus_client_id, t.admin_user_id, t.authorities, t.scope, t.expires_at, c.apps, c.allowed_ips,
            coalesce(c.rate_limit, tn.rate_limit) AS rate_limit, tn.environment
     FROM access_token t JOIN api_credential c ON c.tenant_id = t.tenant_id AND c.id = t.credential_id
     JOIN tenant tn ON tn.id = t.tenant_id
     WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND t.expires_at > now() AND c.is_active`,
    [hash],
  );
  const row = rows[0];
  if (!row) return undefined;
  return {
    auth: {
      tenantId: row.tenant_id,
      credentialId: row.credential_id,
      clientId: row.nucleus_client_id,
      adminUserId: row.admin_user_id === null ? null : String(row.admin_user_id),
      authorities: row.authorities,
      scopes: row.scope ? row.scope.split(' ') : [],
      apps: Object.freeze(row.apps),
      allowlist: compileAllowlist(row.allowed_ips),
      rateLimit: row.rate_limit,
      environment: row.environment,
    },
    expiresAt: new Date(row.expires_at),
  };
}

/** Revokes one token; the statement commits before this server's cache forgets it. */
export async function revokeToken(db: Database, token: string): Promise<boolean> {
  const rows = await db.query(
    'UPDATE access_token SET revoked_at = now() WHERE token_hash = $1 AND revoked_at IS NULL RETURNING 1',
    [tokenHash(token)],
  );
  tokenCacheOf(db).invalidate();
  return rows.length > 0;
}

/**
 * Ends every live token a user holds, after its password (or what it may do) changed. `tokens`
 * is the cache of the database `tx` belongs to; it forgets them at once and again when `tx`
 * commits.
 */
export async function revokeUserTokens(
  tx: Queryable,
  tokens: TokenCache,
  tenantId: string,
  user: { nucleusClientId: string } | { adminUserId: string },
): Promise<void> {
  const [column, id] = 'nucleusClientId' in user ? ['nucleus_client_id', user.nucleusClientId] : ['admin_user_id', user.adminUserId];
  await tx.query(`UPDATE access_token SET revoked_at = now() WHERE tenant_id = $1 AND ${column} = $2 AND revoked_at IS NULL`, [tenantId, id]);
  // A password checked before the change must not complete a login with its second factor after it.
  if (column === 'admin_user_id') await tx.query('DELETE FROM mfa_token WHERE admin_user_id = $1', [id]);
  tokens.invalidate();
  // Again once committed: on PostgreSQL a request on another connection may have read and
  // cached a token between the UPDATE and the commit.
  onCommit(tx, () => tokens.invalidate());
}
