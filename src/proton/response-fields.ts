import { Type, type TSchema } from 'typebox';

/** Field builders for the calculator responses, which Deuterium types precisely. */

export function moneyOut(description: string) {
  return Type.Number({ description: `${description}; money, rounded to the cent` });
}

export function fractionOut(description: string) {
  return Type.Number({ description: `${description}; a fraction (0.05 = 5%), unrounded` });
}

export const ScheduleRow = Type.Object(
  {
    period: Type.Integer({ minimum: 1, description: 'Row number, from 1' }),
    start_balance: moneyOut('Balance at the start of the period'),
    deposits: moneyOut('Paid in during the period'),
    withdrawals: moneyOut('Received by the owner during the period, after tax'),
    earnings: moneyOut('Investment earnings of the period, before tax'),
    taxes: moneyOut('Tax on withdrawals and on earnings in the period'),
    end_balance: moneyOut('Balance at the end of the period: start + deposits - withdrawals + earnings - taxes'),
  },
  { title: 'CalculatorScheduleRow', additionalProperties: false },
);

export function schedule(description: string) {
  return Type.Array(ScheduleRow, { description: `${description}. Each row adds up in cents and opens with the previous row's closing balance.` });
}

/** The request as the calculation used it, defaults filled in. */
export function echo(request: TSchema): TSchema {
  return { ...request, description: 'The request as used, with defaults filled in' } as TSchema;
}
