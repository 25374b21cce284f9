import type { Queryable } from '../../platform/db/database.ts';
import type { ViewReader } from '../../nucleus/views/reader.ts';
import type { StoredCardSpend } from './card-spends.ts';
import type { CardSpendCache } from './spend-cache.ts';
import { activeHolds } from './holds.ts';
import { addDays } from '../calendar.ts';
import { limitWindow, type CardSpend, type SpendingControl } from './spending-rules.ts';

/**
 * What a holder has spent that the limits can see on `day`: the card transactions on the
 * given portfolios from the earliest window any limit needs up to the end of `day` (a
 * decision or a check as of a day sees nothing later), and the approvals not yet
 * settled by one of them (held approvals have the status pending, so a status scope without
 * it leaves them out).
 */
export async function holderSpending(
  tx: Queryable,
  reader: ViewReader,
  holder: { id: string; portfolios: readonly string[] },
  day: string,
  statuses: readonly string[] | null,
  controls: readonly SpendingControl[],
  cache: CardSpendCache,
): Promise<CardSpend[]> {
  const starts = controls.map((c) => limitWindow(c, day)?.start).filter((s): s is string => s !== undefined);
  if (starts.length === 0) return [];
  const from = starts.reduce((a, b) => (a < b ? a : b));
  const until = addDays(day, 1);
  const posted: StoredCardSpend[] = [];
  for (const portfolio of holder.portfolios) {
    for (const spend of await cache.spends(reader, portfolio, from)) {
      if (spend.day < until && (!statuses || (spend.status !== null && statuses.includes(spend.status)))) posted.push(spend);
    }
  }
  if (statuses && !statuses.includes('pending')) return posted;
  const settled = new Set(posted.map((p) => p.secondaryId).filter((s) => s !== null));
  const held = (await activeHolds(tx, reader.tenantId, holder.id, day)).filter((h) => h.day <= day && !settled.has(h.id));
  return [...posted, ...held];
}
