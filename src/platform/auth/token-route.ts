import type { FastifyPluginAsync } from 'fastify';
import formbody from '@fastify/formbody';
import OAuth2Server from '@node-oauth/oauth2-server';
import type { Database } from '../db/database.ts';
import { oauthModel } from './oauth-model.ts';

export interface TokenRouteOptions {
  db: Database;
  tokenLifetimeSeconds: number;
}

/** What the token endpoint says the token may be used for, as Hydrogen's response does. */
const APPS = 'nucleus,proton,electron,hydro';

const tokenResponse = {
  type: 'object',
  properties: {
    access_token: { type: 'string' },
    token_type: { type: 'string', enum: ['bearer'] },
    expires_in: { type: 'integer', description: 'Seconds until the token expires' },
    scope: { type: 'string', description: 'Space-separated scopes granted' },
    apps: { type: 'string', description: 'Comma-separated APIs the token is good for' },
  },
  required: ['access_token', 'token_type', 'expires_in', 'scope', 'apps'],
} as const;

/** Hydrogen offers these two; the library knows more, which must not become reachable. */
const SUPPORTED_GRANTS = new Set(['client_credentials', 'password']);

const oauthError = {
  type: 'object',
  properties: {
    error: { type: 'string', description: 'RFC 6749 error code' },
    error_description: { type: 'string' },
    status: { type: 'integer' },
    code: { type: 'string' },
    message: { type: 'string' },
    request_id: { type: 'string' },
  },
  required: ['error', 'error_description', 'status', 'code', 'message', 'request_id'],
} as const;

/**
 * POST /authorization/v1/oauth/token. Parameters may come in the query string (as Hydrogen's
 * examples send them) or as a form body; the client authenticates with HTTP Basic.
 */
export const tokenRoute: FastifyPluginAsync<TokenRouteOptions> = async (app, options) => {
  await app.register(formbody);
  const server = new OAuth2Server({
    model: oauthModel(options.db),
    accessTokenLifetime: options.tokenLifetimeSeconds,
    requireClientAuthentication: { password: true, client_credentials: true },
  });

  app.post('/oauth/token', {
    schema: {
      tags: ['Authorization'],
      summary: 'Obtain an access token',
      description:
        'grant_type=client_credentials, or grant_type=password with username and password of a Nucleus client. ' +
        'Client id and secret by HTTP Basic. Parameters in the query string or an application/x-www-form-urlencoded body.',
      operationId: 'oauth_token',
      response: { 200: tokenResponse, '4xx': oauthError },
    },
    handler: async (request, reply) => {
      const body = typeof request.body === 'object' && request.body !== null ? (request.body as Record<string, string>) : {};
      const params = { ...(request.query as Record<string, string>), ...body };
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
        reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
        return {
          access_token: token.accessToken,
          token_type: 'bearer',
          expires_in: expiresIn,
          scope: (token.scope ?? []).join(' '),
          apps: APPS,
        };
      } catch (error) {
        if (!(error instanceof OAuth2Server.OAuthError)) throw error;
        // RFC 6749 section 5.2: a failed client authentication is 401 however it was sent.
        const status = error.name === 'invalid_client' ? 401 : error.code >= 500 ? 500 : 400;
        if (status === 401) reply.header('www-authenticate', 'Basic realm="deuterium"');
        if (status === 500) request.log.error({ err: error }, 'token endpoint failure');
        return reply.code(status).send({
          error: error.name,
          error_description: error.message,
          status,
          code: error.name,
          message: error.message,
          request_id: String(request.id),
        });
      }
    },
  });
};
