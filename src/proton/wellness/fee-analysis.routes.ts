import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import { EntityReader } from '../../platform/read/entity-reader.ts';
import type { NucleusAccess } from '../nucleus-records.ts';
import { registerOperation } from '../operation-route.ts';
import { cents, ZERO, type Decimal } from '../money.ts';
import { aggregationAccounts, aggregationTransactions, convertTransactions, settleCurrency } from './aggregation-data.ts';
import { findFees, type FoundFee } from './fees.ts';
import { FeeAnalysisRequest, FeeAnalysisResponse } from './fee-analysis.schema.ts';
import { requireSubject, twelveMonthsBefore, windowOf } from './wellness-fields.ts';

type Body = Static<typeof FeeAnalysisRequest>;

interface Totals {
  total: Decimal;
  refunds: Decimal;
  count: number;
}

function add(totals: Totals, fee: FoundFee): Totals {
  return fee.isRefund
    ? { ...totals, refunds: totals.refunds.plus(fee.amount) }
    : { ...totals, total: totals.total.plus(fee.amount), count: totals.count + 1 };
}

function grouped(fees: readonly FoundFee[], key: (fee: FoundFee) => string): Map<string, Totals> {
  const groups = new Map<string, Totals>();
  for (const fee of fees) groups.set(key(fee), add(groups.get(key(fee)) ?? { total: ZERO, refunds: ZERO, count: 0 }, fee));
  return groups;
}

function reported(totals: Totals) {
  return { total: cents(totals.total), refunds: cents(totals.refunds), net: cents(totals.total.minus(totals.refunds)), count: totals.count };
}

const byNet = (a: [string, Totals], b: [string, Totals]) => b[1].total.minus(b[1].refunds).comparedTo(a[1].total.minus(a[1].refunds)) || (a[0] < b[0] ? -1 : 1);

export function feeAnalysisRoutes(app: FastifyInstance, nucleus: NucleusAccess): void {
  registerOperation<Body>(app, nucleus, {
    path: '/fee_analysis',
    operationId: 'feeAnalysis',
    tag: 'Personal Financial Management',
    summary: 'Fees paid, by kind, account and month',
    description:
      'Finds the fees among the transactions of aggregation accounts: those marked is_fee, those whose category or description ' +
      'names a fee or charge, and the fees of trades; classifies each by its words (overdraft, ATM, foreign transaction, late ' +
      'payment, interest, wire transfer, account service, trading, other) and counts incoming ones as refunds. ' +
      'See docs/proton-wellness.md.',
    body: FeeAnalysisRequest,
    response: FeeAnalysisResponse,
    solve: async (body, auth) => {
      requireSubject(body);
      const reader = EntityReader.asCaller(nucleus, auth);
      const window = windowOf(body.start_date, body.end_date, twelveMonthsBefore);
      const accounts = await aggregationAccounts(reader, { clientIds: body.client_id ? [body.client_id] : [], aggregationAccountIds: body.aggregation_account_ids });
      const names = new Map(accounts.map((a) => [a.id, String(a.doc.account_name)]));
      const transactions = await aggregationTransactions(reader, accounts.map((a) => a.id), {
        range: window,
        statuses: body.transaction_status_scope,
        currencyCode: body.currency_code,
      });
      const candidates = findFees(transactions).map((f) => f.transaction);
      const currency = await settleCurrency(reader, candidates, body.currency_conversion);
      const fees = findFees(convertTransactions(currency, candidates));
      const all = fees.reduce(add, { total: ZERO, refunds: ZERO, count: 0 });
      return {
        currency_code: currency.code ?? null,
        analysis_start_date: window.start,
        analysis_end_date: window.end,
        total_fees: cents(all.total),
        total_refunds: cents(all.refunds),
        net_fees: cents(all.total.minus(all.refunds)),
        fee_count: all.count,
        refund_count: fees.filter((f) => f.isRefund).length,
        by_type: [...grouped(fees, (f) => f.type)].sort(byNet).map(([fee_type, totals]) => ({ fee_type, ...reported(totals) })),
        by_account: [...grouped(fees, (f) => f.transaction.accountId)]
          .sort(byNet)
          .map(([id, totals]) => ({ aggregation_account_id: id, account_name: names.get(id) ?? '', ...reported(totals) })),
        by_month: [...grouped(fees, (f) => f.transaction.day.slice(0, 7))].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([month, totals]) => ({ month, ...reported(totals) })),
        fees: fees.map((f) => ({
          transaction_id: f.transaction.id,
          aggregation_account_id: f.transaction.accountId,
          date: f.transaction.day,
          amount: cents(f.amount),
          is_refund: f.isRefund,
          fee_type: f.type,
          rule: f.rule,
          description: f.transaction.description ?? null,
          merchant: f.transaction.merchant ?? null,
          category: f.transaction.category ?? null,
        })),
      };
    },
  });
}
