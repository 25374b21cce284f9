import { Type } from 'typebox';
import { plain, type JsonSchema } from '../../platform/entity/schemas.ts';

const money = (description: string) => Type.Number({ description: `${description}; rounded to the cent` });

export const AvailableDateDoubleVO = Type.Object(
  {
    date: Type.String({ format: 'date', description: 'The day the values are for' }),
    value: money('Total value on the day: each portfolio at its last known value'),
    cash_flow: money('Net cash flow on the day, or over the period with sort_type'),
    additions: money('Net cash flow from the first date returned up to this one'),
    value_available: Type.Optional(money('Part of the value available, where portfolios record it')),
    value_pending: Type.Optional(money('Part of the value pending, where portfolios record it')),
    currency_code: Type.Optional(Type.String({ description: 'Currency of the amounts: currency_conversion, or the portfolios\' own' })),
  },
  { title: 'AvailableDateDoubleVO', additionalProperties: false },
);

export const DateDoubleVO = Type.Object(
  {
    date: Type.String({ format: 'date', description: 'The day the value is for' }),
    value: Type.Number({ description: 'Value on the day, rounded to the cent' }),
  },
  { title: 'DateDoubleVO', additionalProperties: false },
);

export const PortfolioHoldingAgg = Type.Object(
  {
    date: Type.String({ format: 'date', description: 'The day the holding is as of' }),
    security_id: Type.String({ format: 'uuid' }),
    shares: Type.Number({ description: 'Shares held across the portfolios' }),
    amount: Type.Optional(money('Value of the shares: the recorded amounts, or shares times the latest price')),
    cost_basis: Type.Optional(money('Cost basis, where recorded')),
    weight: Type.Optional(Type.Number({ description: "Percent of the day's total amount" })),
    currency_code: Type.Optional(Type.String({ description: 'Currency of the amounts' })),
  },
  { title: 'PortfolioHoldingAgg', additionalProperties: false },
);

export const ModelHoldingVO = Type.Object(
  {
    date: Type.String({ format: 'date', description: 'The day the weights are as of' }),
    security_id: Type.String({ format: 'uuid' }),
    current_weight: Type.Number({ description: "Percent of the allocation: the security's current weight in each model times the model's" }),
    strategic_weight: Type.Number({ description: 'The same with strategic weights' }),
  },
  { title: 'ModelHoldingVO', additionalProperties: false },
);

/** A TypeBox schema as the plain JSON Schema the list compilers read. */
export function recordSchema(schema: object): JsonSchema {
  return plain(schema) as JsonSchema;
}
