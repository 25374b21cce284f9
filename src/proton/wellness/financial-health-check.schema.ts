import { Type } from 'typebox';
import { defaultsOptional } from '../request-fields.ts';
import { fractionOut, moneyOut } from '../response-fields.ts';
import { RATIO_NAMES } from './health-ratios.ts';
import { clientId } from './wellness-fields.ts';

const target = (description: string, defaultValue: number) => Type.Number({ minimum: 0, default: defaultValue, description: `Lowest value that passes: ${description}` });

const RatioTargets = Type.Object(
  {
    liquidity_ratio_expenses: target('months of expenses the liquid assets cover', 2.5),
    liquidity_ratio_liabilities: target('liquid assets per unit of total liabilities', 0.1),
    current_ratio: target('liquid assets per unit of short-term liabilities', 0.5),
    asset_allocation_ratio: target('total assets per unit of total liabilities', 1.5),
    savings_ratio_gross: target('part of gross income saved', 0.1),
    savings_ratio_net: target('part of net income saved', 0.1),
  },
  { additionalProperties: false, title: 'RatioTargets' },
);
const DEFAULT_TARGETS = Object.fromEntries(Object.entries(RatioTargets.properties).map(([name, schema]) => [name, (schema as { default?: number }).default]));

const figure = (description: string) =>
  Type.Union([Type.Number({ minimum: 0 }), Type.Null()], { default: null, description: `${description}; when null, found from client_id's Nucleus records (see docs/proton-wellness.md)` });

export const FinancialHealthCheckRequest = defaultsOptional(
  Type.Object(
    {
      client_id: Type.Optional(clientId()),
      ratio_targets: { ...RatioTargets, default: DEFAULT_TARGETS, description: 'Targets; each one left out keeps its default' } as typeof RatioTargets,
      liquid_assets: figure('Cash and assets that can be spent at once'),
      non_liquid_assets: figure('Every other asset'),
      total_liabilities: figure('Everything owed'),
      short_term_liabilities: figure('What is owed within the year: revolving credit such as credit cards'),
      gross_annual_income: figure('Income of a year before tax'),
      net_monthly_income: figure('Income of a month after tax'),
      monthly_expenses: figure('Spending of a month'),
      lookback_periods: Type.Integer({
        minimum: 1,
        // Bounded so that the months looked back stay within the calendar.
        maximum: 1200,
        default: 3,
        description: 'Whole calendar months before the current one averaged for net_monthly_income and monthly_expenses when they are null',
      }),
    },
    {
      additionalProperties: false,
      examples: [
        { liquid_assets: 12000, non_liquid_assets: 150000, total_liabilities: 90000, short_term_liabilities: 2500, gross_annual_income: 85000, net_monthly_income: 5200, monthly_expenses: 3900 },
      ],
    },
  ),
);

const Ratio = Type.Object(
  {
    value: Type.Union([fractionOut('The ratio'), Type.Null()], { description: 'The ratio, unrounded; null when a figure it needs is missing or its denominator is zero' }),
    target: Type.Number({ description: 'The target it was held against' }),
    passed: Type.Union([Type.Boolean(), Type.Null()], { description: 'value >= target; null when value is null' }),
  },
  { additionalProperties: false, title: 'HealthRatio' },
);

const Figure = Type.Object(
  {
    value: Type.Union([moneyOut('The figure'), Type.Null()], { description: 'The figure used, rounded to the cent; null when neither given nor found' }),
    source: Type.Unsafe<'request' | 'nucleus' | 'missing'>({ type: 'string', enum: ['request', 'nucleus', 'missing'], description: 'Where the figure came from' }),
  },
  { additionalProperties: false, title: 'HealthFigure' },
);

export const FinancialHealthCheckResponse = Type.Object(
  {
    currency_code: Type.Union([Type.String(), Type.Null()], { description: "Currency of the figures found in Nucleus; null when every figure was given or none records one" }),
    ratios: Type.Object(Object.fromEntries(RATIO_NAMES.map((name) => [name, Ratio])), { additionalProperties: false }),
    ratios_computed: Type.Integer({ minimum: 0, description: 'Ratios with a value' }),
    ratios_passed: Type.Integer({ minimum: 0, description: 'Ratios that reach their target' }),
    figures: Type.Object(
      Object.fromEntries(
        ['liquid_assets', 'non_liquid_assets', 'total_liabilities', 'short_term_liabilities', 'gross_annual_income', 'net_monthly_income', 'monthly_expenses'].map((name) => [name, Figure]),
      ),
      { additionalProperties: false, description: 'The figures the ratios were computed from' },
    ),
  },
  { additionalProperties: false, title: 'FinancialHealthCheck' },
);
