import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import { dayOf } from '../../platform/calendar/days.ts';
import { nucleusReader, type NucleusAccess } from '../nucleus-records.ts';
import { registerOperation } from '../operation-route.ts';
import { Decimal } from '../money.ts';
import { calendarPeriods, checkedSpan, today } from '../calendar.ts';
import { analyzeCash, type CashMovement } from './cash-analysis.ts';
import { CashAnalysisRequest, CashAnalysisResponse } from './cash-analysis.schema.ts';
import { reportCurrency } from './report-currency.ts';
import { inCurrency, ownedBy, requireSubject } from './subject.ts';
import { BUSINESS_TAG } from './tag.ts';

type Body = Static<typeof CashAnalysisRequest>;

interface Amount {
  amount: number;
  transaction_type: string;
  category?: string;
}

/** A credit adds cash and a debit takes it away; a transaction of any other type moves none. */
function directionOf(type: string): CashMovement['direction'] | undefined {
  const kind = type.toLowerCase();
  return kind === 'credit' ? 'in' : kind === 'debit' ? 'out' : undefined;
}

const SCOPE_CONDITION = {
  all: 'true',
  internal: `coalesce((r.doc->>'is_transfer')::boolean, false)`,
  external: `NOT coalesce((r.doc->>'is_transfer')::boolean, false)`,
} as const;

export function cashAnalysisRoutes(app: FastifyInstance, nucleus: NucleusAccess): void {
  registerOperation<Body>(app, nucleus, {
    path: '/business/cash_analysis',
    operationId: 'cashAnalysis',
    tag: BUSINESS_TAG,
    summary: 'Cash analysis: balances and cash flows of the cash accounts',
    description:
      'Reads the active aggregation accounts marked is_cash of the business or client, their balance records and their bank and cash transactions in the window, ' +
      'and reports opening and closing balances, inflows, outflows and net cash flow, per account, per period and per category. Formulas: docs/proton-business.md.',
    body: CashAnalysisRequest,
    response: CashAnalysisResponse,
    solve: async (body, auth) => {
      await requireSubject(nucleus, auth, body, true);
      const end = body.end_date ?? today();
      if (body.start_date) checkedSpan(body.start_date, end);

      const reader = nucleusReader(nucleus, auth);
      const accounts = await reader.select('aggregation_account', (p) =>
        [ownedBy(body, p), `coalesce((r.doc->>'is_cash')::boolean, false)`, `coalesce((r.doc->>'is_active')::boolean, true)`].join(' AND '),
      );
      const accountIds = accounts.map((a) => a.id);
      const transactions = await reader.select('aggregation_account_transaction', (p) =>
        [
          `r.doc->>'aggregation_account_id' = ANY(${p.add(accountIds)}::text[])`,
          inCurrency(body.currency_code, p),
          body.start_date ? `left(r.doc->>'transaction_date', 10) >= ${p.add(body.start_date)}` : 'true',
          `left(r.doc->>'transaction_date', 10) <= ${p.add(end)}`,
          `NOT coalesce((r.doc->>'is_excluded_analysis')::boolean, false)`,
          SCOPE_CONDITION[body.scope],
          body.transaction_status_scope ? `r.doc->>'status' = ANY(${p.add(body.transaction_status_scope)}::text[])` : 'true',
          body.only_cleansed ? `r.doc->'bank_credit'->>'category' IS NOT NULL` : 'true',
        ].join(' AND '),
      );
      const balances = await reader.select<{ id: string; doc: Record<string, unknown>; at: string }>(
        'aggregation_account_balance',
        (p) =>
          [
            `r.doc->>'aggregation_account_id' = ANY(${p.add(accountIds)}::text[])`,
            inCurrency(body.currency_code, p),
            `r.doc->>'balance' IS NOT NULL`,
            `left(r.doc->>'balance_time_stamp', 10) <= ${p.add(end)}`,
            `coalesce((r.doc->>'is_active')::boolean, true)`,
          ].join(' AND '),
        { columns: `r.id::text AS id, r.doc, (r.doc->>'balance_time_stamp') || '|' || to_char(r.create_date AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') AS at` },
      );
      const currency = await reportCurrency(reader, body, [...transactions, ...balances].map((row) => row.doc.currency_code as string), end);

      // A flow is converted at the rate of its own day, a balance at that of the day it is reported for.
      const movements = transactions.flatMap((row): CashMovement[] => {
        const money = (row.doc.bank_credit ?? row.doc.cash) as Amount | undefined;
        const direction = money && directionOf(money.transaction_type);
        if (!money || !direction) return [];
        const day = dayOf(row.doc.transaction_date as string);
        return [
          {
            accountId: row.doc.aggregation_account_id as string,
            day,
            direction,
            amount: currency.convert(new Decimal(money.amount), row.doc.currency_code as string, day),
            category: money.category ?? null,
          },
        ];
      });
      const start = body.start_date ?? movements.reduce((first, m) => (m.day < first ? m.day : first), end);
      const window = { start, end };
      const analysis = analyzeCash({
        accounts: accounts.map((a) => ({ id: a.id, name: a.doc.account_name as string })),
        balances: balances.map((row) => ({
          accountId: row.doc.aggregation_account_id as string,
          day: dayOf(row.doc.balance_time_stamp as string),
          at: row.at,
          amount: new Decimal(row.doc.balance as number),
          currency: row.doc.currency_code as string,
        })),
        convert: currency.convert,
        movements,
        window,
        history: body.show_history ? calendarPeriods(window, body.history_frequency_interval) : null,
        inflowDetails: body.show_inflow_details,
        outflowDetails: body.show_outflow_details,
      });
      return { currency_code: currency.code, analysis_start: start, analysis_end: end, ...analysis };
    },
  });
}
