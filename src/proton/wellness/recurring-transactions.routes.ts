import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import { EntityReader } from '../../platform/read/entity-reader.ts';
import type { NucleusAccess } from '../nucleus-records.ts';
import { registerOperation } from '../operation-route.ts';
import { cents, Decimal } from '../money.ts';
import { convertTransactions, scopedTransactions, settleCurrency, sum, type MoneyTransaction } from './aggregation-data.ts';
import { daysBetween } from '../calendar.ts';
import { findRecurring } from './recurring.ts';
import { RecurringTransactionRequest, RecurringTransactionResponse } from './recurring-transactions.schema.ts';
import { requireSubject, twelveMonthsBefore, windowOf } from './wellness-fields.ts';

type Body = Static<typeof RecurringTransactionRequest>;

/** A payment that can belong to a series: money going out, not a trade or a transfer, with a merchant or description. */
function isCandidate(t: MoneyTransaction, flaggedOnly: boolean): boolean {
  if (t.flow !== 'outflow' || t.isTrade || t.isTransfer) return false;
  if (flaggedOnly && !t.isRecurring) return false;
  return (t.merchant ?? t.description) !== undefined;
}

export function recurringTransactionRoutes(app: FastifyInstance, nucleus: NucleusAccess): void {
  registerOperation<Body>(app, nucleus, {
    path: '/recurring_transaction_analysis',
    operationId: 'recurringTransactionAnalysis',
    tag: 'Personal Financial Management',
    summary: 'Recurring payments: subscriptions and bills',
    description:
      'Finds series of outgoing payments to one merchant that repeat weekly, monthly, quarterly or yearly, each payment within ' +
      'interval_deviation_threshold days of the date its predecessor implies and within amount_deviation_threshold of the ' +
      "series' median amount; reports each series with its typical amount, occurrences and next expected date. " +
      'See docs/proton-wellness.md.',
    body: RecurringTransactionRequest,
    response: RecurringTransactionResponse,
    solve: async (body, auth) => {
      requireSubject(body);
      const reader = EntityReader.asCaller(nucleus, auth);
      const window = windowOf(body.start_date, body.end_date, twelveMonthsBefore);
      const holdings = { clientIds: body.client_id ? [body.client_id] : [], accountIds: body.account_ids, aggregationAccountIds: body.aggregation_account_ids };
      const found = await scopedTransactions(reader, holdings, body.scope, {
        range: window,
        statuses: body.transaction_status_scope,
        onlyCleansed: body.only_cleansed,
        currencyCode: body.currency_code,
      });
      const candidates = found.filter((t) => isCandidate(t, !body.analyze_transactions));
      const currency = await settleCurrency(reader, candidates, body.currency_conversion);
      const payments = convertTransactions(currency, candidates).map((t) => ({ ...t, label: (t.merchant ?? t.description)! }));
      const series = findRecurring(payments, { days: body.interval_deviation_threshold, amount: body.amount_deviation_threshold });
      const reported = series.map((s) => {
        const first = s.payments[0];
        const last = s.payments[s.payments.length - 1];
        const total = sum(s.payments);
        const annual = s.typicalAmount.times(s.recurrence.perYear);
        return {
          annual,
          row: {
            merchant: first.label,
            category: last.category ?? null,
            frequency: s.recurrence.frequency,
            occurrences: s.payments.length,
            typical_amount: cents(s.typicalAmount),
            average_amount: cents(total.div(s.payments.length)),
            total_amount: cents(total),
            annual_cost: cents(annual),
            first_date: first.day,
            last_date: last.day,
            next_expected_date: s.nextExpected,
            average_interval_days: daysBetween(first.day, last.day) / (s.payments.length - 1),
            ...(body.show_recurring_details
              ? { transactions: s.payments.map((p) => ({ transaction_id: p.id, source: p.source, account_id: p.accountId, date: p.day, amount: cents(p.amount) })) }
              : {}),
          },
        };
      });
      const totalAnnual = reported.reduce((total, r) => total.plus(r.annual), new Decimal(0));
      return {
        currency_code: currency.code ?? null,
        analysis_start_date: window.start,
        analysis_end_date: window.end,
        series_count: reported.length,
        total_annual_cost: cents(totalAnnual),
        total_monthly_cost: cents(totalAnnual.div(12)),
        recurring_transactions: reported.map((r) => r.row),
      };
    },
  });
}
