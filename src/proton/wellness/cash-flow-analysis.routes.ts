import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import { EntityReader } from '../../platform/read/entity-reader.ts';
import type { NucleusAccess } from '../nucleus-records.ts';
import { registerOperation } from '../operation-route.ts';
import { CalculationError } from '../calculation-error.ts';
import { cents, ratio, type Decimal } from '../money.ts';
import { convertTransactions, requestClients, scopedTransactions, settleCurrency, type MoneyTransaction } from './aggregation-data.ts';
import { addDays, addMonths, daysBetween } from '../calendar.ts';
import { benchmarkWindow, change, compare, groupBy, isCashFlow, monthsOf, ofFlow, type Compared } from './cash-flow.ts';
import { CashFlowAnalysisRequest, CashFlowAnalysisResponse } from './cash-flow-analysis.schema.ts';
import { checkedDay, requireSubject, windowOf } from './wellness-fields.ts';

type Body = Static<typeof CashFlowAnalysisRequest>;
type Window = { start: string; end: string };

function changeOf(figures: { total: Decimal; benchmark: Decimal }) {
  const { change: difference, changePercent } = change(figures.total, figures.benchmark);
  return {
    total: cents(figures.total),
    benchmark_total: cents(figures.benchmark),
    change: cents(difference),
    change_percent: changePercent === null ? null : ratio(changePercent),
  };
}

function summary(figures: Compared) {
  return { ...changeOf(figures), transaction_count: figures.count, benchmark_transaction_count: figures.benchmarkCount };
}

function benchmarkOf(body: Body, analysis: Window): Window {
  const start = body.benchmark_start_date;
  const end = body.benchmark_end_date;
  if (start === null && end === null) return benchmarkWindow(analysis, daysBetween(analysis.start, analysis.end) + 1);
  if (start === null) throw new CalculationError('benchmark_start_date', 'is needed with benchmark_end_date');
  if (end === null) throw new CalculationError('benchmark_end_date', 'is needed with benchmark_start_date');
  if (start > end) throw new CalculationError('benchmark_start_date', `is after benchmark_end_date ${end}`);
  return { start: checkedDay('benchmark_start_date', start), end: checkedDay('benchmark_end_date', end) };
}

/** Income or spending by a key, each group compared with its benchmark, largest first. */
function breakdown(name: 'category' | 'merchant', current: MoneyTransaction[], benchmark: MoneyTransaction[], whole: Decimal) {
  const key = (t: MoneyTransaction) => t[name];
  const before = groupBy(benchmark, key);
  return [...groupBy(current, key)]
    .map(([value, members]) => ({ value, figures: compare(members, before.get(value) ?? []) }))
    .sort((a, b) => b.figures.total.comparedTo(a.figures.total))
    .map(({ value, figures }) => ({
      [name]: value,
      ...changeOf(figures),
      share: whole.isZero() ? 0 : ratio(figures.total.div(whole)),
      transaction_count: figures.count,
    }));
}

export function cashFlowAnalysisRoutes(app: FastifyInstance, nucleus: NucleusAccess): void {
  registerOperation<Body>(app, nucleus, {
    path: '/cash_flow_analysis',
    operationId: 'cashFlowAnalysis',
    tag: 'Personal Financial Management',
    summary: 'Income, spending and net cash flow against a benchmark window',
    description:
      'Adds up money coming in (income) and going out (spending) over the analysis window, leaving out trades and transfers, ' +
      'and compares each with a benchmark window (by default the window of as many days just before); optionally by category ' +
      'and merchant, and month by month. See docs/proton-wellness.md.',
    body: CashFlowAnalysisRequest,
    response: CashFlowAnalysisResponse,
    solve: async (body, auth) => {
      requireSubject(body);
      const reader = EntityReader.asCaller(nucleus, auth);
      const analysis = windowOf(body.start_date, body.end_date, (end) => addDays(addMonths(end, -1), 1));
      const benchmark = benchmarkOf(body, analysis);
      const clientIds = await requestClients(reader, body);
      const loaded = await scopedTransactions(
        reader,
        { clientIds, accountIds: body.account_ids, aggregationAccountIds: body.aggregation_account_ids },
        body.scope,
        {
          range: { start: analysis.start < benchmark.start ? analysis.start : benchmark.start, end: analysis.end > benchmark.end ? analysis.end : benchmark.end },
          statuses: body.transaction_status_scope,
          onlyCleansed: body.only_cleansed,
          currencyCode: body.currency_code,
        },
      );
      const flows = loaded.filter(isCashFlow);
      const currency = await settleCurrency(reader, flows, body.currency_conversion);
      const transactions = convertTransactions(currency, flows);
      const income = ofFlow(transactions, 'inflow', analysis);
      const spending = ofFlow(transactions, 'outflow', analysis);
      const incomeBefore = ofFlow(transactions, 'inflow', benchmark);
      const spendingBefore = ofFlow(transactions, 'outflow', benchmark);
      const incomeFigures = compare(income, incomeBefore);
      const spendingFigures = compare(spending, spendingBefore);
      const details = (current: MoneyTransaction[], before: MoneyTransaction[], whole: Decimal) => ({
        by_category: breakdown('category', current, before, whole),
        by_merchant: breakdown('merchant', current, before, whole),
      });
      return {
        currency_code: currency.code ?? null,
        analysis_start_date: analysis.start,
        analysis_end_date: analysis.end,
        benchmark_start_date: benchmark.start,
        benchmark_end_date: benchmark.end,
        income_summary: summary(incomeFigures),
        spending_summary: summary(spendingFigures),
        net_summary: changeOf({ total: incomeFigures.total.minus(spendingFigures.total), benchmark: incomeFigures.benchmark.minus(spendingFigures.benchmark) }),
        ...(body.show_income_details ? { income_details: details(income, incomeBefore, incomeFigures.total) } : {}),
        ...(body.show_spending_details ? { spending_details: details(spending, spendingBefore, spendingFigures.total) } : {}),
        ...(body.show_history
          ? {
              history: monthsOf(analysis).map((month) => {
                const inflow = compare(ofFlow(income, 'inflow', month), []).total;
                const outflow = compare(ofFlow(spending, 'outflow', month), []).total;
                return { period_start: month.start, period_end: month.end, income: cents(inflow), spending: cents(outflow), net: cents(inflow.minus(outflow)) };
              }),
            }
          : {}),
      };
    },
  });
}
