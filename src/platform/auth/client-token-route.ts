import type { FastifyReply, FastifyRequest } from 'fastify';
import OAuth2Server from '@node-oauth/oauth2-server';
import type { Database } from '../db/database.ts';
import { ApiError } from '../http/api-error.ts';
import { verifyCredential } from './credentials.ts';
import { findClientTokenKey, verificationKey } from './client-token-keys.ts';
import { verifyClientToken } from './client-token.ts';
import { ALL_SCOPES } from './scopes.ts';
import { oauthErrorResponses, sendApiRefusal, sendOAuthError, sendToken, tokenResponse } from './oauth-responses.ts';
import { tenantEnvironment } from '../tenant/environment.ts';
import { newAccessToken, storeToken } from './tokens.ts';
import { UUID } from '../entity/uuid.ts';

export interface ClientTokenRouteOptions {
  db: Database;
  tokenLifetimeSeconds: number;
}

// The same syntax the token endpoint's Basic parser accepts, so one credential works on both.
const BASIC = /^ *basic +([A-Za-z0-9._~+/-]+=*) *$/i;
const BEARER = /^Bearer +([A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]*)$/i;

function basicCredentials(header: string | undefined): { id: string; secret: string } | undefined {
  const match = header === undefined ? null : BASIC.exec(header);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString();
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

async function isActiveClient(db: Database, tenantId: string, id: string): Promise<boolean> {
  if (!UUID.test(id)) return false;
  const rows = await db.query(
    `SELECT 1 FROM nucleus_client WHERE tenant_id = $1 AND id = $2 AND (doc->>'is_active') IS DISTINCT FROM 'false'`,
    [tenantId, id],
  );
  return rows.length > 0;
}

export const clientTokenSchema = {
  tags: ['Authorization'],
  summary: 'Obtain an access token for a client with a client token signed by the tenant',
  description:
    'App credentials by HTTP Basic; header "Client-Token: Bearer <jwt>" with a JWT signed by the key registered for ' +
    'the credential ("deuterium credential set-client-token-key"). sub: the Nucleus client id; exp at most 15 minutes ' +
    'after iat; iss, when present, the app\'s client_id. Returns a ROLE_CLIENT token of that client.',
  operationId: 'client_token',
  response: { 200: tokenResponse, ...oauthErrorResponses() },
};

/**
 * POST /authorization/v1/client-token: an app trades a short-lived JWT its back end signed for
 * one of its clients (header "Client-Token: Bearer <jwt>") for a ROLE_CLIENT access token of
 * that client, so an embedded web component gets a token without the client's password.
 */
export function clientTokenHandler({ db, tokenLifetimeSeconds }: ClientTokenRouteOptions) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    try {
      const header = request.headers['client-token'];
      if (header === undefined) throw new OAuth2Server.InvalidRequestError('Missing Client-Token header; send "Client-Token: Bearer <jwt>"');
      const jwt = typeof header === 'string' ? BEARER.exec(header)?.[1] : undefined;
      if (!jwt) throw new OAuth2Server.InvalidRequestError('Malformed Client-Token header; expected "Bearer <jwt>"');

      const basic = basicCredentials(request.headers.authorization);
      if (!basic) throw new OAuth2Server.InvalidClientError('Invalid client: send the app credentials with HTTP Basic');
      const credential = await verifyCredential(db, basic.id, basic.secret, request.ip);
      if (!credential) throw new OAuth2Server.InvalidClientError('Invalid client: client credentials are invalid');

      const key = await findClientTokenKey(db, credential.tenant_id, credential.id);
      if (!key) {
        throw new OAuth2Server.UnauthorizedClientError(
          'Unauthorized client: no client-token key is registered for this credential (deuterium credential set-client-token-key)',
        );
      }
      const clientId = await verifyClientToken(jwt, verificationKey(key), credential.client_id);
      if (!(await isActiveClient(db, credential.tenant_id, clientId))) {
        throw new OAuth2Server.InvalidGrantError('Invalid client token: "sub" is not an active client of this tenant');
      }

      const accessToken = newAccessToken();
      await storeToken(db, accessToken, {
        tenantId: credential.tenant_id,
        credentialId: credential.id,
        clientId,
        authorities: ['ROLE_CLIENT'],
        scopes: ALL_SCOPES,
        expiresAt: new Date(Date.now() + tokenLifetimeSeconds * 1000),
      });
      const environment = await tenantEnvironment(db, credential.tenant_id);
      return sendToken(reply, { accessToken, expiresIn: tokenLifetimeSeconds, scope: ALL_SCOPES, apps: credential.apps, environment });
    } catch (error) {
      if (error instanceof ApiError && error.status < 500) return sendApiRefusal(request, reply, error);
      if (!(error instanceof OAuth2Server.OAuthError)) throw error;
      return sendOAuthError(request, reply, error);
    }
  };
}
