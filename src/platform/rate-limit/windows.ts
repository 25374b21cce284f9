import type { Queryable } from '../db/database.ts';

export interface WindowCount {
  /** Requests counted in the key's window so far, this one included. */
  current: number;
  /** Milliseconds until the window ends and the count starts again. */
  ttl: number;
}

interface Waiting {
  windowMs: number;
  settle: Array<(error: Error | null, count?: WindowCount) => void>;
}

/**
 * Request counts per key in fixed windows that open at a key's first request, kept in
 * PostgreSQL so that every server process on the database counts into the same window: a
 * limit holds for the sum of their requests, exactly, with no local share to reconcile.
 *
 * Group commit: while one statement is on its way, the requests arriving meanwhile wait and
 * go together in the next, one row per key, so a process sends at most one statement at a
 * time however busy it is. Each request of a batch still gets its own place in the count
 * (the n requests for a key that the statement took to h get h-n+1 ... h).
 */
export class RateLimitWindows {
  private waiting = new Map<string, Waiting>();
  private flushing: Promise<void> | undefined;

  constructor(private readonly db: Queryable) {}

  count(key: string, windowMs: number): Promise<WindowCount> {
    return new Promise((resolve, reject) => {
      const entry = this.waiting.get(key) ?? { windowMs, settle: [] };
      entry.settle.push((error, count) => (error ? reject(error) : resolve(count!)));
      this.waiting.set(key, entry);
      this.flushing ??= this.flush();
    });
  }

  /** Settles once every request given so far has been counted. */
  async drained(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private async flush(): Promise<void> {
    try {
      while (this.waiting.size > 0) {
        const batch = this.waiting;
        this.waiting = new Map();
        // Rows locked in key order in every process, so two batches never deadlock.
        const keys = [...batch.keys()].sort();
        try {
          const rows = await this.db.query<{ key: string; hits: string; ttl_ms: number }>(
            `INSERT INTO rate_limit_window AS w (key, window_end, hits)
             SELECT key, now() + window_ms * interval '1 millisecond', hits
             FROM unnest($1::text[], $2::integer[], $3::bigint[]) AS given(key, window_ms, hits)
             ON CONFLICT (key) DO UPDATE SET
               hits = CASE WHEN w.window_end > now() THEN w.hits + excluded.hits ELSE excluded.hits END,
               window_end = CASE WHEN w.window_end > now() THEN w.window_end ELSE excluded.window_end END
             RETURNING key, hits, ceil(extract(epoch FROM window_end - now()) * 1000)::integer AS ttl_ms`,
            [keys, keys.map((key) => batch.get(key)!.windowMs), keys.map((key) => batch.get(key)!.settle.length)],
          );
          for (const row of rows) {
            const { settle, windowMs } = batch.get(row.key)!;
            const first = Number(row.hits) - settle.length + 1;
            // now() is when a statement began: one that waited on the row for a later-begun one
            // that opened the window sees a little more than a whole window left.
            const ttl = Math.min(Math.max(0, row.ttl_ms), windowMs);
            settle.forEach((done, i) => done(null, { current: first + i, ttl }));
          }
        } catch (error) {
          for (const { settle } of batch.values()) for (const done of settle) done(error as Error);
        }
      }
    } finally {
      this.flushing = undefined;
    }
  }
}
