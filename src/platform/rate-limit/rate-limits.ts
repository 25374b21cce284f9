import type { FastifyInstance, FastifyRequest } from 'fastify';
import rateLimit, { type RateLimitOptions, type RateLimitPluginOptions } from '@fastify/rate-limit';
import { errors } from '../http/errors.ts';
import type { AuthContext } from '../auth/tokens.ts';
import type { RateLimitWindows } from './windows.ts';

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
export const rateLimitSchema = { type: ['integer', 'null'], minimum: 0, maximum: MAX_RATE_LIMIT };

/** The limit a credential's requests are held to: its own, else its tenant's, else its environment's default. */
export function credentialLimit(auth: AuthContext, settings: RateLimitSettings): number {
  return auth.rateLimit ?? (auth.environment === 'sandbox' ? settings.sandbox : settings.production);
}

/** @fastify/rate-limit's store interface over the shared windows; one per process, shared by every API. */
function sharedStore(windows: RateLimitWindows) {
  return class SharedWindows {
    incr(key: string, done: (error: Error | null, count?: { current: number; ttl: number }) => void, timeWindow: number, max: number): void {
      windows.count(key, timeWindow, max).then((count) => done(null, count), done);
    }

    child(): SharedWindows {
      return this;
    }
  };
}

function exceeded(what: string) {
  return (_request: FastifyRequest, context: { max: number; ttl: number; after: string }) =>
    errors.rateLimitExceeded({ reason: `${what} may make ${context.max} requests per window; retry in ${context.after}` });
}

function common(windows: RateLimitWindows, settings: RateLimitSettings): RateLimitPluginOptions {
  return {
    global: true,
    timeWindow: settings.windowMs,
    // The IETF draft's RateLimit-Limit, RateLimit-Remaining and RateLimit-Reset, and Retry-After on a 429.
    enableDraftSpec: true,
    store: sharedStore(windows) as unknown as RateLimitPluginOptions['store'],
  };
}

/**
 * Holds every request of the instance's routes to its credential's limit, counted across all
 * server processes (windows.ts). Added after requireBearer, whose onRequest hook runs first
 * and puts the credential on the request; a refused token costs no count.
 */
export async function limitCredentialRequests(app: FastifyInstance, windows: RateLimitWindows, settings: RateLimitSettings): Promise<void> {
  await app.register(rateLimit, {
    ...common(windows, settings),
    hook: 'onRequest',
    keyGenerator: (request) => `credential:${request.auth.credentialId}`,
    max: (request) => credentialLimit(request.auth, settings),
    allowList: (request) => credentialLimit(request.auth, settings) === 0,
    errorResponseBuilder: exceeded('This API credential'),
  });
}

function basicClientId(header: string | undefined): string | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon > 0 ? decoded.slice(0, colon) : undefined;
}

/** The token endpoints' limit, by the client id asked for (Basic or form), else by the caller's address. */
export async function limitTokenRequests(app: FastifyInstance, windows: RateLimitWindows, settings: RateLimitSettings): Promise<void> {
  if (settings.token === 0) return;
  await app.register(rateLimit, {
    ...common(windows, settings),
    // After the form body is parsed, which may carry the client id.
    hook: 'preHandler',
    keyGenerator: (request) => {
      const body = request.body as Record<string, unknown> | undefined;
      const clientId = basicClientId(request.headers.authorization) ?? (typeof body?.client_id === 'string' ? body.client_id : undefined);
      return clientId ? `token:${clientId}` : `token-address:${request.ip}`;
    },
    max: settings.token,
    errorResponseBuilder: exceeded('Token requests for this client'),
  } satisfies RateLimitPluginOptions & RateLimitOptions);
}
