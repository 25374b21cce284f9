import type { ViewReader } from '../../nucleus/views/reader.ts';
import { readCardRows, type StoredCardSpend } from './card-spends.ts';

/**
 * The card transactions of recently decided portfolios, kept decoded in memory so that an
 * authorization reads only what was stored or changed since the last one (through the index
 * on update_date) instead of a year of JSON documents.
 *
 * Each read asks for rows changed since a little before the previous read began, since a
 * write that commits late carries the earlier time it was made (this assumes the clocks of
 * the servers writing agree with ours within LATE_COMMIT_MS). A deleted transaction is noticed at the next
 * full read, at most FULL_READ_MS later, and until then errs toward declining. Everything
 * read is the tenant's, so the cache serves only tenant-wide reads (never a client's view).
 */
const FULL_READ_MS = 60_000;
const LATE_COMMIT_MS = 5_000;
// A year of a busy card is a few thousand rows; this bounds the memory to some hundreds of MB.
const MAX_PORTFOLIOS = 500;

interface Entry {
  /** Rows dated on or after this day are all here. */
  from: string;
  readAt: number;
  /** Every row changed up to this instant has been read. */
  seenUntil: string;
  rows: Map<string, StoredCardSpend | null>;
}

const caches = new WeakMap<object, CardSpendCache>();

/** The cache of one database (one per server, so that test servers never share rows). */
export function spendCacheOf(db: object): CardSpendCache {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new CardSpendCache()));
  return cache;
}

export class CardSpendCache {
  private readonly entries = new Map<string, Entry>();

  /** The spending on one portfolio dated from `from` on, in no particular order. */
  async spends(reader: ViewReader, portfolioId: string, from: string): Promise<StoredCardSpend[]> {
    const key = `${reader.tenantId}:${portfolioId}`;
    let entry = this.entries.get(key);
    const now = Date.now();
    const seenUntil = new Date(now - LATE_COMMIT_MS).toISOString();
    if (!entry || entry.from > from || now - entry.readAt > FULL_READ_MS) {
      entry = { from, readAt: now, seenUntil, rows: new Map() };
      await this.read(reader, portfolioId, entry, { from });
    } else {
      await this.read(reader, portfolioId, entry, { updatedAfter: entry.seenUntil });
      entry.seenUntil = seenUntil;
    }
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size > MAX_PORTFOLIOS) this.entries.delete(this.entries.keys().next().value as string);
    const spends: StoredCardSpend[] = [];
    for (const spend of entry.rows.values()) if (spend && spend.day >= from) spends.push(spend);
    return spends;
  }

  private async read(reader: ViewReader, portfolioId: string, entry: Entry, filter: { from?: string; updatedAfter?: string }): Promise<void> {
    for (const row of await readCardRows(reader, [portfolioId], filter)) entry.rows.set(row.id, row.spend);
  }
}
