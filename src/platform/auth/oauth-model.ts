import type OAuth2Server from '@node-oauth/oauth2-server';
import type { Database } from '../db/database.ts';
import { verifyCredential } from './credentials.ts';
import { findAdminLogin } from './admin-users.ts';
import { throttledLogin } from './login-throttle.ts';
import { verifySecret, verifyNothing } from './passwords.ts';
import { ALL_SCOPES } from './scopes.ts';
import { newAccessToken, storeToken } from './tokens.ts';
import { MFA_GRANTS, mfaRequired } from './mfa/grants.ts';

export interface AppClient extends OAuth2Server.Client {
  tenantId: string;
  authorities: string[];
  apps: string[];
  /** The address the token request came from (the model is made per request), for the audit trail of what a grant changes. */
  address: string;
}

export interface TokenUser extends OAuth2Server.User {
  clientId: string | null;
  adminUserId: string | null;
  authorities: string[];
  /** An admin user with is_2fa: its password earns an mfa_token, not an access token. */
  requiresSecondFactor: boolean;
}

/**
 * Who a username and password log in as, in this order: an admin user of the tenant
 * (/admin/v1/client), else a Nucleus client with that username. An admin user shadows a
 * Nucleus client of the same name: its password alone decides. Every path that finds nobody
 * able to log in still spends one bcrypt comparison.
 */
async function findUser(db: Database, tenantId: string, username: string, password: string): Promise<TokenUser | false> {
  const admin = await findAdminLogin(db, tenantId, username);
  if (admin) {
    const ok = await verifySecret(password, admin.passwordHash);
    return ok && admin.canLogIn && { clientId: null, adminUserId: admin.id, authorities: admin.authorities, requiresSecondFactor: admin.requiresSecondFactor };
  }
  const rows = await db.query<{ id: string; doc: { password?: string; authorities?: string[]; is_active?: boolean } }>(
    `SELECT id, doc FROM nucleus_client WHERE tenant_id = $1 AND doc->>'username' = $2`,
    [tenantId, username],
  );
  const row = rows[0];
  if (!row || row.doc.is_active === false || typeof row.doc.password !== 'string') return verifyNothing(password);
  if (!(await verifySecret(password, row.doc.password))) return false;
  return { clientId: row.id, adminUserId: null, authorities: row.doc.authorities ?? ['ROLE_CLIENT'], requiresSecondFactor: false };
}

/**
 * Storage callbacks for @node-oauth/oauth2-server, backed by our credential and token tables,
 * for one token request: the library hands its callbacks no request, and a wrong client secret
 * is counted per source address (see verifyCredential).
 */
export function oauthModel(db: Database, sourceAddress: string): OAuth2Server.ClientCredentialsModel & OAuth2Server.PasswordModel {
  return {
    async getClient(clientId, clientSecret) {
      const credential = await verifyCredential(db, clientId, clientSecret, sourceAddress);
      if (!credential) return false;
      const client: AppClient = {
        id: credential.id,
        grants: ['client_credentials', 'password', ...Object.values(MFA_GRANTS)],
        tenantId: credential.tenant_id,
        authorities: credential.authorities,
        apps: credential.apps,
        address: sourceAddress,
      };
      return client;
    },

    async getUserFromClient(client) {
      const user: TokenUser = { clientId: null, adminUserId: null, authorities: (client as AppClient).authorities, requiresSecondFactor: false };
      return user;
    },

    async getUser(username, password, client) {
      const app = client as AppClient;
      const user = await throttledLogin(db, app.tenantId, username, password, () => findUser(db, app.tenantId, username, password));
      if (user && user.requiresSecondFactor) throw await mfaRequired(db, app, user.adminUserId!);
      return user;
    },

    async validateScope(_user, _client, scope) {
      if (!scope || scope.length === 0) return ALL_SCOPES;
      return scope.every((s) => ALL_SCOPES.includes(s)) ? scope : false;
    },

    async generateAccessToken() {
      return newAccessToken();
    },

    async saveToken(token, client, user) {
      const app = client as AppClient;
      const who = user as TokenUser;
      await storeToken(db, token.accessToken, {
        tenantId: app.tenantId,
        credentialId: app.id,
        clientId: who.clientId,
        adminUserId: who.adminUserId,
        authorities: who.authorities,
        scopes: token.scope ?? ALL_SCOPES,
        expiresAt: token.accessTokenExpiresAt ?? new Date(),
      });
      return { ...token, client, user };
    },

    // Bearer tokens are checked by our own hook (bearer.ts), which also resolves the tenant.
    async getAccessToken() {
      return false;
    },
  };
}
