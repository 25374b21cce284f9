import type { Database, Queryable } from '../db/database.ts';
import { SqlParams } from '../list/filter.ts';

/** Work inside the write's transaction that must read, or decide from what it read. */
export type TransactionWork = (tx: Queryable) => Promise<void>;

/**
 * One write and what its hooks add to it (an audit record, outbox rows), made into one SQL
 * statement: each is a part of its WITH clause, and PostgreSQL applies a statement's parts
 * together or not at all. A write that needs nothing read in between therefore costs one round
 * trip, with no BEGIN and COMMIT around it; only work that must read inside the transaction
 * (a lock on a referenced record, a check whose answer decides the write) opens one.
 *
 * The parts share one snapshot, so none sees the rows another part writes: a part reads the
 * rows another returns by naming it instead.
 */
export class WriteStatement {
  /** The parts' values; add one only for a part being added, since PostgreSQL refuses a value no part reads. */
  readonly params = new SqlParams();
  private readonly parts: string[] = [];
  private readonly translators: ((error: unknown) => void)[] = [];
  private readonly before: TransactionWork[] = [];
  private readonly after: TransactionWork[] = [];

  /**
   * Adds a part (a SELECT, or an INSERT, UPDATE or DELETE with the statement's parameters)
   * and returns its name, for later parts to read from. `translate` may turn an error the
   * part caused into the API's answer by throwing that instead.
   */
  add(sql: string, translate?: (error: unknown) => void): string {
    const name = `part${this.parts.length}`;
    this.parts.push(`${name} AS (${sql})`);
    if (translate) this.translators.push(translate);
    return name;
  }

  /** Runs in the transaction before the statement, e.g. to lock what it will point at. */
  beforehand(work: TransactionWork): void {
    this.before.push(work);
  }

  /** Runs in the transaction after the statement, seeing what it wrote. */
  afterwards(work: TransactionWork): void {
    this.after.push(work);
  }

  /** Applies the write inside a transaction already open. */
  async apply(tx: Queryable): Promise<void> {
    for (const work of this.before) await work(tx);
    if (this.parts.length > 0) {
      try {
        await tx.query(`WITH ${this.parts.join(',\n')} SELECT 1`, this.params.values);
      } catch (error) {
        for (const translate of this.translators) translate(error);
        throw error;
      }
    }
    for (const work of this.after) await work(tx);
  }

  /** Applies the write as a transaction of its own, which a write of one statement alone does not need. */
  async commit(db: Database): Promise<void> {
    if (this.before.length === 0 && this.after.length === 0) return this.apply(db);
    await db.transaction((tx) => this.apply(tx));
  }
}
