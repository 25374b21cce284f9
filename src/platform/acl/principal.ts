import type { AuthContext } from '../auth/tokens.ts';
import type { SqlParams } from '../list/filter.ts';

/**
 * The clients a scoped caller acts for, as an SQL subquery of client ids (text). A client
 * acts for itself; an advisor also for the clients it shares an account with; a business
 * owner also for the clients its businesses employ.
 */
export function principalClients(auth: AuthContext, params: SqlParams): string {
  const self = params.add(auth.clientId);
  const parts = [`SELECT ${self}::text`];
  if (auth.authorities.includes('ROLE_ADVISOR')) {
    parts.push(
      `SELECT other->>'client_id' FROM nucleus_account adv
         CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(adv.doc->'clients') = 'array' THEN adv.doc->'clients' ELSE '[]'::jsonb END) me
         CROSS JOIN LATERAL jsonb_array_elements(adv.doc->'clients') other
       WHERE adv.tenant_id = $1 AND me->>'client_id' = ${self}::text`,
    );
  }
  if (auth.authorities.includes('ROLE_BUSINESS_OWNER')) {
    parts.push(
      `SELECT emp.id::text FROM nucleus_client emp
       WHERE emp.tenant_id = $1 AND emp.doc->>'business_id' IN (
         SELECT own.id::text FROM nucleus_business own
         WHERE own.tenant_id = $1 AND own.doc @> jsonb_build_object('ownership', jsonb_build_array(jsonb_build_object('client_id', ${self}::text))))`,
    );
  }
  return parts.join(' UNION ');
}
