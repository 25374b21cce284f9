import type { ViewReader } from '../../nucleus/views/reader.ts';
import { setRecent } from './recent-entries.ts';
import { changedCardRows, readCardRows, type CardRow, type StoredCardSpend } from './card-spends.ts';

/**
 * The card transactions of recently decided holders, kept decoded in memory so that a
 * decision reads only what was stored or changed since the last one (through the index on
 * update_date) instead of a year of JSON documents, and sums them again only when one changed.
 *
 * Each read asks for rows changed since a little before the previous read began, since a
 * write that commits late carries the earlier time it was made (this assumes the clocks of
 * the servers writing agree with ours within LATE_COMMIT_MS). A deleted transaction is noticed at the next
 * full read, at most FULL_READ_MS later, and until then errs toward declining. Everything
 * read is the tenant's, so the cache serves only tenant-wide reads (never a client's view).
 */
const FULL_READ_MS = 60_000;
const LATE_COMMIT_MS = 5_000;
// A year of a busy holder is a few thousand rows; this bounds the memory to some hundreds of MB.
const MAX_ENTRIES = 500;
// Summaries differ by day and status scope; a few cover the decisions of one day.
const MAX_SUMMARIES = 8;

interface Entry {
  /** The portfolios read, sorted and joined by commas. */
  portfolios: string;
  /** Rows dated on or after this day are all here. */
  from: string;
  readAt: number;
  /** Every row changed up to this instant has been read. */
  seenUntil: string;
  rows: Map<string, StoredCardSpend | null>;
  /** What callers made of the rows, by their signature; dropped when a row changes. */
  summaries: Map<string, unknown>;
}

/** Rows changed after `after` on `portfolios`, read by a statement that began at `startedAt`. */
export interface ChangesRead {
  after: string;
  portfolios: readonly string[];
  startedAt: number;
  rows: CardRow[];
}

/** What a caller read of the spending in a statement of its own, so that it is not read again. */
export interface SpendRead {
  /** The rows changed since the entry's last read, read for the same portfolios. */
  changes?: ChangesRead;
}

/** What a caller summarises the spending into, remembered under `signature` until a row changes. */
export interface Summary<T> {
  signature: string;
  summarize(spends: StoredCardSpend[]): T;
}

const caches = new WeakMap<object, CardSpendCache>();

/** The cache of one database (one per server, so that test servers never share rows). */
export function spendCacheOf(db: object): CardSpendCache {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new CardSpendCache()));
  return cache;
}

const portfolioKey = (portfolioIds: readonly string[]) => [...portfolioIds].sort().join(',');

export class CardSpendCache {
  private readonly entries = new Map<string, Entry>();

  /**
   * The changes to read, along with whatever else a caller reads, to bring `key` (a caller's
   * name for whose spending it is) up to date; undefined when only a full read will do.
   */
  changesWanted(tenantId: string, key: string): { portfolios: string[]; after: string } | undefined {
    const entry = this.entries.get(`${tenantId}:${key}`);
    if (!entry || Date.now() - entry.readAt > FULL_READ_MS) return undefined;
    return { portfolios: entry.portfolios.split(','), after: entry.seenUntil };
  }

  /**
   * The summary of the spending on the given portfolios dated from `from` on. The rows changed
   * since the last read come from `read.changes` when it was read for the same portfolios, else
   * they are read here; everything is read
   * again when the entry is missing, old, starts after `from` or was for other portfolios.
   */
  async summary<T>(reader: ViewReader, key: string, portfolioIds: readonly string[], from: string, summary: Summary<T>, read: SpendRead = {}): Promise<T> {
    const { changes } = read;
    const fullKey = `${reader.tenantId}:${key}`;
    const portfolios = portfolioKey(portfolioIds);
    const now = Date.now();
    let entry = this.entries.get(fullKey);
    if (!entry || entry.portfolios !== portfolios || entry.from > from || now - entry.readAt > FULL_READ_MS) {
      entry = { portfolios, from, readAt: now, seenUntil: new Date(now - LATE_COMMIT_MS).toISOString(), rows: new Map(), summaries: new Map() };
      for (const row of await readCardRows(reader, portfolioIds, { from })) entry.rows.set(row.id, row.spend);
    } else if (changes && portfolioKey(changes.portfolios) === portfolios && changes.after <= entry.seenUntil) {
      this.apply(entry, changes.rows, changes.startedAt);
    } else {
      const tables = { transactions: reader.store('portfolio_transaction').table, codes: reader.store('transaction_code').table };
      this.apply(entry, await changedCardRows(reader.db, tables, reader.tenantId, portfolioIds, entry.seenUntil), now);
    }
    setRecent(this.entries, fullKey, entry, MAX_ENTRIES);
    const known = entry.summaries.get(summary.signature);
    if (known !== undefined) return known as T;
    const spends: StoredCardSpend[] = [];
    for (const spend of entry.rows.values()) if (spend && spend.day >= from) spends.push(spend);
    const made = summary.summarize(spends);
    if (entry.summaries.size >= MAX_SUMMARIES) entry.summaries.clear();
    entry.summaries.set(summary.signature, made);
    return made;
  }

  private apply(entry: Entry, rows: CardRow[], startedAt: number): void {
    if (rows.length > 0) entry.summaries.clear();
    for (const row of rows) entry.rows.set(row.id, row.spend);
    entry.seenUntil = new Date(startedAt - LATE_COMMIT_MS).toISOString();
  }
}
