import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { Database } from '../db/database.ts';
import { ApiError } from '../http/api-error.ts';
import { errors } from '../http/errors.ts';
import { scopeRefusal } from './scopes.ts';
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
  // A callback hook, done at once when the token is cached, as it is for most requests: an
  // async one would cost each of them promises for nothing.
  app.addHook('onRequest', (request, _reply, done) => {
    const header = request.headers.authorization;
    if (!header) return done(errors.unauthorized({ reason: 'Missing Authorization header; send "Authorization: Bearer <access_token>"' }));
    const match = BEARER.exec(header);
    if (!match) return done(errors.unauthorized({ reason: 'Malformed Authorization header; expected "Bearer <access_token>"' }));
    const resolved = resolveToken(db, match[1]);
    if (!(resolved instanceof Promise)) return done(admitted(request, resolved, api));
    resolved.then((auth) => done(auth ? admitted(request, auth, api) : errors.unauthorized({ reason: 'The access token is invalid, expired or revoked' })), done);
  });
}

/**
 * Puts the caller on the request when its token may be used from the caller's address, for
 * this API and with the scope the request needs; else the refusal.
 */
function admitted(request: FastifyRequest, auth: AuthContext, api: App): ApiError | undefined {
  try {
    checkAllowed(auth.allowlist ?? null, request.ip);
    checkApp(auth.apps, api);
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  const refused = scopeRefusal(auth.scopes, request.method, () => request.routeOptions.url);
  if (refused) return refused;
  request.auth = auth;
  tagLog(request, auth);
}

/**
 * Names the caller's tenant and credential on every later line of the request's log, its
 * completion included. Added to the request's own logger, which Fastify made for it alone:
 * cheaper than a child logger, and the reply logs through the same one.
 */
export function tagLog(request: FastifyRequest, caller: { tenantId: string; credentialId: string }): void {
  (request.log as Logger).setBindings({ tenant: caller.tenantId, credential: caller.credentialId });
}
