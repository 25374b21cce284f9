import { Type } from 'typebox';
import { CalculationError } from '../calculation-error.ts';
import { nucleusIds } from '../request-fields.ts';
import { addDays, addMonths, today } from '../calendar.ts';

/** Request fields the wellness analyses share, typed as the spec types them. */

export const clientId = () => Type.String({ format: 'uuid', description: 'The client whose accounts are analysed; 404 when the caller cannot read it' });

export const householdId = () =>
  Type.String({ format: 'uuid', description: "A household: its members' accounts are analysed together; 404 when the caller cannot read it" });

export function optionalDay(description: string) {
  return Type.Union([Type.String({ format: 'date' }), Type.Null()], { default: null, description });
}

export const currencyCode = () =>
  Type.String({ pattern: '^[A-Z]{3}$', description: 'Only transactions and balances recorded in this ISO 4217 currency are analysed' });

export const currencyConversion = () =>
  Type.String({ pattern: '^[A-Z]{3}$', description: 'Report in this ISO 4217 currency, converting each amount at the stored FX rate of its day' });

export const statusScope = () =>
  Type.Union([Type.Array(Type.String()), Type.Null()], {
    default: null,
    description: 'Only transactions whose status is one of these; every status when null',
  });

export const onlyCleansed = () =>
  Type.Boolean({
    default: false,
    description: 'Only cleansed transactions: portfolio transactions marked is_cleansed, aggregation transactions that carry a bank_credit.category',
  });

export const sourceScope = () =>
  Type.Unsafe<'all' | 'external' | 'internal'>({
    type: 'string',
    enum: ['all', 'external', 'internal'],
    default: 'all',
    description: 'external: transactions of aggregation (held-away) accounts; internal: portfolio transactions of Nucleus accounts; all: both',
  });

export const accountIds = () => ({
  ...nucleusIds('account'),
  description: 'Nucleus accounts whose portfolio transactions are analysed, instead of every account listing the client; each must be readable (404 otherwise)',
});

export const aggregationAccountIds = () => ({
  ...nucleusIds('aggregation_account'),
  description: "Aggregation accounts analysed, instead of every one of the client's; each must be readable (404 otherwise)",
});

/** The first day of the twelve months that end on `end`. */
export function twelveMonthsBefore(end: string): string {
  return addDays(addMonths(end, -12), 1);
}

/** Days an analysis accepts: ample for money records, and safe for calendar arithmetic around them. */
const FIRST_DAY = '1900-01-01';
const LAST_DAY = '2999-12-31';

/** A day from the request, refused with a 400 naming its field when out of range. */
export function checkedDay(field: string, day: string): string {
  if (day < FIRST_DAY || day > LAST_DAY) throw new CalculationError(field, `must be between ${FIRST_DAY} and ${LAST_DAY}`);
  return day;
}

/** A window of days from a request, its end today (UTC) when not given; 400 when it runs backwards. */
export function windowOf(start: string | null | undefined, end: string | null | undefined, defaultStart: (end: string) => string): { start: string; end: string } {
  const last = end ? checkedDay('end_date', end) : today();
  const first = start ? checkedDay('start_date', start) : defaultStart(last);
  if (first > last) throw new CalculationError('start_date', `is after the end date ${last}`);
  return { start: first, end: last };
}

/** An analysis of held money needs someone's accounts to look at. */
export function requireSubject(body: { client_id?: string; household_id?: string; account_ids?: string[] | null; aggregation_account_ids?: string[] | null }): void {
  if (!body.client_id && !body.household_id && !body.account_ids && !body.aggregation_account_ids) {
    throw new CalculationError('client_id', 'name a client_id, a household_id, account_ids or aggregation_account_ids to analyse');
  }
}
