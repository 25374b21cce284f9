import { errors } from '../http/errors.ts';

/** Roles a token can carry, as Hydrogen names them. */
export const AUTHORITIES = [
  'ROLE_SUPER_ADMIN',
  'ROLE_ADMIN',
  'ROLE_PORTFOLIO_MANAGER',
  'ROLE_MARKETING_MANAGER',
  'ROLE_OPERATIONS',
  'ROLE_SUPPORT',
  'ROLE_BUSINESS_OWNER',
  'ROLE_ADVISOR',
  'ROLE_CLIENT',
] as const;

export type Authority = (typeof AUTHORITIES)[number];

/** Checks the roles a credential is given, without repeats. */
export function validateAuthorities(field: string, authorities: readonly string[]): Authority[] {
  const unknown = authorities.find((role) => !(AUTHORITIES as readonly string[]).includes(role));
  if (unknown !== undefined) throw errors.invalidField({ field, problem: `unknown authority "${unknown}"; expected one of ${AUTHORITIES.join(', ')}` });
  if (authorities.length === 0) throw errors.invalidField({ field, problem: 'must name at least one authority' });
  return [...new Set(authorities as Authority[])];
}
