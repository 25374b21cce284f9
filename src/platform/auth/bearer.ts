import type { FastifyInstance } from 'fastify';
import type { Database } from '../db/database.ts';
import { ApiError } from '../http/api-error.ts';
import { checkScope } from './scopes.ts';
import { resolveToken, type AuthContext } from './tokens.ts';
import { checkAllowed } from '../credentials/allowlist.ts';
import { checkApp, type App } from '../credentials/apps.ts';

declare module 'fastify' {
  interface FastifyRequest {
    auth: AuthContext;
  }
}

const BEARER = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i;

/**
 * Requires a valid bearer token on every route of the instance it is added to (the API
 * `api`), sent from an address its credential's allowlist holds, by a credential allowed to
 * call that API, granted the scope the request needs (scopes.ts), and puts the caller's
 * tenant and roles on request.auth.
 */
export function requireBearer(app: FastifyInstance, db: Database, api: App): void {
  app.addHook('onRequest', async (request) => {
    const header = request.headers.authorization;
    if (!header) throw ApiError.unauthorized('Missing Authorization header; send "Authorization: Bearer <access_token>"');
    const match = BEARER.exec(header);
    if (!match) throw ApiError.unauthorized('Malformed Authorization header; expected "Bearer <access_token>"');
    const auth = await resolveToken(db, match[1]);
    if (!auth) throw ApiError.unauthorized('The access token is invalid, expired or revoked');
    checkAllowed(auth.allowlist ?? null, request.ip);
    checkApp(auth.apps, api);
    checkScope(auth.scopes, request.method, request.routeOptions.url);
    request.auth = auth;
  });
}
