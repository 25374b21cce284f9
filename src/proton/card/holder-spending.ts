import type { Queryable } from '../../platform/db/database.ts';
import { addDays, monthStart } from '../calendar.ts';
import { HOLD_DAYS } from './holds.ts';
import { SPENDING_TABLE } from './spending-ledger.ts';
import { limitWindow, type CardSpend, type SpendingControl } from './spending-rules.ts';

export interface HolderSpendingQuery {
  tenantId: string;
  /** The portfolios of the holder's cards. */
  portfolios: readonly string[];
  day: string;
  statuses: readonly string[] | null;
  controls: readonly SpendingControl[];
  /** The currency of a transaction that names none. */
  currency: string;
}

interface Row {
  facts: Omit<CardSpend, 'day' | 'cents' | 'count'> & { status?: string };
  day: string;
  /** A month row in a currency other than the controls', to be read by day. */
  foreign_month: boolean;
  cents: string;
  count: string;
}

/**
 * The day from which a read needs day rows: every month before it lies whole in one stretch
 * between window bounds and is over before the holds that may still count begin, so its month
 * row (whose holds have all lapsed) stands for its days.
 */
function firstDayRead(stretches: readonly string[], day: string): string {
  const holdsCounting = monthStart(addDays(day, 1 - HOLD_DAYS));
  const inside = stretches.find((bound) => bound !== monthStart(bound));
  return inside !== undefined && monthStart(inside) < holdsCounting ? monthStart(inside) : holdsCounting;
}

/**
 * What a holder has spent that the limits can see on `day`, read from the spending ledger: the
 * card transactions on the given portfolios from the earliest window any limit needs up to
 * `day` (a decision or a check as of a day sees nothing later), and the holds still in force
 * on it; a transaction_status_scope leaves out the rows of other statuses, holds (status
 * pending) included.
 *
 * The rows are summed, per set of facts, over each stretch of days that every limit window holds
 * whole or leaves out, so that a year of a busy card comes as a few dozen entries whose sums and
 * counts are those of its transactions; whole months are read from their month rows. The status
 * stays in the facts summed by, since taking it out of every row costs more than the few
 * entries it adds. Rows in a currency other than the controls' one stay per day, since a
 * conversion is made at its day's rate: when a month holds such rows, a second statement reads
 * them by day instead.
 */
export async function holderSpending(db: Queryable, query: HolderSpendingQuery): Promise<CardSpend[]> {
  const { day, statuses, controls } = query;
  const bounds = new Set<string>();
  for (const window of controls.map((c) => limitWindow(c, day))) if (window) bounds.add(window.start).add(window.end);
  if (bounds.size === 0 || query.portfolios.length === 0) return [];
  const stretches = [...bounds].sort();
  const currency = controls.every((c) => c.currency === controls[0].currency) ? controls[0].currency : null;
  const from = stretches[0];
  const cut = currency === null ? from : firstDayRead(stretches, day);
  const read = (rows: string) =>
    db.query<Row>(
      `SELECT facts, stretch::text AS day, span = 'month' AND NOT grouped AS foreign_month, sum(cents)::text AS cents, sum(count)::text AS count FROM (
         SELECT facts, span, grouped, CASE WHEN grouped THEN ($4::date[])[width_bucket(day, $4::date[])] ELSE day END AS stretch,
           posted_cents + CASE WHEN day > $3::date - ${HOLD_DAYS} THEN pending_cents ELSE 0 END AS cents,
           posted_count + CASE WHEN day > $3::date - ${HOLD_DAYS} THEN pending_count ELSE 0 END AS count
         FROM (SELECT *, coalesce(facts->>'currency', $6) IS NOT DISTINCT FROM $7 AS grouped FROM ${SPENDING_TABLE}
           WHERE tenant_id = $1 AND portfolio_id = ANY($2::uuid[]) AND ($5::text[] IS NULL OR facts->>'status' = ANY($5::text[])) AND (${rows})) ledger) spent
       GROUP BY 1, 2, 3 HAVING sum(count) > 0`,
      [query.tenantId, query.portfolios, day, stretches, statuses, query.currency, currency, from, cut],
    );
  const rows = await read(`span = 'month' AND day >= $8::date AND day < $9::date OR span = 'day' AND day >= greatest($8::date, $9::date) AND day <= $3::date`);
  const spent = rows.some((row) => row.foreign_month)
    ? [...rows.filter((row) => !row.foreign_month), ...(await read(`span = 'day' AND day >= $8::date AND day < $9::date AND coalesce(facts->>'currency', $6) IS DISTINCT FROM $7`))]
    : rows;
  return spent.map(({ facts: { status: _status, ...facts }, day, cents, count }) => ({ ...facts, day, cents: Number(cents), count: Number(count) }));
}
