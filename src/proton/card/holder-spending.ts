import type { Queryable } from '../../platform/db/database.ts';
import type { ViewReader } from '../../nucleus/views/reader.ts';
import type { StoredCardSpend } from './card-spends.ts';
import type { CardSpendCache, SpendRead } from './spend-cache.ts';
import { activeHolds } from './holds.ts';
import { addDays } from '../calendar.ts';
import { SpendGroups } from './spend-groups.ts';
import { limitWindow, type CardSpend, type SpendingControl } from './spending-rules.ts';

export interface HolderSpendingQuery {
  /** The cache's name for whose spending this is. */
  cacheKey: string;
  /** Whose holds count: the client, or a card without one. */
  holder: string;
  /** The portfolios of the holder's cards. */
  portfolios: readonly string[];
  day: string;
  statuses: readonly string[] | null;
  controls: readonly SpendingControl[];
  /** The currency of a transaction that names none. */
  currency: string;
}


interface Posted {
  entries: CardSpend[];
  /** The holds that posted transactions settle. */
  settled: Set<string>;
}

/**
 * What a holder has spent that the limits can see on `day`: the card transactions on the
 * given portfolios from the earliest window any limit needs up to the end of `day` (a
 * decision or a check as of a day sees nothing later), and the approvals not yet
 * settled by one of them (held approvals have the status pending, so a status scope without
 * it leaves them out); summed as SpendGroups.
 */
export async function holderSpending(tx: Queryable, reader: ViewReader, query: HolderSpendingQuery, cache: CardSpendCache, read: SpendRead = {}): Promise<CardSpend[]> {
  const { day, statuses, controls } = query;
  const windows = controls.map((c) => limitWindow(c, day));
  const starts = windows.map((w) => w?.start).filter((s): s is string => s !== undefined);
  if (starts.length === 0) return [];
  const from = starts.reduce((a, b) => (a < b ? a : b));
  const until = addDays(day, 1);
  const groups = new SpendGroups(controls, windows, query.currency);
  const summary = {
    signature: `${from} ${until} ${JSON.stringify(statuses)} ${groups.signature}`,
    summarize(spends: StoredCardSpend[]): Posted {
      const settled = new Set<string>();
      for (const spend of spends) {
        if (spend.day >= until || (statuses && (spend.status === null || !statuses.includes(spend.status)))) continue;
        groups.add(spend);
        if (spend.secondaryId !== null) settled.add(spend.secondaryId);
      }
      return { entries: groups.entries(), settled };
    },
  };
  const posted = await cache.summary(reader, query.cacheKey, query.portfolios, from, summary, read);
  if (statuses && !statuses.includes('pending')) return posted.entries;
  const held = new SpendGroups(controls, windows, query.currency);
  for (const alike of await activeHolds(tx, reader.tenantId, query.holder, day)) {
    const unsettled = alike.ids.filter((id) => !posted.settled.has(id)).length;
    if (unsettled > 0) held.add(alike.spend, unsettled);
  }
  return [...posted.entries, ...held.entries()];
}
