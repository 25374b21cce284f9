import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import { dayOf } from '../../platform/calendar/days.ts';
import { EntityReader, type Row } from '../../platform/read/entity-reader.ts';
import type { NucleusAccess } from '../nucleus-records.ts';
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

/** The transfers a scope takes: only those between the subject's own accounts (internal), or none of them (external). */
const SCOPE_TRANSFERS = {
  all: undefined,
  internal: true,
  external: { not: true },
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

      const reader = EntityReader.asCaller(nucleus, auth);
      const accounts = await reader.rows('aggregation_account', { where: { ...ownedBy(body), is_cash: true, is_active: { not: false } } });
      const accountIds = accounts.map((a) => a.id);
      const transactions = await reader.rows('aggregation_account_transaction', {
        where: {
          aggregation_account_id: { in: accountIds },
          ...inCurrency(body.currency_code),
          is_excluded_analysis: { not: true },
          is_transfer: SCOPE_TRANSFERS[body.scope],
          status: body.transaction_status_scope ? { in: body.transaction_status_scope } : undefined,
        },
        and: (f, p) =>
          [
            body.start_date ? `${f.day('transaction_date')} >= ${p.add(body.start_date)}` : 'true',
            `${f.day('transaction_date')} <= ${p.add(end)}`,
            body.only_cleansed ? `${f.text('bank_credit.category')} IS NOT NULL` : 'true',
          ].join(' AND '),
      });
      const balances = await reader.rows<'aggregation_account_balance', Row<'aggregation_account_balance'> & { at: string }>('aggregation_account_balance', {
        where: {
          aggregation_account_id: { in: accountIds },
          ...inCurrency(body.currency_code),
          balance: { not: null },
          is_active: { not: false },
        },
        and: (f, p) => `${f.day('balance_time_stamp')} <= ${p.add(end)}`,
        columns: (f) =>
          `${f.column('id')}::text AS id, ${f.alias}.doc, ${f.text('balance_time_stamp')} || '|' || to_char(${f.column('create_date')} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') AS at`,
      });
      const currency = await reportCurrency(reader, body, [...transactions, ...balances].map((row) => row.doc.currency_code), end);

      // A flow is converted at the rate of its own day, a balance at that of the day it is reported for.
      const movements = transactions.flatMap((row): CashMovement[] => {
        const money: Amount | undefined = row.doc.bank_credit ?? row.doc.cash;
        const direction = money && directionOf(money.transaction_type);
        if (!money || !direction) return [];
        const day = dayOf(row.doc.transaction_date);
        return [
          {
            accountId: row.doc.aggregation_account_id!,
            day,
            direction,
            amount: currency.convert(new Decimal(money.amount), row.doc.currency_code, day),
            category: money.category ?? null,
          },
        ];
      });
      const start = body.start_date ?? movements.reduce((first, m) => (m.day < first ? m.day : first), end);
      const window = { start, end };
      const analysis = analyzeCash({
        accounts: accounts.map((a) => ({ id: a.id, name: a.doc.account_name })),
        balances: balances.map((row) => ({
          accountId: row.doc.aggregation_account_id!,
          day: dayOf(row.doc.balance_time_stamp!),
          at: row.at,
          amount: new Decimal(row.doc.balance!),
          currency: row.doc.currency_code,
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
