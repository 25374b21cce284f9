import { Type } from 'typebox';
import { moneyOut } from '../response-fields.ts';

/** Response fields the business analyses share. */

export const day = (description: string) => Type.String({ format: 'date', description });

export const nullableDay = (description: string) => Type.Union([Type.String({ format: 'date' }), Type.Null()], { description });

export const reportCurrencyOut = () =>
  Type.Union([Type.String(), Type.Null()], {
    description: 'Currency of every amount: currency_conversion when given, else the one currency of the records read (null when none was read and no currency was named)',
  });

export const nullableMoney = (description: string) => Type.Union([moneyOut(description), Type.Null()]);

export const nullableNumber = (description: string) => Type.Union([Type.Number({ description }), Type.Null()]);

export const count = (description: string) => Type.Integer({ minimum: 0, description });

export const periodBounds = {
  period_start: day('First day of the period'),
  period_end: day('Last day of the period'),
};
