import { ratio, ZERO, type Decimal } from '../money.ts';
import { RATIOS, type FigureName, type RatioName } from './health-check.schema.ts';

export type Figures = Record<FigureName, Decimal | null>;

const FORMULAS: Record<RatioName, [FigureName, FigureName]> = {
  return_on_equity: ['net_income', 'total_equity'],
  return_on_assets: ['net_income', 'total_assets'],
  debt_to_equity: ['total_liabilities', 'total_equity'],
  profit_margin: ['net_income', 'total_revenue'],
  debt_ratio: ['total_liabilities', 'total_assets'],
  asset_turnover: ['total_revenue', 'total_assets'],
};

/**
 * The ratios and how each compares with its target. A ratio over a denominator that is not
 * positive (negative equity, no revenue) says nothing about health, so it has no value; nor
 * does one over a denominator so near zero that no number holds the quotient.
 */
export function healthRatios(figures: Figures, targets: Record<RatioName, number>) {
  const ratios = Object.fromEntries(
    (Object.keys(FORMULAS) as RatioName[]).map((name) => {
      const [numerator, denominator] = FORMULAS[name].map((figure) => figures[figure]);
      const quotient = numerator && denominator && denominator.gt(ZERO) ? ratio(numerator.div(denominator)) : null;
      const value = quotient !== null && Number.isFinite(quotient) ? quotient : null;
      const target = targets[name];
      const better = RATIOS[name].better;
      const meets = value === null ? null : better === 'higher' ? value >= target : value <= target;
      return [name, { value, target, better, meets_target: meets }];
    }),
  ) as Record<RatioName, { value: number | null; target: number; better: 'higher' | 'lower'; meets_target: boolean | null }>;
  const evaluated = Object.values(ratios).filter((r) => r.value !== null);
  return { ratios, summary: { ratios_evaluated: evaluated.length, targets_met: evaluated.filter((r) => r.meets_target).length } };
}
