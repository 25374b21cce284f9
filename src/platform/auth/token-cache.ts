import type { AuthContext } from './tokens.ts';

/**
 * How long a resolved token is trusted without asking the database again. Revocation through
 * this process clears the cache at once, but one through another server process sharing the
 * PostgreSQL database cannot reach it: such a token keeps working here for at most this long.
 * The same bound holds for its credential's apps and IP allowlist, which are cached with it.
 */
export const TOKEN_CACHE_TTL_MS = 2_000;
// A few MB at most; only tokens that resolved are kept, so callers cannot fill it with guesses.
export const TOKEN_CACHE_MAX_ENTRIES = 10_000;

/** A token as the database resolved it. */
export interface ResolvedToken {
  auth: AuthContext;
  expiresAt: Date;
}

interface Entry {
  auth: AuthContext;
  /** Milliseconds since the epoch: the token's own expiry or the end of its time-to-live, whichever comes first. */
  until: number;
}

const caches = new WeakMap<object, TokenCache>();

/** The cache of one database (one per server, so that test servers never share tokens). */
export function tokenCacheOf(db: object): TokenCache {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new TokenCache()));
  return cache;
}

/** Tokens that resolved, by their SHA-256, so that a request costs no query while its token is known. */
export class TokenCache {
  private readonly entries = new Map<string, Entry>();
  /** Changes with every invalidation, so a lookup can tell that one happened while it ran. */
  private generation = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /**
   * The caller of the token with this hash: from the cache, or else from `lookup`, whose answer
   * is kept only when it found the token and nothing was invalidated while it ran (it may have
   * read the token before a revocation). Unknown tokens are never kept, so a new token works at once.
   */
  async resolve(hash: string, lookup: () => Promise<ResolvedToken | undefined>): Promise<AuthContext | undefined> {
    const startedAt = this.now();
    const known = this.known(hash, startedAt);
    if (known) return known;
    const generation = this.generation;
    const found = await lookup();
    if (!found) return undefined;
    // Every request with the token shares this object, so none may change it for the others.
    Object.freeze(found.auth.authorities);
    Object.freeze(found.auth.scopes);
    Object.freeze(found.auth);
    const until = Math.min(found.expiresAt.getTime(), startedAt + TOKEN_CACHE_TTL_MS);
    if (generation === this.generation && this.now() < until) {
      this.entries.set(hash, { auth: found.auth, until });
      if (this.entries.size > TOKEN_CACHE_MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
    }
    return found.auth;
  }

  /** The caller of the token with this hash while the cache still trusts it. */
  known(hash: string, now = this.now()): AuthContext | undefined {
    const cached = this.entries.get(hash);
    if (!cached) return undefined;
    if (now < cached.until) return cached.auth;
    this.entries.delete(hash);
    return undefined;
  }

  /** Forgets every token, after some may have been revoked or their credentials changed. */
  invalidate(): void {
    this.generation++;
    this.entries.clear();
  }
}
