import type { FastifyRequest } from 'fastify';
import { isAdministrator } from '../acl/policy.ts';
import { ApiError } from '../http/api-error.ts';
import { errors } from '../http/errors.ts';
import type { AuthContext } from '../auth/tokens.ts';
import type { Guard } from './credential-changes.ts';

function forbidden(message: string): ApiError {
  return errors.forbidden({ reason: message });
}

/** Who may manage the tenant's API credentials at all. */
export async function credentialManagersOnly(request: FastifyRequest): Promise<void> {
  if (!isAdministrator(request.auth.authorities)) throw forbidden('Only ROLE_SUPER_ADMIN and ROLE_ADMIN may manage API credentials');
}

/**
 * An administrator may not change a credential more powerful than itself, nor make one: only
 * a ROLE_SUPER_ADMIN touches a credential holding ROLE_SUPER_ADMIN or grants it.
 */
export function superAdminGuard(auth: AuthContext, granting?: readonly string[]): Guard {
  const refuse = () => {
    throw forbidden('Only a ROLE_SUPER_ADMIN may grant ROLE_SUPER_ADMIN or manage a credential that holds it');
  };
  if (!auth.authorities.includes('ROLE_SUPER_ADMIN') && granting?.includes('ROLE_SUPER_ADMIN')) refuse();
  return (current) => {
    if (!auth.authorities.includes('ROLE_SUPER_ADMIN') && current.authorities.includes('ROLE_SUPER_ADMIN')) refuse();
  };
}

/**
 * The metrics app shows the whole server, every tenant's traffic together, so only the operator
 * tool grants it; through the API an administrator may keep it on a credential that has it, or
 * take it away.
 */
export function refuseMetricsGrant(granting: readonly string[] | undefined, held: readonly string[]): void {
  if (granting?.includes('metrics') && !held.includes('metrics')) {
    throw forbidden('Only the operator tool grants the metrics app (deuterium credential create --app metrics): it shows the whole server, not one tenant');
  }
}
