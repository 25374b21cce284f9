import { Type } from 'typebox';
import { defaultsOptional } from '../request-fields.ts';
import { accountingMethod, businessId, clientId, currencyCode, currencyConversion, statementPeriodFields } from './request-fields.ts';
import { count, nullableDay, nullableMoney, nullableNumber, reportCurrencyOut } from './response-fields.ts';

/** Each ratio, its default target and whether a healthy business sits above or below the target. */
export const RATIOS = {
  return_on_equity: { target: 0.15, better: 'higher' },
  return_on_assets: { target: 0.05, better: 'higher' },
  debt_to_equity: { target: 1.5, better: 'lower' },
  profit_margin: { target: 0.1, better: 'higher' },
  debt_ratio: { target: 0.5, better: 'lower' },
  asset_turnover: { target: 1, better: 'higher' },
} as const;
export type RatioName = keyof typeof RATIOS;
const RATIO_NAMES = Object.keys(RATIOS) as RatioName[];

export const FIGURES = ['total_assets', 'total_liabilities', 'total_equity', 'total_revenue', 'net_income'] as const;
export type FigureName = (typeof FIGURES)[number];

const RATIO_MEANINGS: Record<RatioName, string> = {
  return_on_equity: 'net_income / total_equity',
  return_on_assets: 'net_income / total_assets',
  debt_to_equity: 'total_liabilities / total_equity',
  profit_margin: 'net_income / total_revenue',
  debt_ratio: 'total_liabilities / total_assets',
  asset_turnover: 'total_revenue / total_assets',
};

const figure = (description: string, minimum: boolean) =>
  Type.Union([Type.Number(minimum ? { minimum: 0 } : {}), Type.Null()], {
    default: null,
    description: `${description}; used as given. Null to read it from the latest matching financial statement reporting it.`,
  });

const RatioTargets = Type.Object(
  Object.fromEntries(
    RATIO_NAMES.map((name) => [
      name,
      Type.Number({
        minimum: 0,
        default: RATIOS[name].target,
        description: `Target for ${RATIO_MEANINGS[name]}; the ratio meets it when ${RATIOS[name].better === 'higher' ? 'at or above' : 'at or below'} it`,
      }),
    ]),
  ) as Record<RatioName, ReturnType<typeof Type.Number>>,
  { additionalProperties: false, title: 'BusinessRatioTargets' },
);

export const HealthCheckRequest = defaultsOptional(
  Type.Object(
    {
      business_id: businessId(),
      client_id: clientId(),
      total_assets: figure('Total assets', true),
      total_liabilities: figure('Total liabilities', true),
      total_equity: figure('Total equity', true),
      total_revenue: figure('Total revenue', true),
      net_income: figure('Net income (negative for a loss)', false),
      ratio_targets: { ...RatioTargets, default: Object.fromEntries(RATIO_NAMES.map((name) => [name, RATIOS[name].target])) } as typeof RatioTargets,
      accounting_method: Type.Optional(accountingMethod('Only statements kept by this accounting method are read')),
      ...statementPeriodFields(),
      currency_code: currencyCode(),
      currency_conversion: currencyConversion(),
    },
    { additionalProperties: false },
  ),
);

const Figure = Type.Object(
  {
    value: nullableMoney('The figure; null when neither the request nor a statement gives it'),
    source: Type.Union([Type.Literal('request'), Type.Literal('statement'), Type.Null()], { description: 'Where the value came from' }),
    statement_id: Type.Union([Type.String({ format: 'uuid' }), Type.Null()], { description: 'The statement it was read from' }),
    statement_date: nullableDay("That statement's statement_date"),
  },
  { additionalProperties: false, title: 'BusinessHealthFigure' },
);

const Ratio = (name: RatioName) =>
  Type.Object(
    {
      value: nullableNumber(`${RATIO_MEANINGS[name]}; null when a figure is missing, the denominator is not positive or the quotient is too large for a number`),
      target: Type.Number({ description: 'The target it is compared with' }),
      better: Type.Literal(RATIOS[name].better, { description: 'Which side of the target is healthy' }),
      meets_target: Type.Union([Type.Boolean(), Type.Null()], { description: 'Whether the value is on the healthy side of the target (equal counts); null without a value' }),
    },
    { additionalProperties: false, title: `BusinessRatio_${name}` },
  );

export const HealthCheckResponse = Type.Object(
  {
    currency_code: reportCurrencyOut(),
    figures: Type.Object(Object.fromEntries(FIGURES.map((name) => [name, Figure])) as Record<FigureName, typeof Figure>, {
      additionalProperties: false,
      description: 'The figures the ratios are computed from',
    }),
    ratios: Type.Object(Object.fromEntries(RATIO_NAMES.map((name) => [name, Ratio(name)])) as Record<RatioName, ReturnType<typeof Ratio>>, {
      additionalProperties: false,
      description: 'Each ratio, with its target',
    }),
    summary: Type.Object(
      {
        ratios_evaluated: count('Ratios with a value'),
        targets_met: count('Of them, those meeting their target'),
      },
      { additionalProperties: false, title: 'BusinessHealthSummary' },
    ),
  },
  { additionalProperties: false },
);
