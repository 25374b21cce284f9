import type { FastifyRequest } from 'fastify';
import { errors } from '../platform/http/errors.ts';
import { decide, type Action } from '../platform/acl/policy.ts';
import type { AuthContext } from '../platform/auth/tokens.ts';
import type { WriteOrigin } from '../platform/entity/writer.ts';
import { system } from '../platform/entity/system-origin.ts';

/**
 * Electron acts on the tenant's card program as a whole (its reserve pays for every load), so
 * only roles that reach the whole tenant may call it: a client's own login may not load its
 * own card from the program's money.
 */
export function requireProgramRole(auth: AuthContext, entity: string, action: Action): void {
  const decision = decide(auth.authorities, entity, action);
  if (!decision.allowed || decision.reach !== 'tenant') {
    throw errors.forbidden({ reason: `Electron operations act for the whole card program; your authorities (${auth.authorities.join(', ') || 'none'}) do not allow ${action === 'read' ? 'reading' : 'changing'} every ${entity} of the tenant` });
  }
}

/** Who asked for a money movement, kept with it so later writes (a settlement) are audited to them. */
export interface Requester {
  credential_id: string;
  request_id: string;
  method: string;
  url: string;
}

export function requesterOf(request: FastifyRequest): Requester {
  return { credential_id: request.auth.credentialId, request_id: String(request.id), method: request.method, url: request.url };
}

/**
 * The origin of the Nucleus writes Electron makes as a consequence of a request (a card's new
 * status, a transaction record): the server's own writes (system-origin.ts), audited with the
 * reason and the caller's credential and request. The caller has already been checked for the
 * operation itself.
 */
export function electronOrigin(tenantId: string, requester: Requester, reason: string, body?: unknown): WriteOrigin {
  return system(reason, { tenantId, credentialId: requester.credential_id, requestId: requester.request_id, method: requester.method, url: requester.url }, body);
}
