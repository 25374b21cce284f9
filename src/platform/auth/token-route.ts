import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import formbody from '@fastify/formbody';
import OAuth2Server from '@node-oauth/oauth2-server';
import type { Database } from '../db/database.ts';
import { ApiError } from '../http/api-error.ts';
import { errors } from '../http/errors.ts';
import { oauthModel, type AppClient } from './oauth-model.ts';
import { oauthErrorResponses, sendApiRefusal, sendOAuthError, sendToken, tokenResponse } from './oauth-responses.ts';
import { clientTokenHandler, clientTokenSchema } from './client-token-route.ts';
import { MFA_GRANTS, mfaGrantTypes } from './mfa/grants.ts';
import type { Raindrop } from '../../hydro/signatures.ts';
import { tenantEnvironment } from '../tenant/environment.ts';
import { tagLog } from './bearer.ts';

export interface TokenRouteOptions {
  db: Database;
  tokenLifetimeSeconds: number;
  /** Checks a Raindrop second factor on the chain, wherever the chain runs. */
  raindrop: Raindrop;
  /** Adds the token endpoints' rate limit to the instance they are registered on. */
  limit: (tokens: FastifyInstance) => void;
}

/** Hydrogen offers the first two, the others complete an admin user's second factor; the library knows more, which must not become reachable. */
const SUPPORTED_GRANTS = new Set(['client_credentials', 'password', ...Object.values(MFA_GRANTS)]);

/**
 * Hydrogen's generated SDKs find the token URL by replacing everything from ".com" in their
 * base URL with ".com/authorization/v1". On a host without ".com" nothing is replaced: the
 * JavaScript SDK then posts to <base>/oauth/token and <base>/client-token, the Python SDK to
 * <base> itself. A base is the server's root or one API's base path, so both answer there too.
 */
const SDK_BASES = ['', '/nucleus/v1', '/admin/v1', '/proton/v1', '/electron/v1', '/hydro/v1'];

const tokenSchema = {
  tags: ['Authorization'],
  summary: 'Obtain an access token',
  description:
    'grant_type=client_credentials, or grant_type=password with username and password of an admin user ' +
    '(/admin/v1/client) or, when no admin user has that username, of a Nucleus client. Five failed passwords in a row ' +
    'lock the username for 15 minutes. An admin user with is_2fa gets 403 mfa_required with an mfa_token, to send with a ' +
    `second factor: grant_type=${MFA_GRANTS.otp} (otp), ${MFA_GRANTS.recoveryCode} (recovery_code) or ${MFA_GRANTS.raindrop} ` +
    '(docs/admin-2fa.md). ' +
    'Client id and secret by HTTP Basic. Parameters in the query string or an application/x-www-form-urlencoded body.',
  operationId: 'oauth_token',
  response: {
    200: tokenResponse,
    ...oauthErrorResponses('mfa_required: the password was right, and the admin user must also pass a second factor (send it with the mfa_token)'),
  },
};

function grantParameters(request: FastifyRequest): Record<string, string> {
  const body = typeof request.body === 'object' && request.body !== null ? (request.body as Record<string, string>) : {};
  return { ...(request.query as Record<string, string>), ...body };
}

/**
 * POST /authorization/v1/oauth/token and /authorization/v1/client-token, and the same at the
 * URLs Hydrogen's SDKs derive on a host without ".com" (see SDK_BASES). Parameters may come in
 * the query string (as Hydrogen's examples send them) or as a form body; the client
 * authenticates with HTTP Basic. Registered without a prefix so the form parser stays here.
 */
export const tokenRoutes: FastifyPluginAsync<TokenRouteOptions> = async (app, options) => {
  await app.register(formbody);
  options.limit(app);
  const extendedGrantTypes = mfaGrantTypes(options.db, options.raindrop);

  const issueToken = async (request: FastifyRequest, reply: FastifyReply) => {
    // One per request, cheap beside the bcrypt comparison, so the model knows the caller's address.
    const server = new OAuth2Server({
      model: oauthModel(options.db, request.ip),
      accessTokenLifetime: options.tokenLifetimeSeconds,
      requireClientAuthentication: { password: true, client_credentials: true },
      extendedGrantTypes,
    });
    const params = grantParameters(request);
    const oauthRequest = new OAuth2Server.Request({
      method: 'POST',
      query: {},
      body: params,
      // The library only reads form bodies; query-string parameters are handed to it as one.
      headers: {
        authorization: request.headers.authorization ?? '',
        'content-type': 'application/x-www-form-urlencoded',
        'content-length': String(JSON.stringify(params).length),
      },
    });
    const oauthResponse = new OAuth2Server.Response({ headers: {} });
    try {
      if (params.grant_type && !SUPPORTED_GRANTS.has(params.grant_type)) {
        throw new OAuth2Server.UnsupportedGrantTypeError(`Unsupported grant type: use client_credentials or password`);
      }
      const token = await server.token(oauthRequest, oauthResponse);
      const expiresIn = token.accessTokenExpiresAt
        ? Math.round((token.accessTokenExpiresAt.getTime() - Date.now()) / 1000)
        : options.tokenLifetimeSeconds;
      const client = token.client as AppClient;
      tagLog(request, { tenantId: client.tenantId, credentialId: client.id });
      const environment = await tenantEnvironment(options.db, client.tenantId);
      return sendToken(reply, { accessToken: token.accessToken, expiresIn, scope: token.scope ?? [], apps: client.apps, environment });
    } catch (error) {
      // The library wraps what our model throws: a refusal of ours (ip_not_allowed) is answered
      // as itself in the OAuth shape, a chain that cannot answer (503) as the server error it is.
      const inner = error instanceof OAuth2Server.OAuthError ? (error as { inner?: unknown }).inner : undefined;
      if (inner instanceof ApiError) {
        if (inner.status >= 500) throw inner;
        return sendApiRefusal(request, reply, inner);
      }
      if (!(error instanceof OAuth2Server.OAuthError)) throw error;
      return sendOAuthError(request, reply, error);
    }
  };
  const issueClientToken = clientTokenHandler(options);

  app.post('/authorization/v1/oauth/token', { schema: tokenSchema, handler: issueToken });
  app.post('/authorization/v1/client-token', { schema: clientTokenSchema, handler: issueClientToken });

  const hidden = { hide: true };
  for (const base of SDK_BASES) {
    app.post(`${base}/oauth/token`, { schema: hidden, handler: issueToken });
    app.post(`${base}/client-token`, { schema: hidden, handler: issueClientToken });
    // The Python SDK's request: the grant in the query string, or the Client-Token header.
    app.post(base || '/', {
      schema: hidden,
      handler: async (request, reply) => {
        if (request.headers['client-token'] !== undefined) return issueClientToken(request, reply);
        if (grantParameters(request).grant_type !== undefined) return issueToken(request, reply);
        throw errors.notFound({ reason: `No route POST ${request.url.split('?')[0]}` });
      },
    });
  }
};
