import { cents, Decimal, ZERO } from '../money.ts';
import { CalculationError } from '../calculation-error.ts';
import { daysBetween, type DaySpan } from '../calendar.ts';

/** One invoice as the analysis sees it: amounts already in the report currency. */
export interface InvoiceFact {
  id: string;
  number: string;
  customerId: string;
  invoiceDay: string;
  dueDay: string;
  amount: Decimal;
  payments: { day: string; amount: Decimal }[];
}

/** A band of days; a null end has no limit. */
export interface DayBand {
  start: number | null;
  end: number | null;
}

export interface InvoiceAnalysisInput {
  invoices: InvoiceFact[];
  asOf: string;
  overdueBands: DayBand[];
  futureBands: DayBand[];
  history: DaySpan[] | null;
  customerLimit: number;
  listOutstanding: boolean;
}

/** Checks every band runs forwards. */
export function checkBands(bands: DayBand[], field: string): void {
  bands.forEach((band, index) => {
    if (band.end !== null && band.end < (band.start ?? 0)) throw new CalculationError(`${field}[${index}].end`, 'must not be before start');
  });
}

const inBand = (days: number, band: DayBand) => days >= (band.start ?? 0) && (band.end === null || days <= band.end);

function paidBy(invoice: InvoiceFact, day: string): Decimal {
  return invoice.payments.filter((p) => p.day <= day).reduce((sum, p) => sum.plus(p.amount), ZERO);
}

/** Owed on an invoice after the payments up to a day; overpayment never makes it negative. */
function outstandingOn(invoice: InvoiceFact, day: string): Decimal {
  return Decimal.max(ZERO, invoice.amount.minus(paidBy(invoice, day)));
}

interface Position {
  invoice: InvoiceFact;
  paid: Decimal;
  outstanding: Decimal;
  /** Days from the due day to the as-of day. */
  pastDue: number;
}

function totals(positions: Position[]) {
  const sum = (pick: (p: Position) => Decimal) => positions.reduce((total, p) => total.plus(pick(p)), ZERO);
  return {
    invoice_count: positions.length,
    total_invoiced: cents(sum((p) => p.invoice.amount)),
    total_paid: cents(sum((p) => p.paid)),
    total_outstanding: cents(sum((p) => p.outstanding)),
    total_overdue: cents(sum((p) => (p.pastDue > 0 ? p.outstanding : ZERO))),
  };
}

function bandsOf(bands: DayBand[], positions: Position[], days: (p: Position) => number) {
  return bands.map((band) => {
    const members = positions.filter((p) => inBand(days(p), band));
    return {
      start: band.start ?? 0,
      end: band.end,
      invoice_count: members.length,
      amount_outstanding: cents(members.reduce((sum, p) => sum.plus(p.outstanding), ZERO)),
    };
  });
}

/** The day the payments on an invoice first cover its amount, if they do. */
function settledOn(invoice: InvoiceFact, asOf: string): string | undefined {
  let paid = ZERO;
  for (const payment of [...invoice.payments].filter((p) => p.day <= asOf).sort((a, b) => (a.day < b.day ? -1 : 1))) {
    paid = paid.plus(payment.amount);
    if (paid.gte(invoice.amount)) return payment.day;
  }
  return undefined;
}

export function analyzeInvoices(input: InvoiceAnalysisInput) {
  const positions: Position[] = input.invoices.map((invoice) => {
    const paid = paidBy(invoice, input.asOf);
    return { invoice, paid, outstanding: Decimal.max(ZERO, invoice.amount.minus(paid)), pastDue: daysBetween(invoice.dueDay, input.asOf) };
  });
  const open = positions.filter((p) => p.outstanding.gt(0));
  const overdue = open.filter((p) => p.pastDue > 0);
  const due = open.filter((p) => p.pastDue <= 0);
  const settleDays = positions.flatMap((p) => {
    const settled = p.outstanding.isZero() ? settledOn(p.invoice, input.asOf) : undefined;
    return settled ? [daysBetween(p.invoice.invoiceDay, settled)] : [];
  });

  const byCustomer = new Map<string, Position[]>();
  for (const position of positions) byCustomer.set(position.invoice.customerId, [...(byCustomer.get(position.invoice.customerId) ?? []), position]);
  const customers = [...byCustomer.entries()]
    .map(([customerId, members]) => ({ customer_id: customerId, ...totals(members) }))
    .sort((a, b) => b.total_outstanding - a.total_outstanding || b.total_invoiced - a.total_invoiced || a.customer_id.localeCompare(b.customer_id))
    .slice(0, input.customerLimit);

  return {
    summary: {
      ...totals(positions),
      paid_count: positions.filter((p) => p.outstanding.isZero()).length,
      partially_paid_count: open.filter((p) => p.paid.gt(0)).length,
      unpaid_count: open.filter((p) => p.paid.lte(0)).length,
      overdue_count: overdue.length,
      total_due: cents(due.reduce((sum, p) => sum.plus(p.outstanding), ZERO)),
      average_days_to_pay: settleDays.length === 0 ? null : settleDays.reduce((a, b) => a + b, 0) / settleDays.length,
    },
    overdue: bandsOf(input.overdueBands, overdue, (p) => p.pastDue),
    future_due: bandsOf(input.futureBands, due, (p) => -p.pastDue),
    customers,
    history: input.history ? input.history.map((period) => historyEntry(input.invoices, period)) : null,
    outstanding_invoices: input.listOutstanding
      ? [...open]
          .sort((a, b) => (a.invoice.dueDay < b.invoice.dueDay ? -1 : a.invoice.dueDay > b.invoice.dueDay ? 1 : a.invoice.number.localeCompare(b.invoice.number)))
          .map((p) => ({
            invoice_id: p.invoice.id,
            invoice_number: p.invoice.number,
            customer_id: p.invoice.customerId,
            invoice_date: p.invoice.invoiceDay,
            due_date: p.invoice.dueDay,
            total_amount: cents(p.invoice.amount),
            amount_paid: cents(p.paid),
            amount_outstanding: cents(p.outstanding),
            days_past_due: p.pastDue,
            status: p.pastDue > 0 ? ('overdue' as const) : ('due' as const),
          }))
      : null,
  };
}

function historyEntry(invoices: InvoiceFact[], period: DaySpan) {
  const dated = invoices.filter((i) => i.invoiceDay >= period.start && i.invoiceDay <= period.end);
  const paid = invoices.flatMap((i) => i.payments).filter((p) => p.day >= period.start && p.day <= period.end);
  const issued = invoices.filter((i) => i.invoiceDay <= period.end);
  return {
    period_start: period.start,
    period_end: period.end,
    invoice_count: dated.length,
    amount_invoiced: cents(dated.reduce((sum, i) => sum.plus(i.amount), ZERO)),
    amount_paid: cents(paid.reduce((sum, p) => sum.plus(p.amount), ZERO)),
    amount_outstanding: cents(issued.reduce((sum, i) => sum.plus(outstandingOn(i, period.end)), ZERO)),
  };
}
