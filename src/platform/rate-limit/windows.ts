import type { Queryable } from '../db/database.ts';

export interface WindowCount {
  /** The request's place in the key's window, over every process: above the limit means refused. */
  current: number;
  /** Milliseconds until the window ends and the count starts again. */
  ttl: number;
}

/**
 * A share of the limit a process may hand out without asking: a sixteenth of what the window
 * had left when it last asked. So a busy key costs a statement now and then rather than one
 * per request, and near the limit (below 32 left) every request asks, which keeps the count
 * exact where it decides.
 */
const SHARE_DIVISOR = 16;

/** What this process holds of a key's current window. */
interface Lease {
  /** Date.now() when the window ends, from the database's clock. */
  endsAt: number;
  /** The next place this process hands out, and the last it holds. */
  next: number;
  last: number;
  /** The window's count in the database when this process last asked (every process's places). */
  counted: number;
}

/**
 * Request counts per key in windows that open at a key's first request, kept in PostgreSQL so
 * that every server process on the database counts into the same window: a limit holds for
 * the sum of their requests.
 *
 * Invariant: the places handed out for a key's window, over all processes, are distinct, and
 * no more than `max` of them are at or below `max`: a process hands out only places the
 * database counted for it (each statement adds its share to the window's count and returns the
 * new count, so two shares never overlap). What a process asked for and did not use by the
 * end of the window is lost to the others, at most a sixteenth of what was left when it asked:
 * the limit is never exceeded, and is reached short by at most that much when traffic leaves a
 * process mid-window.
 */
export class RateLimitWindows {
  private leases = new Map<string, Lease>();
  /** One question per key at a time; the requests that arrive meanwhile wait for its answer. */
  private asking = new Map<string, Promise<void>>();

  constructor(private readonly db: Queryable) {}

  /** The request's count: at once when this process holds a place for it, else once the database gave it a share. */
  count(key: string, windowMs: number, max: number): WindowCount | Promise<WindowCount> {
    return this.held(key, max) ?? this.asked(key, windowMs, max);
  }

  private held(key: string, max: number): WindowCount | undefined {
    const lease = this.leases.get(key);
    const now = Date.now();
    if (!lease || now >= lease.endsAt) return undefined;
    if (lease.next <= lease.last) return { current: lease.next++, ttl: lease.endsAt - now };
    // Exhausted everywhere: refused without asking until the window ends.
    if (lease.counted >= max) return { current: lease.counted + 1, ttl: lease.endsAt - now };
    return undefined;
  }

  private async asked(key: string, windowMs: number, max: number): Promise<WindowCount> {
    for (;;) {
      const pending = this.asking.get(key);
      if (pending) await pending;
      else {
        const lease = this.leases.get(key);
        const question = this.ask(key, windowMs, max, lease && Date.now() < lease.endsAt ? lease : undefined).finally(() => this.asking.delete(key));
        this.asking.set(key, question);
        await question;
      }
      const held = this.held(key, max);
      if (held) return held;
    }
  }

  private async ask(key: string, windowMs: number, max: number, current: Lease | undefined): Promise<void> {
    const share = Math.max(1, Math.floor((max - (current?.counted ?? 0)) / SHARE_DIVISOR));
    const [row] = await this.db.query<{ hits: string; ttl_ms: number }>(
      `INSERT INTO rate_limit_window AS w (key, window_end, hits) VALUES ($1, now() + $2 * interval '1 millisecond', $3)
       ON CONFLICT (key) DO UPDATE SET
         hits = CASE WHEN w.window_end > now() THEN w.hits + excluded.hits ELSE excluded.hits END,
         window_end = CASE WHEN w.window_end > now() THEN w.window_end ELSE excluded.window_end END
       RETURNING hits, ceil(extract(epoch FROM window_end - now()) * 1000)::integer AS ttl_ms`,
      [key, windowMs, share],
    );
    const counted = Number(row.hits);
    // now() is when the statement began: one that waited on the row for a later-begun one that
    // opened the window sees a little more than a whole window left.
    const ttl = Math.min(Math.max(0, row.ttl_ms), windowMs);
    this.leases.set(key, { endsAt: Date.now() + ttl, next: counted - share + 1, last: counted, counted });
    this.forgetEnded();
  }

  /** Keys seen once (a client id tried at the token endpoint) must not pile up in memory. */
  private forgetEnded(): void {
    if (this.leases.size < 10_000) return;
    const now = Date.now();
    for (const [key, lease] of this.leases) if (lease.endsAt <= now) this.leases.delete(key);
  }
}
