import type { EntityReader } from '../../platform/read/entity-reader.ts';
import { Decimal } from '../money.ts';
import { inCurrency, ownedBy, type Subject } from './subject.ts';

/** One financial statement with its stats as decimals, in its own currency. */
export interface Statement {
  id: string;
  date: string;
  type: string;
  currency: string;
  stats: Map<string, Decimal>;
}

/** Which statements count: every field given must equal the statement's. */
export interface StatementFilter extends Subject {
  accounting_method?: string;
  currency_code?: string;
  period_length?: string;
  period_type?: string;
  period_year?: number;
  period_quarter?: number;
  period_month?: number;
  statement_type?: string;
  /** statement_date bounds, both included. */
  from?: string | null;
  to?: string;
}

/** The statements of a business or client meeting the filter, oldest first (then in the order stored). */
export async function readStatements(reader: EntityReader, filter: StatementFilter): Promise<Statement[]> {
  const dates = { gte: filter.from || undefined, lte: filter.to || undefined };
  const rows = await reader.rows('financial_statement', {
    where: {
      ...ownedBy(filter),
      ...inCurrency(filter.currency_code),
      accounting_method: filter.accounting_method,
      period_length: filter.period_length,
      period_type: filter.period_type,
      period_year: filter.period_year,
      period_quarter: filter.period_quarter,
      period_month: filter.period_month,
      statement_type: filter.statement_type,
      statement_date: dates.gte || dates.lte ? dates : undefined,
    },
    order: (f) => `${f.text('statement_date')}, ${f.column('create_date')}, ${f.column('id')}`,
  });
  return rows.map((row) => {
    const stats = new Map<string, Decimal>();
    // A stat listed twice in one statement: the later entry is the one that stands.
    for (const stat of row.doc.stats ?? []) stats.set(stat.stat_name, new Decimal(stat.stat_value));
    return { id: row.id, date: row.doc.statement_date, type: row.doc.statement_type, currency: row.doc.currency_code, stats };
  });
}
