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
 * What a holder has spent that the limits can see on `day`, read from the spending ledger in
 * one statement: the card transactions on the given portfolios from the earliest window any
 * limit needs up to `day` (a decision or a check as of a day sees nothing later), and the
 * holds still in force on it; a transaction_status_scope leaves out the rows of other statuses,
 * holds (status pending) included.
 *
 * The rows are summed, per set of facts, over each stretch of days that every limit window holds
 * whole or leaves out, so that a year of a busy card comes as a few dozen entries whose sums and
 * counts are those of its transactions; whole months are read from their month rows. The status
 * stays in the facts summed by, since taking it out of every row costs more than the few
 * entries it adds. Rows in a currency other than the controls' one stay per day, since a
 * conversion is made at its day's rate: their days are read instead of their months, by a
 * part that runs only when the months hold such rows.
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
  const rows = await db.query<Row>(
    `WITH ledger AS NOT MATERIALIZED (SELECT * FROM ${SPENDING_TABLE} WHERE tenant_id = $1 AND portfolio_id = ANY($2::uuid[]) AND ($5::text[] IS NULL OR facts->>'status' = ANY($5::text[]))),
     months AS (SELECT * FROM ledger WHERE span = 'month' AND day >= $8::date AND day < $9::date),
     foreign_months AS (SELECT 1 FROM months WHERE coalesce(facts->>'currency', $6) <> $7 LIMIT 1)
     SELECT facts, stretch::text AS day, sum(cents)::text AS cents, sum(count)::text AS count FROM (
       SELECT facts, CASE WHEN coalesce(facts->>'currency', $6) = $7 THEN ($4::date[])[width_bucket(day, $4::date[])] ELSE day END AS stretch,
         posted_cents + CASE WHEN day > $3::date - ${HOLD_DAYS} THEN pending_cents ELSE 0 END AS cents,
         posted_count + CASE WHEN day > $3::date - ${HOLD_DAYS} THEN pending_count ELSE 0 END AS count
       FROM (SELECT * FROM months WHERE coalesce(facts->>'currency', $6) = $7
         UNION ALL SELECT * FROM ledger WHERE span = 'day' AND day >= greatest($8::date, $9::date) AND day <= $3::date
         UNION ALL SELECT * FROM ledger WHERE span = 'day' AND day >= $8::date AND day < $9::date AND EXISTS (SELECT 1 FROM foreign_months)
           AND coalesce(facts->>'currency', $6) <> $7) read) spent
     GROUP BY 1, 2 HAVING sum(count) > 0`,
    [query.tenantId, query.portfolios, day, stretches, statuses, query.currency, currency, from, cut],
  );
  return rows.map(({ facts: { status: _status, ...facts }, ...row }) => ({ ...facts, day: row.day, cents: Number(row.cents), count: Number(row.count) }));
}
