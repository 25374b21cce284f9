import { Type } from 'typebox';
import { defaultsOptional } from '../request-fields.ts';
import { fractionOut } from '../response-fields.ts';
import { MARKET_FREQUENCIES, createLogField, nullableDate, portfolioSourceFields } from './portfolio-fields.ts';

const SensitivityFactor = Type.Object(
  {
    ticker: Type.String({ minLength: 1, description: 'The factor: a security whose stored prices track it (an index, a rate, a commodity)' }),
    change_amount: Type.Number({ minimum: -1, description: 'The move of the factor, as a fraction (−0.2 = a 20% fall)' }),
    change_duration: Type.Integer({ minimum: 1, description: 'Periods of frequency_interval over which the move happens' }),
    lag: Type.Integer({ minimum: 0, default: 0, description: 'Periods after a factor move that the portfolio responds' }),
  },
  { additionalProperties: false, title: 'SensitivityFactor' },
);

function analysisFields() {
  return {
    ...portfolioSourceFields(),
    frequency_interval: Type.Union(MARKET_FREQUENCIES.map((f) => Type.Literal(f)), { description: 'Period of the returns regressed and of change_duration and lag' }),
    trading_days_per_year: Type.Integer({ minimum: 1, maximum: 365, default: 252, description: 'Daily periods in a year, for annualising residual_risk with daily returns' }),
    start_date: nullableDate('First day of prices used'),
    end_date: nullableDate('Last day of prices used'),
    create_log: createLogField(),
  };
}

export const SensitivityRequest = defaultsOptional(
  Type.Object({ ...analysisFields(), sensitivity_factor: SensitivityFactor }, { additionalProperties: false }),
);

export const ScenarioRequest = defaultsOptional(
  Type.Object({ ...analysisFields(), scenario: Type.Array(SensitivityFactor, { minItems: 1, description: 'Factor moves that happen together' }) }, { additionalProperties: false }),
);

const fitFields = {
  intercept: fractionOut('α: the portfolio return per period the factors do not explain on average'),
  r_squared: Type.Number({ maximum: 1, description: 'Share of the variance of the portfolio returns the regression explains' }),
  residual_risk: fractionOut('Annualised standard deviation of the regression residuals'),
  observations: Type.Integer({ minimum: 1, description: 'Periods regressed' }),
  start_date: Type.String({ format: 'date', description: 'First day whose return was used' }),
  end_date: Type.String({ format: 'date', description: 'Last day whose return was used' }),
  portfolio_change: fractionOut('Expected change of the portfolio value over the move (compounded; the intercept is left out, so no move means no change)'),
};

const FactorEffect = Type.Object(
  {
    ticker: Type.String(),
    beta: Type.Number({ description: "β: the portfolio's return per unit of the factor's return in the same period (after lag)" }),
    change_amount: Type.Number(),
    change_duration: Type.Integer(),
    lag: Type.Integer(),
    portfolio_change: fractionOut('Expected change of the portfolio value from this factor move alone'),
  },
  { additionalProperties: false, title: 'FactorEffect' },
);

export const SensitivityResponse = Type.Object({ ...fitFields, factor: FactorEffect }, { additionalProperties: false });
export const ScenarioResponse = Type.Object({ ...fitFields, factors: Type.Array(FactorEffect, { description: 'Each factor in the order of scenario' }) }, { additionalProperties: false });
