import type { Queryable } from '../../db/database.ts';
import { newAccessToken, tokenHash } from '../tokens.ts';

/** Long enough to open an authenticator app or sign on a phone, short enough to be of little use stolen. */
export const MFA_TOKEN_SECONDS = 5 * 60;

/** What an mfa_token stands for: a password already checked, for this user through this credential. */
export interface MfaTicket {
  tenantId: string;
  credentialId: string;
  adminUserId: string;
  /** The message handed out for a Raindrop sign-in, once asked for. */
  raindropMessage: string | null;
  tokenHash: string;
}

export async function issueMfaToken(db: Queryable, ticket: { tenantId: string; credentialId: string; adminUserId: string }): Promise<string> {
  const token = newAccessToken();
  await db.query(
    `INSERT INTO mfa_token (token_hash, tenant_id, credential_id, admin_user_id, expires_at)
     VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5))`,
    [tokenHash(token), ticket.tenantId, ticket.credentialId, ticket.adminUserId, MFA_TOKEN_SECONDS],
  );
  return token;
}

/** The live (unused, unexpired) ticket the token names, or undefined. */
export async function findMfaToken(db: Queryable, token: string): Promise<MfaTicket | undefined> {
  const [row] = await db.query<{ tenant_id: string; credential_id: string; admin_user_id: string; raindrop_message: string | null }>(
    `SELECT tenant_id, credential_id, admin_user_id, raindrop_message FROM mfa_token
     WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now()`,
    [tokenHash(token)],
  );
  return row && {
    tenantId: row.tenant_id,
    credentialId: row.credential_id,
    adminUserId: String(row.admin_user_id),
    raindropMessage: row.raindrop_message,
    tokenHash: tokenHash(token),
  };
}

/** Uses the token up; false when another request did first, so only one access token comes of it. */
export async function spendMfaToken(db: Queryable, ticket: MfaTicket): Promise<boolean> {
  const rows = await db.query('UPDATE mfa_token SET used_at = now() WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now() RETURNING 1', [
    ticket.tokenHash,
  ]);
  return rows.length > 0;
}

export async function setRaindropMessage(db: Queryable, ticket: MfaTicket, message: string): Promise<void> {
  await db.query('UPDATE mfa_token SET raindrop_message = $2 WHERE token_hash = $1', [ticket.tokenHash, message]);
}
