import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import { EntityReader } from '../../platform/read/entity-reader.ts';
import { CalculationError } from '../calculation-error.ts';
import { requireRecords, type NucleusAccess } from '../nucleus-records.ts';
import { registerOperation } from '../operation-route.ts';
import { Decimal, ZERO } from '../money.ts';
import { checkedSpan, today, type DaySpan } from '../calendar.ts';
import { analyzeCustomers } from './customer-analysis.ts';
import { CustomerAnalysisRequest, CustomerAnalysisResponse } from './customer-analysis.schema.ts';
import { reportCurrency } from './report-currency.ts';
import { inCurrency, ownedBy, requireSubject } from './subject.ts';
import { BUSINESS_TAG } from './tag.ts';

type Body = Static<typeof CustomerAnalysisRequest>;

/** The benchmark window, when the request gives one: both ends or neither. */
function benchmarkOf(body: Body): DaySpan | null {
  const { benchmark_start_date: start, benchmark_end_date: end } = body;
  if (start === null && end === null) return null;
  if (start === null) throw new CalculationError('benchmark_start_date', 'give it with benchmark_end_date');
  if (end === null) throw new CalculationError('benchmark_end_date', 'give it with benchmark_start_date');
  return checkedSpan(start, end, 'benchmark_start_date');
}

const within = (day: string, span: { start: string | null; end: string }) => (span.start === null || day >= span.start) && day <= span.end;

export function customerAnalysisRoutes(app: FastifyInstance, nucleus: NucleusAccess): void {
  registerOperation<Body>(app, nucleus, {
    path: '/business/customer_analysis',
    operationId: 'customerAnalysis',
    tag: BUSINESS_TAG,
    summary: 'Customer analysis: revenue per customer and its concentration',
    description:
      "Sums the customer_revenue records of the business's or client's customers (or of the customers named) in the window, ranks the customers, " +
      'measures how concentrated the revenue is (largest shares, Herfindahl index) and compares it with a benchmark window. Formulas: docs/proton-business.md.',
    body: CustomerAnalysisRequest,
    response: CustomerAnalysisResponse,
    solve: async (body, auth) => {
      await requireSubject(nucleus, auth, body, !body.customer_ids);
      await requireRecords(nucleus, auth, 'contact', body.customer_ids);
      const end = body.end_date ?? today();
      if (body.start_date) checkedSpan(body.start_date, end);
      const window = { start: body.start_date, end };
      const benchmark = benchmarkOf(body);

      const reader = EntityReader.asCaller(nucleus, auth);
      const contacts = await reader.rows('contact', {
        where: {
          ...ownedBy(body),
          ...(body.customer_ids ? { id: { in: body.customer_ids } } : { is_customer: true }),
          is_active: body.only_active_customers ? { not: false } : undefined,
        },
      });
      const revenue = await reader.rows('customer_revenue', {
        where: { contact_id: { in: contacts.map((c) => c.id) }, ...inCurrency(body.currency_code) },
        and: (f, p) =>
          [{ start: window.start ?? '0000-01-01', end }, ...(benchmark ? [benchmark] : [])]
            .map((span) => `${f.text('date')} BETWEEN ${p.add(span.start)} AND ${p.add(span.end)}`)
            .join(' OR '),
      });
      const lastDay = benchmark && benchmark.end > end ? benchmark.end : end;
      const currency = await reportCurrency(reader, body, revenue.map((r) => r.doc.currency_code), lastDay);
      // Revenue is converted at the rate of the day it was earned.
      const amounts = revenue.map((r) => ({
        contact: r.doc.contact_id,
        day: r.doc.date,
        amount: currency.convert(new Decimal(r.doc.revenue), r.doc.currency_code, r.doc.date),
      }));
      const sum = (contact: string, span: { start: string | null; end: string }) =>
        amounts.filter((a) => a.contact === contact && within(a.day, span)).reduce((total, a) => total.plus(a.amount), ZERO);
      const analysis = analyzeCustomers(
        contacts.map((c) => ({
          id: c.id,
          name: c.doc.company_name,
          active: c.doc.is_active !== false,
          revenue: sum(c.id, window),
          benchmark: benchmark ? sum(c.id, benchmark) : null,
        })),
        body.response_limit,
      );
      return {
        currency_code: currency.code,
        analysis_start: body.start_date,
        analysis_end: end,
        benchmark_start: benchmark?.start ?? null,
        benchmark_end: benchmark?.end ?? null,
        ...analysis,
      };
    },
  });
}
