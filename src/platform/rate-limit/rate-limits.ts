import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler, preHandlerHookHandler } from 'fastify';
import { Type, type TUnsafe } from 'typebox';
import type { ApiError } from '../http/api-error.ts';
import { errors } from '../http/errors.ts';
import type { AuthContext } from '../auth/tokens.ts';
import type { RateLimitWindows, WindowCount } from './windows.ts';

/** Requests allowed per window (0: no limit), from the settings table in the README. */
export interface RateLimitSettings {
  windowMs: number;
  /** Per credential, in a production tenant that sets no limit of its own. */
  production: number;
  /** Per credential, in a sandbox tenant that sets no limit of its own. */
  sandbox: number;
  /** Token requests per client id (or per address when none is sent), whatever the tenant. */
  token: number;
}

/** The most a tenant or a credential may set: beyond it, 0 (no limit) says what is meant. */
export const MAX_RATE_LIMIT = 1_000_000_000;

/** A limit as a tenant or a credential sets it: 0 for none, null for the default it falls back to. */
export function rateLimitSchema(options: { description?: string } = {}): TUnsafe<number | null> {
  return Type.Unsafe<number | null>({ type: ['integer', 'null'], minimum: 0, maximum: MAX_RATE_LIMIT, ...options });
}

/** The limit a credential's requests are held to: its own, else its tenant's, else its environment's default. */
export function credentialLimit(auth: AuthContext, settings: RateLimitSettings): number {
  return auth.rateLimit ?? (auth.environment === 'sandbox' ? settings.sandbox : settings.production);
}

/** What a limit counts requests by, and how many it allows. */
interface Limited {
  /** The key of the window a request counts in. */
  key(request: FastifyRequest): string;
  /** Its limit; 0 for none (and no headers). */
  limit(request: FastifyRequest): number;
  /** Who a refusal names: "This API credential may make 10 requests per window". */
  who: string;
}

/** The IETF draft's RateLimit fields on the answer, and over the limit Retry-After and the refusal. */
function decide(reply: FastifyReply, limit: number, { current, ttl }: WindowCount, who: string): ApiError | undefined {
  const resetSeconds = Math.ceil(ttl / 1000);
  reply.header('ratelimit-limit', limit);
  reply.header('ratelimit-remaining', Math.max(0, limit - current));
  reply.header('ratelimit-reset', resetSeconds);
  if (current <= limit) return undefined;
  reply.header('retry-after', resetSeconds);
  return errors.rateLimitExceeded({ reason: `${who} may make ${limit} requests per window; retry in ${resetSeconds} s` });
}

/**
 * A callback hook that counts each request into its key's window (windows.ts) and refuses it
 * over the limit. Ours rather than @fastify/rate-limit's: it runs on every request, and the
 * plugin's made 14 promises and a request.routeOptions object for each (half the promises of
 * a GET by id); a count this process holds a share for is decided here at once.
 */
function limitHook(windows: RateLimitWindows, windowMs: number, limited: Limited): onRequestHookHandler & preHandlerHookHandler {
  return (request, reply, done) => {
    const limit = limited.limit(request);
    if (limit === 0) return done();
    const counted = windows.count(limited.key(request), windowMs, limit);
    if (counted instanceof Promise) counted.then((count) => done(decide(reply, limit, count, limited.who)), done);
    else done(decide(reply, limit, counted, limited.who));
  };
}

/**
 * Holds every request of the instance's routes to its credential's limit, counted across all
 * server processes (windows.ts). Added after requireBearer, whose onRequest hook runs first
 * and puts the credential on the request; a refused token costs no count.
 */
export function limitCredentialRequests(app: FastifyInstance, windows: RateLimitWindows, settings: RateLimitSettings): void {
  app.addHook(
    'onRequest',
    limitHook(windows, settings.windowMs, {
      key: (request) => `credential:${request.auth.credentialId}`,
      limit: (request) => credentialLimit(request.auth, settings),
      who: 'This API credential',
    }),
  );
}

function basicClientId(header: string | undefined): string | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon > 0 ? decoded.slice(0, colon) : undefined;
}

/** The token endpoints' limit, by the client id asked for (Basic or form), else by the caller's address. */
export function limitTokenRequests(app: FastifyInstance, windows: RateLimitWindows, settings: RateLimitSettings): void {
  if (settings.token === 0) return;
  // After the form body is parsed, which may carry the client id.
  app.addHook(
    'preHandler',
    limitHook(windows, settings.windowMs, {
      key: (request) => {
        const body = request.body as Record<string, unknown> | undefined;
        const clientId = basicClientId(request.headers.authorization) ?? (typeof body?.client_id === 'string' ? body.client_id : undefined);
        return clientId ? `token:${clientId}` : `token-address:${request.ip}`;
      },
      limit: () => settings.token,
      who: 'Token requests for this client',
    }),
  );
}
