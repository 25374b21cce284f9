import type { Database } from '../platform/db/database.ts';
import { revokeToken } from '../platform/auth/tokens.ts';
import type { Environment } from '../platform/tenant/environment.ts';
import { csrfTokenOf, idHashOf, newSecret, seal, unseal } from './sealing.ts';
import type { ConsoleSettings } from './settings.ts';

/** Signed in, or past the password and waiting for the second factor (the token is then the mfa_token). */
export type SessionStage = 'signed_in' | 'second_factor';

export interface ConsoleSession {
  tenantId: string;
  tenantName: string;
  username: string;
  environment: Environment;
  stage: SessionStage;
  token: string;
  /** Every form of the session carries it; a post without it is refused. */
  csrf: string;
  /** The cookie's value. */
  cookie: string;
}

/** A session as it is opened: the server makes its CSRF token and cookie. */
export type NewSession = Omit<ConsoleSession, 'csrf' | 'cookie'> & {
  /** When the token stops working: the session cannot outlive it. */
  tokenExpiresAt: Date;
};

interface Row {
  tenant_id: string;
  tenant_name: string;
  username: string;
  environment: Environment;
  stage: SessionStage;
  sealed_token: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The cookie names the tenant as well, so a session is found by the key it is stored under. */
function parseCookie(cookie: string): { tenantId: string; secret: string } | undefined {
  const [tenantId, secret, extra] = cookie.split('.');
  if (extra !== undefined || !tenantId || !UUID.test(tenantId) || !secret || !/^[A-Za-z0-9_-]{43}$/.test(secret)) return undefined;
  return { tenantId, secret };
}

function sessionOf(row: Row, cookie: string, secret: string): ConsoleSession {
  return {
    tenantId: row.tenant_id,
    tenantName: row.tenant_name,
    username: row.username,
    environment: row.environment,
    stage: row.stage,
    token: unseal(secret, row.sealed_token),
    csrf: csrfTokenOf(secret),
    cookie,
  };
}

/**
 * Console sessions, kept in PostgreSQL so that every server process knows them. A session ends
 * when unused for idleSeconds, maxSeconds after it began, when its token expires, or at sign-out.
 */
export class ConsoleSessions {
  constructor(
    private readonly db: Database,
    private readonly settings: ConsoleSettings,
  ) {}

  async start(session: NewSession): Promise<ConsoleSession> {
    await this.removeEnded();
    const secret = newSecret();
    const cookie = `${session.tenantId}.${secret}`;
    const longest = new Date(Date.now() + this.settings.maxSeconds * 1000);
    const expiresAt = session.tokenExpiresAt < longest ? session.tokenExpiresAt : longest;
    const [row] = await this.db.query<Row>(
      `INSERT INTO console_session (tenant_id, id_hash, stage, tenant_name, username, environment, sealed_token, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       RETURNING tenant_id, tenant_name, username, environment, stage, sealed_token`,
      [session.tenantId, idHashOf(secret), session.stage, session.tenantName, session.username, session.environment, seal(secret, session.token), expiresAt.toISOString()],
    );
    return sessionOf(row, cookie, secret);
  }

  /**
   * The live session the cookie names, marked as used now; undefined for none. A session found
   * ended is removed, and its access token revoked, as at sign-out.
   */
  async find(cookie: string | undefined): Promise<ConsoleSession | undefined> {
    const parsed = cookie ? parseCookie(cookie) : undefined;
    if (!cookie || !parsed) return undefined;
    const [row] = await this.db.query<Row>(
      `UPDATE console_session SET last_seen_at = now()
       WHERE tenant_id = $1 AND id_hash = $2 AND expires_at > now() AND last_seen_at > now() - make_interval(secs => $3)
       RETURNING tenant_id, tenant_name, username, environment, stage, sealed_token`,
      [parsed.tenantId, idHashOf(parsed.secret), this.settings.idleSeconds],
    );
    if (row) return sessionOf(row, cookie, parsed.secret);
    await this.end(cookie);
    return undefined;
  }

  /** Removes the session and revokes its access token; an mfa_token simply expires. */
  async end(cookie: string): Promise<void> {
    const parsed = parseCookie(cookie);
    if (!parsed) return;
    const [row] = await this.db.query<Row>(
      'DELETE FROM console_session WHERE tenant_id = $1 AND id_hash = $2 RETURNING tenant_id, tenant_name, username, environment, stage, sealed_token',
      [parsed.tenantId, idHashOf(parsed.secret)],
    );
    if (row?.stage === 'signed_in') await revokeToken(this.db, unseal(parsed.secret, row.sealed_token));
  }

  /**
   * Ended sessions nobody came back to. Their access tokens are left to expire: sealed with a
   * key only the discarded cookie held, they can no longer be used by anyone.
   */
  private async removeEnded(): Promise<void> {
    await this.db.query('DELETE FROM console_session WHERE expires_at <= now() OR last_seen_at <= now() - make_interval(secs => $1)', [
      this.settings.idleSeconds,
    ]);
  }
}
