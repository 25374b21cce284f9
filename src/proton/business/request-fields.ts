import { Type } from 'typebox';
import { frequency } from '../request-fields.ts';
import { HISTORY_INTERVALS } from '../calendar.ts';

/** Request fields the business analyses share, so that each means the same on every endpoint. */

const CURRENCY = '^[A-Z]{3}$';

export const currencyCode = () =>
  Type.Optional(Type.String({ pattern: CURRENCY, description: 'ISO 4217 code: only records in this currency are analyzed' }));

export const currencyConversion = () =>
  Type.Optional(
    Type.String({
      pattern: CURRENCY,
      description: 'ISO 4217 code to report in: every amount is converted through the stored FX rates. Without it the records read must share one currency.',
    }),
  );

export const businessId = () => Type.Optional(Type.String({ format: 'uuid', description: 'Id of the Nucleus business whose records are analyzed' }));

export const clientId = () => Type.Optional(Type.String({ format: 'uuid', description: 'Id of the Nucleus client whose records are analyzed' }));

export const startDate = (description: string) => Type.Union([Type.String({ format: 'date' }), Type.Null()], { default: null, description });

export const endDate = (description: string) => Type.Optional(Type.String({ format: 'date', description: `${description}; today (UTC) when absent` }));

export const showHistory = () => Type.Boolean({ default: false, description: 'Add a history: one entry per history_frequency_interval period of the window' });

export const historyInterval = () =>
  frequency(HISTORY_INTERVALS, 'month', 'Length of the history periods: calendar days, ISO weeks (from Monday), months, quarters or years');

export const responseLimit = (what: string) => Type.Integer({ minimum: 1, default: 10, description: `Most ${what} listed` });

const ACCOUNTING_METHODS = ['accrual', 'cash'] as const;
const PERIOD_LENGTHS = ['annual', 'quarterly', 'monthly', 'ytd', 'qtd', 'mtd'] as const;
const PERIOD_TYPES = ['calendar', 'fiscal'] as const;

const enumOf = <const V extends readonly string[]>(values: V, description: string) => Type.Unsafe<V[number]>({ type: 'string', enum: [...values], description });

/** The fields naming which financial statements count: each one given must match the statement's. */
export const statementPeriodFields = () => ({
  period_length: frequency(PERIOD_LENGTHS, 'quarterly', 'Only statements with this period_length are read'),
  period_type: Type.Optional(enumOf(PERIOD_TYPES, 'Only statements with this period_type are read')),
  period_year: Type.Optional(Type.Integer({ description: 'Only statements with this period_year are read' })),
  period_quarter: Type.Optional(Type.Integer({ minimum: 1, maximum: 4, description: 'Only statements with this period_quarter are read' })),
  period_month: Type.Optional(Type.Integer({ minimum: 1, maximum: 12, description: 'Only statements with this period_month are read' })),
});

export const accountingMethod = (description: string) => enumOf(ACCOUNTING_METHODS, description);
