import type { Queryable } from '../../src/platform/db/database.ts';

/** Clients are spread over this many businesses, so a business_id filter matches one in 10,000. */
const BUSINESSES = 10_000;

export function businessId(n: number): string {
  return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
}

/**
 * Clients `first` to `last` of one tenant, written by SQL in one statement as bulk would:
 * client-N created N minutes after 2020-01-01, 1% closed, 9% inactive, the rest active, each
 * of one of 10,000 businesses in turn. Then the statistics the planner needs.
 */
export async function loadClients(db: Queryable, tenantId: string, first: number, last: number): Promise<void> {
  await db.query(
    `INSERT INTO nucleus_client (tenant_id, id, create_date, update_date, doc)
     SELECT $1, gen_random_uuid(), created, created + (g % 7) * interval '1 hour', jsonb_build_object(
       'username', 'client-' || g,
       'email', 'client' || g || '@example.com',
       'client_type', 'individual',
       'first_name', 'First' || g,
       'last_name', 'Last' || (g % 5000),
       'status', CASE WHEN g % 100 = 0 THEN 'closed' WHEN g % 10 = 0 THEN 'inactive' ELSE 'active' END,
       'business_id', '00000000-0000-4000-8000-' || lpad((g % ${BUSINESSES})::text, 12, '0'),
       'income', 20000 + g % 100 * 1000,
       'address', jsonb_build_array(jsonb_build_object('address_line1', g || ' Main St', 'city', 'Boston', 'state', 'MA', 'country', 'US', 'type', 'home')))
     FROM generate_series($2::int, $3::int) AS g, LATERAL (SELECT timestamptz '2020-01-01' + g * interval '1 minute' AS created) AS d`,
    [tenantId, first, last],
  );
  await db.query('ANALYZE nucleus_client');
}

/** The filters a firm lists its clients by, each with how many of clients 1 to `count` it matches. */
export function clientFilters(count: number): { name: string; filter: string; matches: number }[] {
  return [
    { name: 'username', filter: `username==client-${Math.floor(count / 2)}`, matches: 1 },
    { name: 'email', filter: `email==client${Math.floor(count / 3)}@example.com`, matches: 1 },
    { name: 'status (1% of clients)', filter: 'status==closed', matches: count / 100 },
    { name: 'reference (business_id)', filter: `business_id==${businessId(42)}`, matches: count / BUSINESSES },
    { name: 'creation date range (one day)', filter: 'create_date=ge=2020-02-01T00:00:00Z;create_date=lt=2020-02-02T00:00:00Z', matches: 1440 },
  ];
}
