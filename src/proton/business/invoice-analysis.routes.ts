import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import { dayOf } from '../../platform/calendar/days.ts';
import { EntityReader, type Row } from '../../platform/read/entity-reader.ts';
import { requireRecords, type NucleusAccess } from '../nucleus-records.ts';
import { registerOperation } from '../operation-route.ts';
import { Decimal } from '../money.ts';
import { calendarPeriods, checkedSpan, today } from '../calendar.ts';
import { analyzeInvoices, checkBands, type InvoiceFact } from './invoice-analysis.ts';
import { InvoiceAnalysisRequest, InvoiceAnalysisResponse } from './invoice-analysis.schema.ts';
import { reportCurrency } from './report-currency.ts';
import { inCurrency, ownedBy, requireSubject } from './subject.ts';
import { BUSINESS_TAG } from './tag.ts';

type Body = Static<typeof InvoiceAnalysisRequest>;

export function invoiceAnalysisRoutes(app: FastifyInstance, nucleus: NucleusAccess): void {
  registerOperation<Body>(app, nucleus, {
    path: '/business/invoice_analysis',
    operationId: 'invoiceAnalysis',
    tag: BUSINESS_TAG,
    summary: 'Invoice analysis: what customers owe and have paid',
    description:
      "Reads the active invoices (not bills) of the business or client, or those named, dated in the window, with their payments up to end_date. " +
      'Reports totals paid, outstanding and overdue, aging bands of overdue and not yet due invoices, the customers owing most, and optionally a history and the open invoices. ' +
      'Formulas: docs/proton-business.md.',
    body: InvoiceAnalysisRequest,
    response: InvoiceAnalysisResponse,
    solve: async (body, auth) => {
      await requireSubject(nucleus, auth, body, !body.invoice_ids && !body.customer_id);
      await requireRecords(nucleus, auth, 'invoice', body.invoice_ids);
      if (body.customer_id) await requireRecords(nucleus, auth, 'contact', [body.customer_id]);
      checkBands(body.overdue_periods, 'overdue_periods');
      checkBands(body.future_due_periods, 'future_due_periods');
      const asOf = body.end_date ?? today();
      if (body.start_date) checkedSpan(body.start_date, asOf);

      const reader = EntityReader.asCaller(nucleus, auth);
      const invoices = await reader.rows('invoice', {
        where: {
          ...ownedBy(body),
          ...inCurrency(body.currency_code),
          id: body.invoice_ids ? { in: body.invoice_ids } : undefined,
          contact_id: body.customer_id || undefined,
          is_active: { not: false },
          is_bill: { not: true },
          invoice_date: { gte: body.start_date || undefined, lte: asOf },
        },
      });
      const payments = await reader.rows('invoice_payment', { where: { invoice_id: { in: invoices.map((i) => i.id) } } });
      const currency = await reportCurrency(
        reader,
        body,
        [...invoices, ...payments].map((row) => row.doc.currency_code),
        asOf,
      );
      const paymentsOf = new Map<string, Row<'invoice_payment'>[]>();
      for (const payment of payments) {
        const invoiceId = payment.doc.invoice_id;
        paymentsOf.set(invoiceId, [...(paymentsOf.get(invoiceId) ?? []), payment]);
      }
      // Everything is converted at the rate in force on the as-of day, so amounts owed and paid stay comparable.
      const facts: InvoiceFact[] = invoices.map((row) => {
        const doc = row.doc;
        return {
          id: row.id,
          number: doc.invoice_number,
          customerId: doc.contact_id,
          invoiceDay: doc.invoice_date,
          dueDay: dayOf(doc.due_date),
          amount: currency.convert(new Decimal(doc.total_amount), doc.currency_code, asOf),
          payments: (paymentsOf.get(row.id) ?? []).map((payment) => ({
            day: dayOf(payment.doc.payment_date),
            amount: currency.convert(new Decimal(payment.doc.payment_amount), payment.doc.currency_code, asOf),
          })),
        };
      });
      const start = body.start_date ?? facts.reduce<string | null>((first, f) => (first === null || f.invoiceDay < first ? f.invoiceDay : first), null);
      const analysis = analyzeInvoices({
        invoices: facts,
        asOf,
        overdueBands: body.overdue_periods,
        futureBands: body.future_due_periods,
        history: body.show_history && start ? calendarPeriods({ start, end: asOf }, body.history_frequency_interval) : body.show_history ? [] : null,
        customerLimit: body.response_limit,
        listOutstanding: body.show_outstanding_invoices,
      });
      return { currency_code: currency.code, analysis_start: start, analysis_end: asOf, ...analysis };
    },
  });
}
