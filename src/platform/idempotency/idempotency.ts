import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuthContext } from '../auth/tokens.ts';
import type { PlatformDeps } from '../deps.ts';
import { errors } from '../http/errors.ts';
import { claimKey, deleteExpiredKeys, releaseKey, storeResponse, type Claim, type Fingerprint } from './keys.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * false: the route ignores Idempotency-Key. For an answer holding a secret stored nowhere
     * else in clear (an API credential's client_secret), or a request holding a password:
     * keeping the answer to replay it, or the request's fingerprint, would keep the secret.
     */
    idempotency?: boolean;
  }
}

const HEADER = 'Idempotency-Key';
const WRITE_METHODS = new Set(['POST', 'PUT', 'DELETE']);
const PRINTABLE_KEY = /^[\x20-\x7E]{1,255}$/;
const SWEEP_INTERVAL_MS = 10 * 60 * 1000;

function keyOf(header: string | string[]): string {
  if (Array.isArray(header) || !PRINTABLE_KEY.test(header)) {
    throw errors.invalidIdempotencyKey({ reason: `${HEADER} must be one value of 1 to 255 printable ASCII characters`, field: HEADER });
  }
  return header;
}

function callerOf(auth: AuthContext): string {
  return auth.clientId ? `${auth.credentialId}/${auth.clientId}` : auth.credentialId;
}

/** JSON with object keys sorted, so a body re-serialised in another key order still matches. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? '';
}

function fingerprintOf(request: FastifyRequest): Fingerprint {
  const bodyHash = createHash('sha256').update(canonicalJson(request.body)).digest('hex');
  return { method: request.method, path: request.url, bodyHash };
}

/** The body as it will be sent, or undefined when it cannot be kept (a stream). */
function payloadText(payload: unknown): string | null | undefined {
  if (payload === null || payload === undefined) return null;
  if (typeof payload === 'string') return payload;
  if (Buffer.isBuffer(payload)) return payload.toString('utf8');
  return undefined;
}

/**
 * Honours an Idempotency-Key header on the POST, PUT and DELETE routes of the scope it is
 * added to, unless a route says `config: { idempotency: false }` (after authentication, which it needs for the tenant and caller): the first request
 * with a key claims it and its answer is kept for 24 hours; a repeat gets that answer again,
 * marked Idempotent-Replayed; a different request with the key gets 422; a repeat while the
 * first is still running gets 409. A 5xx is not kept, so the client's retry runs again.
 */
export function registerIdempotency(scope: FastifyInstance, deps: Pick<PlatformDeps, 'db'>): void {
  const { db } = deps;
  // Requests holding a claim, and whether their claim is settled (stored or released) yet.
  const claims = new WeakMap<FastifyRequest, { claim: Claim; settled: boolean }>();
  const lastSweep = new Map<string, number>();

  // Expired rows are overwritten in place when their key comes back; this clears the rest,
  // one tenant at a time so it stays on that tenant's rows.
  async function sweep(tenantId: string): Promise<void> {
    const now = Date.now();
    if (now - (lastSweep.get(tenantId) ?? 0) < SWEEP_INTERVAL_MS) return;
    lastSweep.set(tenantId, now);
    await deleteExpiredKeys(db, tenantId);
  }

  async function settle(request: FastifyRequest, action: (claim: Claim) => Promise<void>): Promise<void> {
    const held = claims.get(request);
    if (!held || held.settled) return;
    held.settled = true;
    try {
      await action(held.claim);
    } catch (error) {
      // The claim stays in progress and becomes stale, after which a retry may take it over.
      request.log.error({ err: error }, 'could not settle idempotency key');
    }
  }

  // preHandler runs after the body is validated, so a request refused as invalid claims nothing.
  const preHandler = async (request: FastifyRequest, reply: FastifyReply) => {
    const header = request.headers['idempotency-key'];
    if (header === undefined || !WRITE_METHODS.has(request.method)) return;
    const key = keyOf(header);
    const { tenantId } = request.auth;
    await sweep(tenantId);
    const outcome = await claimKey(db, { tenantId, caller: callerOf(request.auth), key }, fingerprintOf(request));
    switch (outcome.kind) {
      case 'claimed':
        claims.set(request, { claim: outcome.claim, settled: false });
        return;
      case 'mismatch':
        throw errors.idempotencyKeyReused({ reason: `This ${HEADER} was already used for a request with a different ${outcome.differs.join(', ')}; use a new key for a new request`, field: HEADER });
      case 'in_progress':
        throw errors.idempotencyRequestInProgress({ reason: `A request with this ${HEADER} is still running; retry shortly`, field: HEADER });
      case 'replay': {
        const { statusCode, contentType, body } = outcome.response;
        if (contentType) reply.header('content-type', contentType);
        reply.header('idempotent-replayed', 'true').code(statusCode);
        return reply.send(body ?? undefined);
      }
    }
  };

  // Settled before the answer leaves, so a client retrying right after a 5xx finds the key free.
  const onSend = async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const body = payloadText(payload);
    await settle(request, (claim) =>
      reply.statusCode >= 500 || body === undefined
        ? releaseKey(db, claim)
        : storeResponse(db, claim, { statusCode: reply.statusCode, contentType: String(reply.getHeader('content-type') ?? '') || null, body }),
    );
    return payload;
  };

  // A request that ends without onSend settling its claim (an onSend hook failed) must not hold the key.
  const onResponse = async (request: FastifyRequest) => {
    await settle(request, (claim) => releaseKey(db, claim));
  };

  // On the write routes alone: reads, most of the traffic, would otherwise pay three hooks each for nothing.
  scope.addHook('onRoute', (route) => {
    if (![route.method].flat().some((method) => WRITE_METHODS.has(method))) return;
    if (route.config?.idempotency === false) return;
    route.preHandler = [...[route.preHandler ?? []].flat(), preHandler];
    route.onSend = [...[route.onSend ?? []].flat(), onSend];
    route.onResponse = [...[route.onResponse ?? []].flat(), onResponse];
  });
}
