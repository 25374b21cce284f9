import type { FastifyPluginAsync } from 'fastify';
import formbody from '@fastify/formbody';
import OAuth2Server from '@node-oauth/oauth2-server';
import type { Database } from '../db/database.ts';
import { oauthModel } from './oauth-model.ts';
import { oauthError, sendOAuthError, sendToken, tokenResponse } from './oauth-responses.ts';
import { clientTokenRoute } from './client-token-route.ts';

export interface TokenRouteOptions {
  db: Database;
  tokenLifetimeSeconds: number;
}

/** Hydrogen offers these two; the library knows more, which must not become reachable. */
const SUPPORTED_GRANTS = new Set(['client_credentials', 'password']);

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
        'grant_type=client_credentials, or grant_type=password with username and password of an admin user ' +
        '(/admin/v1/client) or, when no admin user has that username, of a Nucleus client. Five failed passwords in a row ' +
        'lock the username for 15 minutes. ' +
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
        return sendToken(reply, { accessToken: token.accessToken, expiresIn, scope: token.scope ?? [] });
      } catch (error) {
        if (!(error instanceof OAuth2Server.OAuthError)) throw error;
        return sendOAuthError(request, reply, error);
      }
    },
  });

  await app.register(clientTokenRoute, { db: options.db, tokenLifetimeSeconds: options.tokenLifetimeSeconds });
};
