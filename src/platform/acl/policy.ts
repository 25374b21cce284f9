import type { Authority } from '../auth/authorities.ts';
import { CATEGORIES, categoryOf, type Category } from './categories.ts';

export type Action = 'read' | 'write';

/**
 * How far a role reaches: the whole tenant, or only the records of the clients it is tied
 * to (its own record, the clients it advises, the clients its business employs).
 */
export type Reach = 'tenant' | 'own';

export interface RoleRule {
  reach: Reach;
  read: readonly Category[] | 'all';
  write: readonly Category[] | 'all';
}

const ALL_CATEGORIES = Object.keys(CATEGORIES) as Category[];
const EXCEPT_ADMINISTRATION = ALL_CATEGORIES.filter((c) => c !== 'administration');

/**
 * The access decision, in one place. docs/access-control.md renders this table; the engine
 * consults it for every read and write.
 */
export const POLICY: Record<Authority, RoleRule> = {
  ROLE_SUPER_ADMIN: { reach: 'tenant', read: 'all', write: 'all' },
  ROLE_ADMIN: { reach: 'tenant', read: 'all', write: 'all' },
  ROLE_PORTFOLIO_MANAGER: { reach: 'tenant', read: EXCEPT_ADMINISTRATION, write: ['investing', 'portfolios', 'accounts'] },
  ROLE_MARKETING_MANAGER: { reach: 'tenant', read: EXCEPT_ADMINISTRATION, write: ['clients', 'engagement'] },
  ROLE_OPERATIONS: {
    reach: 'tenant',
    read: EXCEPT_ADMINISTRATION,
    write: ['money_movement', 'portfolios', 'documents', 'statuses'],
  },
  ROLE_SUPPORT: { reach: 'tenant', read: EXCEPT_ADMINISTRATION, write: [] },
  ROLE_ADVISOR: { reach: 'own', read: EXCEPT_ADMINISTRATION, write: EXCEPT_ADMINISTRATION },
  ROLE_BUSINESS_OWNER: { reach: 'own', read: EXCEPT_ADMINISTRATION, write: EXCEPT_ADMINISTRATION },
  ROLE_CLIENT: {
    reach: 'own',
    read: EXCEPT_ADMINISTRATION,
    write: ['accounts', 'money_movement', 'clients', 'documents', 'engagement', 'portfolios'],
  },
};

function allows(list: readonly Category[] | 'all', category: Category): boolean {
  return list === 'all' || list.includes(category);
}

export type Decision = { allowed: false } | { allowed: true; reach: Reach };

/**
 * What a caller holding these authorities may do to an entity. Several roles add up; a role
 * reaching the whole tenant wins over one reaching only its own clients.
 */
export function decide(authorities: readonly string[], entity: string, action: Action): Decision {
  const category = categoryOf(entity) ?? 'administration';
  let reach: Reach | undefined;
  for (const authority of authorities) {
    const rule = POLICY[authority as Authority];
    if (!rule || !allows(rule[action], category)) continue;
    if (rule.reach === 'tenant') return { allowed: true, reach: 'tenant' };
    reach = 'own';
  }
  return reach ? { allowed: true, reach } : { allowed: false };
}

/** Only these may manage credentials, webhooks and who holds which authority. */
export function isAdministrator(authorities: readonly string[]): boolean {
  return authorities.includes('ROLE_SUPER_ADMIN') || authorities.includes('ROLE_ADMIN');
}
