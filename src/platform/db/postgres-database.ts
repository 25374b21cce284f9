import pg from 'pg';
import { openTransaction, type Database, type Queryable } from './database.ts';

// Big integers and decimals come back as strings so no precision is lost on the way to JSON.
export const PG_TYPE_INT8 = 20;
export const PG_TYPE_NUMERIC = 1700;

export class PostgresDatabase implements Database {
  private readonly pool: pg.Pool;

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
  }

  async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    const result = await this.pool.query(sql, params);
    return result.rows as T[];
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const { tx, committed } = openTransaction(clientQueryable(client));
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

  async withAdvisoryLock<T>(key: number, fn: (session: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('SELECT pg_advisory_lock($1)', [key]);
      try {
        return await fn(clientQueryable(client));
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [key]);
      }
    } finally {
      client.release();
    }
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

function clientQueryable(client: pg.PoolClient): Queryable {
  return {
    async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
      const result = await client.query(sql, params);
      return result.rows as T[];
    },
  };
}

