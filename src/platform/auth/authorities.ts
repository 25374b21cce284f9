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
