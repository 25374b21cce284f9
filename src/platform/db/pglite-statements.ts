import { parse, protocol, type PGlite, type QueryOptions } from '@electric-sql/pglite';

/**
 * Runs SQL on PGlite as named prepared statements, each parsed and planned once per SQL text,
 * with every message of an execution sent in one call. PGlite's own query() parses, plans and
 * describes every statement anew in several calls into the database; for the short statements
 * of a request that is most of their cost (measured: 0.38 ms against 0.10 ms for a lookup by
 * key), as it would be without a driver's statement cache on a PostgreSQL server.
 *
 * Values are sent as text and their types inferred by PostgreSQL from the statement, as with
 * any parameter of unknown type (the statements cast where the context does not tell).
 */

// Prepared statements hold their plans in the database's memory; texts beyond these are closed.
const MAX_STATEMENTS = 300;

/** PostgreSQL's message when a prepared statement's table changed shape under it. */
const STALE_PLAN = /cached plan must not change result type/;

const serialize = protocol.serialize;

type Parsers = Parameters<typeof parse.parseResults>[1];

export class PgliteStatements {
  private readonly names = new Map<string, string>();
  /**
   * PGlite's parsers (one per type, array types included) with ours over them, merged once:
   * parseResults would otherwise copy the hundreds of them on every statement.
   */
  private parsers?: { from: Parsers; merged: Parsers };
  private readonly closing: string[] = [];
  private serial = 0;

  constructor(
    private readonly pglite: PGlite,
    private readonly options: QueryOptions,
  ) {}

  /**
   * Runs one statement. Outside a transaction it waits for any open transaction to end and
   * is made durable at once; inside one (`inTransaction`), the commit does that.
   */
  query<T>(sql: string, params: readonly unknown[], inTransaction: boolean): Promise<T[]> {
    const run = () => this.pglite.runExclusive(() => this.execute<T>(sql, params, !inTransaction));
    return inTransaction ? run() : this.pglite._runExclusiveTransaction(run);
  }

  private async execute<T>(sql: string, params: readonly unknown[], durable: boolean, retried = false): Promise<T[]> {
    const messages: Uint8Array[] = this.closing.splice(0).map((name) => serialize.close({ type: 'S', name }));
    let name = this.names.get(sql);
    const fresh = name === undefined;
    if (name === undefined) {
      name = `deuterium_${++this.serial}`;
      messages.push(serialize.parse({ name, text: sql, types: [] }));
    } else {
      this.names.delete(sql);
    }
    messages.push(serialize.bind({ statement: name, values: params.map(asText) }), serialize.describe({ type: 'P' }), serialize.execute({}), serialize.sync());
    try {
      const { messages: answer } = await this.pglite.execProtocol(joined(messages), { syncToFs: durable });
      this.remember(sql, name);
      return parse.parseResults(answer, this.mergedParsers())[0].rows as T[];
    } catch (error) {
      // The statement may or may not exist now; closing one that does not is no error.
      if (fresh) this.closing.push(name);
      else this.remember(sql, name);
      if (!retried && STALE_PLAN.test((error as Error).message)) {
        this.forget(sql);
        return this.execute(sql, params, durable, true);
      }
      throw error;
    }
  }

  private mergedParsers(): Parsers {
    if (this.parsers?.from !== this.pglite.parsers) {
      this.parsers = { from: this.pglite.parsers, merged: { ...this.pglite.parsers, ...this.options.parsers } };
    }
    return this.parsers.merged;
  }

  private remember(sql: string, name: string): void {
    this.names.set(sql, name);
    if (this.names.size <= MAX_STATEMENTS) return;
    const [oldest, oldestName] = this.names.entries().next().value as [string, string];
    this.names.delete(oldest);
    this.closing.push(oldestName);
  }

  private forget(sql: string): void {
    const name = this.names.get(sql);
    if (name === undefined) return;
    this.names.delete(sql);
    this.closing.push(name);
  }
}

function joined(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((length, part) => length + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** A parameter in PostgreSQL's text form. */
function asText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return `\\x${Buffer.from(value).toString('hex')}`;
  if (Array.isArray(value)) return arrayLiteral(value);
  return JSON.stringify(value);
}

function arrayLiteral(values: readonly unknown[]): string {
  const items = values.map((value) => {
    if (value === null || value === undefined) return 'NULL';
    if (Array.isArray(value)) return arrayLiteral(value);
    return `"${String(asText(value)).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  });
  return `{${items.join(',')}}`;
}
