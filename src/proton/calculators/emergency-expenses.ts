import { Decimal, decimalOf, ZERO } from '../../platform/money/money.ts';
import type { EntityReader } from '../../platform/read/entity-reader.ts';
import { CalculationError } from '../calculation-error.ts';
import { addMonths } from '../calendar.ts';
import type { EXPENSE_FIELDS } from './emergency-fund.schema.ts';

export type ExpenseField = (typeof EXPENSE_FIELDS)[number];
export type ExpenseUnit = 'year' | 'six_months' | 'quarter' | 'month' | 'two_weeks' | 'week';

/**
 * Which spending counts as which essential expense, by Hydrogen's transaction categories
 * (category, then subcategory). Discretionary spending in the same categories (restaurants,
 * ride shares) is left out on purpose: an emergency fund covers what cannot be cut.
 */
export const ESSENTIAL_CATEGORIES: Record<ExpenseField, [category: string, subcategory: string][]> = {
  housing_cost: [['Home', 'Mortgage & Rent']],
  utility_payments: [
    ['Bills & Utilities', 'Utilities'],
    ['Bills & Utilities', 'Water & Waste'],
  ],
  telecom_payments: [
    ['Bills & Utilities', 'Internet & Cable'],
    ['Bills & Utilities', 'Phone'],
  ],
  food_costs: [['Food & Dining', 'Groceries']],
  transportation_costs: [
    ['Auto & Transport', 'Gas & Fuel'],
    ['Auto & Transport', 'Public Transportation'],
    ['Auto & Transport', 'Parking'],
    ['Auto & Transport', 'Tolls'],
    ['Auto & Transport', 'Service & Parts'],
  ],
  insurance_payments: [
    ['Auto & Transport', 'Auto Insurance'],
    ['Financial', 'Insurance'],
    ['Health & Fitness', 'Health Insurance'],
    ['Home', 'Home Insurance'],
  ],
  debt_payments: [
    ['Auto & Transport', 'Auto Payment'],
    ['Education', 'Student Loan'],
    ['Financial', 'Loan Payment'],
  ],
};

const MONTHS: Partial<Record<ExpenseUnit, number>> = { month: 1, quarter: 3, six_months: 6, year: 12 };
const DAYS: Partial<Record<ExpenseUnit, number>> = { week: 7, two_weeks: 14 };

/** The start of a window of `periods` units ending at `end`, by the calendar for months and years. */
export function windowStart(end: Date, unit: ExpenseUnit, periods: number): Date {
  const months = MONTHS[unit];
  if (months !== undefined) {
    // The same time of day, on the same day of the month or the month's last when it is shorter.
    const text = end.toISOString();
    return new Date(`${addMonths(text.slice(0, 10), -months * periods)}${text.slice(10)}`);
  }
  return new Date(end.getTime() - DAYS[unit]! * periods * 24 * 60 * 60 * 1000);
}

/**
 * A client's essential expenses per period, averaged over the last `periods` units: the
 * debits of the client's held-away accounts in the categories above, leaving out transfers
 * and transactions excluded from analysis.
 */
export async function essentialExpenses(
  reader: EntityReader,
  clientId: string,
  unit: ExpenseUnit,
  periods: number,
  now = new Date(),
): Promise<Record<ExpenseField, Decimal>> {
  const accounts = await reader.rows('aggregation_account', { where: { client_id: clientId } });
  const totals = Object.fromEntries(Object.keys(ESSENTIAL_CATEGORIES).map((field) => [field, ZERO])) as Record<ExpenseField, Decimal>;
  if (accounts.length === 0) return totals;
  const rows = await reader.rows<'aggregation_account_transaction', { amount: string; category: string | null; subcategory: string | null; currency: string }>(
    'aggregation_account_transaction',
    {
      where: { aggregation_account_id: { in: accounts.map((a) => a.id) }, is_transfer: { not: true }, is_excluded_analysis: { not: true } },
      and: (f, p) =>
        `${f.value('transaction_date')} > ${p.add(windowStart(now, unit, periods).toISOString())}::timestamptz
         AND ${f.value('transaction_date')} <= ${p.add(now.toISOString())}::timestamptz
         AND lower(${f.text('bank_credit.transaction_type')}) = 'debit'`,
      columns: (f) =>
        `${f.text('bank_credit.amount')} AS amount, ${f.text('bank_credit.category')} AS category,
         ${f.text('bank_credit.subcategory')} AS subcategory, ${f.text('currency_code')} AS currency`,
    },
  );
  const currencies = [...new Set(rows.map((row) => row.currency))].sort();
  if (currencies.length > 1) {
    throw new CalculationError('client_id', `the client's transactions are in more than one currency (${currencies.join(', ')}) and cannot be averaged together`);
  }
  for (const row of rows) {
    const field = (Object.keys(ESSENTIAL_CATEGORIES) as ExpenseField[]).find((name) =>
      ESSENTIAL_CATEGORIES[name].some(([category, subcategory]) => category === row.category && subcategory === row.subcategory),
    );
    if (field) totals[field] = totals[field].plus((decimalOf(row.amount) ?? ZERO).abs());
  }
  for (const field of Object.keys(totals) as ExpenseField[]) totals[field] = totals[field].dividedBy(periods);
  return totals;
}
