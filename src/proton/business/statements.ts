import type { ViewReader } from '../../nucleus/views/reader.ts';
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

const MATCHED = ['accounting_method', 'period_length', 'period_type', 'period_year', 'period_quarter', 'period_month', 'statement_type'] as const;

/** The statements of a business or client meeting the filter, oldest first (then in the order stored). */
export async function readStatements(reader: ViewReader, filter: StatementFilter): Promise<Statement[]> {
  const rows = await reader.select(
    'financial_statement',
    (p) =>
      [
        ownedBy(filter, p),
        inCurrency(filter.currency_code, p),
        ...MATCHED.map((field) => (filter[field] === undefined ? 'true' : `r.doc->>'${field}' = ${p.add(String(filter[field]))}`)),
        filter.from ? `r.doc->>'statement_date' >= ${p.add(filter.from)}` : 'true',
        filter.to ? `r.doc->>'statement_date' <= ${p.add(filter.to)}` : 'true',
      ].join(' AND '),
    { tail: `ORDER BY r.doc->>'statement_date', r.create_date, r.id` },
  );
  return rows.map((row) => {
    const stats = new Map<string, Decimal>();
    // A stat listed twice in one statement: the later entry is the one that stands.
    for (const stat of (row.doc.stats ?? []) as { stat_name: string; stat_value: number }[]) stats.set(stat.stat_name, new Decimal(stat.stat_value));
    return { id: row.id, date: row.doc.statement_date as string, type: row.doc.statement_type as string, currency: row.doc.currency_code as string, stats };
  });
}
