import { PostgresDatabase } from './postgres-database.ts';

/** Anything that runs SQL: the database itself or one open transaction. */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

export interface Database extends Queryable {
  /** Runs fn inside one transaction; a throw rolls everything back. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Runs fn on one session holding a cluster-wide advisory lock (a number, or a name), so
   * concurrent processes serialise. With `busy`, a lock another session holds is not waited
   * for: busy's answer is returned instead. A process that dies loses the lock with its session.
   */
  withAdvisoryLock<T>(key: number | string, fn: (session: Queryable) => Promise<T>, busy?: () => T | Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** The work waiting for each open transaction to commit (see onCommit). */
const committing = new WeakMap<Queryable, (() => void)[]>();

/**
 * Runs `fn` once the transaction `tx` has committed, and never if it rolls back; at once when
 * `tx` is not a transaction. For what other connections must not see before the commit, such
 * as forgetting cached state a write inside the transaction makes stale.
 */
export function onCommit(tx: Queryable, fn: () => void): void {
  const waiting = committing.get(tx);
  if (waiting) waiting.push(fn);
  else fn();
}

/** A transaction's Queryable, whose onCommit work `committed` then runs. */
export function openTransaction(tx: Queryable): { tx: Queryable; committed: () => void } {
  const waiting: (() => void)[] = [];
  committing.set(tx, waiting);
  return { tx, committed: () => waiting.forEach((fn) => fn()) };
}

/** A pool of at most `poolSize` connections to the PostgreSQL server at `url`, checked with one query. */
export async function openDatabase(url: string, poolSize?: number): Promise<Database> {
  const db = new PostgresDatabase(url, poolSize);
  await db.query('SELECT 1');
  return db;
}
