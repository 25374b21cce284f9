import { errors } from '../platform/http/errors.ts';
import type { AuthContext } from '../platform/auth/tokens.ts';

/**
 * A partner is a tenant: its id on the chain is the first 48 bits of the tenant's random
 * UUID, distinct across tenants short of a one in 2^48 chance and small enough for a JSON
 * number. Every credential of the tenant acts as the same partner.
 */
export function partnerIdOf(tenantId: string): number {
  return Number.parseInt(tenantId.replace(/-/g, '').slice(0, 12), 16);
}

/** Hydro acts for the tenant as a whole, so a token acting as one Nucleus client may not use it. */
export function requirePartner(auth: AuthContext): void {
  if (auth.clientId !== null) {
    throw errors.forbidden({ reason: 'Hydro acts for the whole tenant; use an application token (client_credentials), not one acting for a client' });
  }
}
