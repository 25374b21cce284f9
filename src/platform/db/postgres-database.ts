import pg from 'pg';
import { openTransaction, type Database, type Queryable } from './database.ts';
import { observeQuery, watchPool } from '../metrics/process-metrics.ts';

// Big integers and decimals come back as strings so no precision is lost on the way to JSON.
export const PG_TYPE_INT8 = 20;
export const PG_TYPE_NUMERIC = 1700;

export class PostgresDatabase implements Database {
  private readonly pool: pg.Pool;
  private readonly statements = new PreparedStatements();
  private readonly unwatch: () => void;

  constructor(url: string, poolSize = 10) {
    const types = {
      getTypeParser: (oid: number, format?: 'text' | 'binary') => {
        if (oid === PG_TYPE_INT8 || oid === PG_TYPE_NUMERIC) {
          return (value: string) => value;
        }
        return pg.types.getTypeParser(oid, format);
      },
    };
    this.pool = new pg.Pool({ connectionString: url, max: poolSize, types: types as pg.CustomTypesConfig });
    // An idle connection the server drops (restart, idle timeout) must not take the process
    // down; the pool replaces it on the next query.
    this.pool.on('error', (error) => {
      process.emitWarning(`PostgreSQL connection lost: ${error.message}`);
    });
    this.unwatch = watchPool(this.pool);
  }

  query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return timed(sql, () => this.pool.query(this.statements.config(sql, params)));
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const { tx, committed } = openTransaction(clientQueryable(client, this.statements));
      const result = await fn(tx);
      await client.query('COMMIT');
      committed();
      return result;
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  }

  async withAdvisoryLock<T>(key: number | string, fn: (session: Queryable) => Promise<T>, busy?: () => T | Promise<T>): Promise<T> {
    const lock = typeof key === 'number' ? '$1::bigint' : 'hashtextextended($1, 0)';
    const client = await this.pool.connect();
    try {
      if (!busy) await client.query(`SELECT pg_advisory_lock(${lock})`, [key]);
      else if (!(await client.query<{ locked: boolean }>(`SELECT pg_try_advisory_lock(${lock}) AS locked`, [key])).rows[0].locked) return await busy();
      try {
        return await fn(clientQueryable(client, this.statements));
      } finally {
        await client.query(`SELECT pg_advisory_unlock(${lock})`, [key]);
      }
    } finally {
      client.release();
    }
  }

  close(): Promise<void> {
    this.unwatch();
    return this.pool.end();
  }
}

/** Runs one statement, timing it for the query latency metric; a failed one is timed too. */
async function timed<T>(sql: string, run: () => Promise<pg.QueryResult>): Promise<T[]> {
  const started = performance.now();
  try {
    return (await run()).rows as T[];
  } finally {
    observeQuery(sql, (performance.now() - started) / 1000);
  }
}

function clientQueryable(client: pg.PoolClient, statements: PreparedStatements): Queryable {
  return {
    query: <T>(sql: string, params: unknown[] = []) => timed<T>(sql, () => client.query(statements.config(sql, params))),
  };
}

/**
 * Names the statements the server runs again and again, so that each connection parses and
 * plans them once (pg prepares a named statement on a connection's first use of it) instead of
 * on every request, where planning a query over a table with several indexes costs PostgreSQL
 * more than running it. Statements without parameters (DDL, BEGIN, COMMIT) stay unnamed. A
 * filter's shape is part of its statement's text, so texts are named only up to MAX_NAMED:
 * past it callers could otherwise grow every connection's statement cache without bound.
 */
export class PreparedStatements {
  static readonly MAX_NAMED = 2000;
  private readonly names = new Map<string, string>();

  config(text: string, values: unknown[]): pg.QueryConfig {
    if (values.length === 0) return { text, values };
    let name = this.names.get(text);
    if (name === undefined && this.names.size < PreparedStatements.MAX_NAMED) {
      name = `deuterium_${this.names.size}`;
      this.names.set(text, name);
    }
    return name === undefined ? { text, values } : { name, text, values };
  }
}
