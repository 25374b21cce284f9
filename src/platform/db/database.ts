import fs from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PgliteStatements } from './pglite-statements.ts';
import { PostgresDatabase, PG_TYPE_INT8, PG_TYPE_NUMERIC } from './postgres-database.ts';

/** Anything that runs SQL: the database itself or one open transaction. */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

export interface Database extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs fn inside one transaction; a throw rolls everything back. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Runs fn on one session holding a cluster-wide advisory lock, so concurrent processes serialise. */
  withAdvisoryLock<T>(key: number, fn: (session: Queryable) => Promise<T>): Promise<T>;
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

class PgliteDatabase implements Database {
  readonly kind = 'pglite' as const;
  private readonly statements: PgliteStatements;

  constructor(private readonly pglite: PGlite) {
    this.statements = new PgliteStatements(pglite, PGLITE_OPTIONS);
  }

  query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return this.statements.query<T>(sql, params, false);
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const { tx, committed } = openTransaction({
      query: <R>(sql: string, params: unknown[] = []) => this.statements.query<R>(sql, params, true),
    });
    const result = await this.pglite.transaction(() => fn(tx));
    committed();
    return result;
  }

  // One embedded process owns the data directory, so there is nobody to serialise against.
  withAdvisoryLock<T>(_key: number, fn: (session: Queryable) => Promise<T>): Promise<T> {
    return fn(this);
  }

  dump(): Promise<Blob> {
    return this.pglite.dumpDataDir('none');
  }

  close(): Promise<void> {
    return this.pglite.close();
  }
}

const PGLITE_OPTIONS = {
  parsers: {
    [PG_TYPE_INT8]: (value: string) => value,
    [PG_TYPE_NUMERIC]: (value: string) => value,
  },
};

export interface DatabaseOptions {
  databaseUrl?: string;
  /** Connections this process may open to the PostgreSQL server at databaseUrl. */
  poolSize?: number;
  /** Directory for the embedded database; "memory://" keeps it in memory. */
  dataDir: string;
  /** A dumped PGlite data directory to start an empty embedded database from instead of running initdb. */
  pgliteStartingData?: Blob;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.databaseUrl) {
    const db = new PostgresDatabase(options.databaseUrl, options.poolSize);
    await db.query('SELECT 1');
    return db;
  }
  if (!options.dataDir.startsWith('memory://')) fs.mkdirSync(options.dataDir, { recursive: true });
  const pglite = await PGlite.create(options.dataDir, { loadDataDir: options.pgliteStartingData });
  return new PgliteDatabase(pglite);
}

/** The embedded database's whole data directory as a tar archive, to start other databases from. */
export function dumpEmbedded(db: Database): Promise<Blob> {
  if (!(db instanceof PgliteDatabase)) throw new Error('only an embedded (PGlite) database can be dumped');
  return db.dump();
}
