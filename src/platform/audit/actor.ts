import type { FastifyRequest } from 'fastify';
import { canonicalAddress } from '../credentials/allowlist.ts';

/**
 * Who made a change: a token's caller through the API (its credential, the admin user it was
 * issued to, the address it came from), the operator tool on the database itself, or the
 * server on its own (the first tenant's credential, made at first start).
 */
export type Actor =
  | { via: 'api'; credential_id: string; admin_user_id: string | null; nucleus_client_id: string | null; ip: string }
  | { via: 'cli' }
  | { via: 'system' };

export const OPERATOR: Actor = { via: 'cli' };
export const SYSTEM: Actor = { via: 'system' };

/** A caller through the API, including one that holds no access token yet (an mfa_token, a grant in progress). */
export function apiActor(caller: { credentialId: string; adminUserId?: string | null; clientId?: string | null }, address: string): Actor {
  return {
    via: 'api',
    credential_id: caller.credentialId,
    admin_user_id: caller.adminUserId ?? null,
    nucleus_client_id: caller.clientId ?? null,
    ip: canonicalAddress(address),
  };
}

/** The caller of a request made with an access token. */
export function actorOf(request: FastifyRequest): Actor {
  return apiActor(request.auth, request.ip);
}
