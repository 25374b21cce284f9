import { Type } from 'typebox';
import { defaultsOptional } from '../request-fields.ts';
import { moneyOut } from '../response-fields.ts';
import { businessId, clientId, currencyCode, currencyConversion, endDate, historyInterval, responseLimit, showHistory, startDate } from './request-fields.ts';
import { count, day, nullableNumber, periodBounds, reportCurrencyOut } from './response-fields.ts';

const bound = (description: string) => Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], { default: null, description });

const DayBand = Type.Object(
  {
    start: bound('First day of the band (included); null for 0'),
    end: bound('Last day of the band (included); null for no end'),
  },
  { additionalProperties: false, title: 'InvoiceDayBand' },
);

export const InvoiceAnalysisRequest = defaultsOptional(
  Type.Object(
    {
      business_id: businessId(),
      client_id: clientId(),
      invoice_ids: Type.Union([Type.Array(Type.String({ format: 'uuid' }), { minItems: 1 }), Type.Null()], {
        default: null,
        description: 'Only these invoices; each must exist for the caller (404 otherwise)',
      }),
      customer_id: Type.Optional(Type.String({ format: 'uuid', description: 'Only invoices to this customer (a Nucleus contact)' })),
      currency_code: currencyCode(),
      currency_conversion: currencyConversion(),
      start_date: startDate('First invoice_date analyzed; null for the earliest invoice'),
      end_date: endDate('Last invoice_date analyzed, and the day the analysis is as of: payments after it are not counted, and an invoice is overdue when its due day is before it'),
      overdue_periods: Type.Array(DayBand, {
        minItems: 1,
        default: [
          { start: 1, end: 30 },
          { start: 31, end: 60 },
          { start: 61, end: 90 },
          { start: 91, end: null },
        ],
        description: 'Aging bands of overdue invoices, in days past the due day as of end_date',
      }),
      future_due_periods: Type.Array(DayBand, {
        minItems: 1,
        default: [
          { start: 0, end: 30 },
          { start: 31, end: 60 },
          { start: 61, end: 90 },
          { start: 91, end: null },
        ],
        description: 'Bands of invoices not yet due, in days until the due day as of end_date (0 = due on end_date)',
      }),
      show_history: showHistory(),
      history_frequency_interval: historyInterval(),
      show_outstanding_invoices: Type.Boolean({ default: false, description: 'List every invoice with an amount outstanding' }),
      response_limit: responseLimit('customers'),
    },
    { additionalProperties: false },
  ),
);

const Totals = {
  invoice_count: count('Invoices'),
  total_invoiced: moneyOut('Sum of total_amount over the invoices'),
  total_paid: moneyOut('Payments received on them up to end_date'),
  total_outstanding: moneyOut('Not yet paid: total_invoiced - total_paid, counting no invoice below zero'),
  total_overdue: moneyOut('Outstanding on invoices whose due day is before end_date'),
};

const Band = Type.Object(
  {
    start: Type.Integer({ minimum: 0, description: 'First day of the band' }),
    end: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], { description: 'Last day of the band; null for no end' }),
    invoice_count: count('Invoices in the band'),
    amount_outstanding: moneyOut('Outstanding on them'),
  },
  { additionalProperties: false, title: 'InvoiceBand' },
);

const Customer = Type.Object(
  {
    customer_id: Type.String({ format: 'uuid', description: 'The contact invoiced' }),
    ...Totals,
  },
  { additionalProperties: false, title: 'InvoiceCustomer' },
);

const HistoryEntry = Type.Object(
  {
    ...periodBounds,
    invoice_count: count('Invoices dated in the period'),
    amount_invoiced: moneyOut('Their total_amount'),
    amount_paid: moneyOut('Payments dated in the period, on any invoice analyzed'),
    amount_outstanding: moneyOut('Outstanding at the end of the period, on the invoices dated up to then'),
  },
  { additionalProperties: false, title: 'InvoiceHistoryEntry' },
);

const OutstandingInvoice = Type.Object(
  {
    invoice_id: Type.String({ format: 'uuid' }),
    invoice_number: Type.String(),
    customer_id: Type.String({ format: 'uuid' }),
    invoice_date: day('Day of the invoice'),
    due_date: day('Due day (UTC)'),
    total_amount: moneyOut('Amount invoiced'),
    amount_paid: moneyOut('Paid up to end_date'),
    amount_outstanding: moneyOut('Still owed'),
    days_past_due: Type.Integer({ description: 'Days from the due day to end_date; negative while not yet due' }),
    status: Type.Union([Type.Literal('overdue'), Type.Literal('due')], { description: 'overdue when days_past_due > 0, else due' }),
  },
  { additionalProperties: false, title: 'OutstandingInvoice' },
);

export const InvoiceAnalysisResponse = Type.Object(
  {
    currency_code: reportCurrencyOut(),
    analysis_start: Type.Union([Type.String({ format: 'date' }), Type.Null()], { description: 'start_date, or the earliest invoice_date read; null when no invoice was read' }),
    analysis_end: day('end_date as used'),
    summary: Type.Object(
      {
        ...Totals,
        paid_count: count('Invoices paid in full'),
        partially_paid_count: count('Invoices with some but not all of the amount paid'),
        unpaid_count: count('Invoices with nothing paid'),
        overdue_count: count('Invoices with an amount outstanding past their due day'),
        total_due: moneyOut('Outstanding on invoices not yet past their due day'),
        average_days_to_pay: nullableNumber('Mean days from invoice_date to the payment completing it, over the invoices paid in full; null when none is'),
      },
      { additionalProperties: false, title: 'InvoiceSummary' },
    ),
    overdue: Type.Array(Band, { description: 'One entry per overdue_periods band, in the order given; an invoice is counted in every band holding its days past due' }),
    future_due: Type.Array(Band, { description: 'One entry per future_due_periods band, by days until due' }),
    customers: Type.Array(Customer, { description: 'Per customer, most outstanding first (then most invoiced), at most response_limit' }),
    history: Type.Union([Type.Array(HistoryEntry), Type.Null()], { description: 'Per period of the window when show_history; else null' }),
    outstanding_invoices: Type.Union([Type.Array(OutstandingInvoice), Type.Null()], {
      description: 'Every invoice with an amount outstanding, earliest due first, when show_outstanding_invoices; else null',
    }),
  },
  { additionalProperties: false },
);
