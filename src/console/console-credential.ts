import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SYSTEM } from '../platform/audit/actor.ts';
import type { Database } from '../platform/db/database.ts';
import { createManagedCredential } from '../platform/credentials/credential-changes.ts';
import { ConsoleApi, type ApiAnswer } from './api.ts';

export const CONSOLE_CREDENTIAL_NAME = 'Deuterium console sign-in';

const CREATION_LOCK_KEY = 724_118_010;

export interface ConsoleCredential {
  clientId: string;
  clientSecret: string;
}

/**
 * The API credential the console presents at the token endpoint for a tenant's admin users:
 * the password grant, like Hydrogen's, wants a client beside the user. It is made by the
 * server (recorded in the audit trail as `via: system`) the first time someone signs in to
 * the tenant, and again when it no longer works (revoked, deleted or rotated away by an
 * administrator). The tokens a user gets through it carry the user's own authorities; the
 * credential's own (client_credentials) tokens are ROLE_CLIENT acting for no client, which
 * reads only firm-wide reference data and writes nothing, and its apps are the two APIs the
 * console calls. So its secret, which the console must keep in clear to present it, opens
 * nothing that whoever can read it (the database) does not already hold.
 */
export class ConsoleCredentials {
  constructor(private readonly db: Database) {}

  async of(tenantId: string): Promise<ConsoleCredential> {
    const [row] = await this.db.query<{ client_id: string; client_secret: string }>(
      'SELECT client_id, client_secret FROM console_credential WHERE tenant_id = $1',
      [tenantId],
    );
    return row ? { clientId: row.client_id, clientSecret: row.client_secret } : this.replace(tenantId, undefined);
  }

  /** A grant at the token endpoint as the tenant's console credential, made again when it stopped working. */
  async grant(app: FastifyInstance, request: FastifyRequest, tenantId: string, params: Record<string, string>): Promise<ApiAnswer> {
    const credential = await this.of(tenantId);
    const answer = await ConsoleApi.grant(app, request, credential, params);
    if (answer.status !== 401 || answer.body?.error !== 'invalid_client') return answer;
    // Revoked, deleted or rotated away by an administrator: the console makes itself a new one.
    return ConsoleApi.grant(app, request, await this.replace(tenantId, credential.clientId), params);
  }

  /** A new credential in place of `stale` (the client id that stopped working), made once even when sign-ins race. */
  async replace(tenantId: string, stale: string | undefined): Promise<ConsoleCredential> {
    return this.db.withAdvisoryLock(CREATION_LOCK_KEY, async (session) => {
      const [row] = await session.query<{ client_id: string; client_secret: string }>(
        'SELECT client_id, client_secret FROM console_credential WHERE tenant_id = $1',
        [tenantId],
      );
      if (row && row.client_id !== stale) return { clientId: row.client_id, clientSecret: row.client_secret };
      const created = await createManagedCredential(
        this.db,
        tenantId,
        { name: CONSOLE_CREDENTIAL_NAME, authorities: ['ROLE_CLIENT'], apps: ['nucleus', 'hydro'] },
        SYSTEM,
      );
      await session.query(
        `INSERT INTO console_credential (tenant_id, credential_id, client_id, client_secret) VALUES ($1, $2, $3, $4)
         ON CONFLICT (tenant_id) DO UPDATE SET credential_id = $2, client_id = $3, client_secret = $4`,
        [tenantId, created.id, created.client_id, created.client_secret],
      );
      return { clientId: created.client_id, clientSecret: created.client_secret };
    });
  }
}
