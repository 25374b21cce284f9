import type { Decimal } from '../money.ts';

/** The figures the ratios are made of; null when neither given nor found. */
export interface HealthFigures {
  liquid_assets: Decimal | null;
  non_liquid_assets: Decimal | null;
  total_liabilities: Decimal | null;
  short_term_liabilities: Decimal | null;
  monthly_expenses: Decimal | null;
  net_monthly_income: Decimal | null;
  gross_annual_income: Decimal | null;
}

export const RATIO_NAMES = [
  'liquidity_ratio_expenses',
  'liquidity_ratio_liabilities',
  'current_ratio',
  'asset_allocation_ratio',
  'savings_ratio_gross',
  'savings_ratio_net',
] as const;
export type RatioName = (typeof RATIO_NAMES)[number];

/** Every figure present. */
type Known = { [K in keyof HealthFigures]: Decimal };

/** Numerator and denominator of each ratio, from the figures it needs. */
const PARTS: Record<RatioName, { needs: (keyof HealthFigures)[]; parts: (f: Known) => [Decimal, Decimal] }> = {
  liquidity_ratio_expenses: { needs: ['liquid_assets', 'monthly_expenses'], parts: (f) => [f.liquid_assets, f.monthly_expenses] },
  liquidity_ratio_liabilities: { needs: ['liquid_assets', 'total_liabilities'], parts: (f) => [f.liquid_assets, f.total_liabilities] },
  current_ratio: { needs: ['liquid_assets', 'short_term_liabilities'], parts: (f) => [f.liquid_assets, f.short_term_liabilities] },
  asset_allocation_ratio: {
    needs: ['liquid_assets', 'non_liquid_assets', 'total_liabilities'],
    parts: (f) => [f.liquid_assets.plus(f.non_liquid_assets), f.total_liabilities],
  },
  savings_ratio_gross: {
    needs: ['net_monthly_income', 'monthly_expenses', 'gross_annual_income'],
    parts: (f) => [f.net_monthly_income.minus(f.monthly_expenses).times(12), f.gross_annual_income],
  },
  savings_ratio_net: { needs: ['net_monthly_income', 'monthly_expenses'], parts: (f) => [f.net_monthly_income.minus(f.monthly_expenses), f.net_monthly_income] },
};

export interface RatioOutcome {
  value: Decimal | null;
  /** Whether the ratio reaches its target; null when it cannot be computed. */
  passed: boolean | null;
}

/** A ratio passes when it is at least its target; a zero denominator leaves it uncomputed. */
export function healthRatio(name: RatioName, figures: HealthFigures, target: number): RatioOutcome {
  const ratio = PARTS[name];
  if (ratio.needs.some((figure) => figures[figure] === null)) return { value: null, passed: null };
  const [numerator, denominator] = ratio.parts(figures as Known);
  if (denominator.isZero()) return { value: null, passed: null };
  const value = numerator.div(denominator);
  return { value, passed: value.gte(target) };
}
