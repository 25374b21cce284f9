import { CalculationError } from '../calculation-error.ts';
import { lastPerPeriod } from '../../platform/calendar/periods.ts';
import { mean } from '../market/statistics.ts';
import * as stats from './performance-stats.ts';
import { commonReturns, timeWeightedReturns, type ValuePoint } from './value-series.ts';
import type { StatName } from './performance.schema.ts';

export interface PerformanceSettings {
  stat_name: StatName;
  period_type: stats.PeriodCode;
  annualized_return_period: stats.PeriodCode;
  active_premium_period: stats.PeriodCode;
  risk_free_sharpe: number;
  risk_free_sortino: number;
  risk_free_alpha: number;
  risk_free_treynor: number;
  mar_downside_deviation: number;
  var_conf_interval: number;
  n_day_returns: number;
  n_rolling_volatility: number;
  n_rolling_max_drawdown: number;
  moving_average_n_day: number;
}

export const BENCHMARK_STATS: ReadonlySet<StatName> = new Set(['alpha', 'beta', 'treynor_ratio', 'correlation', 'tracking_error', 'information_ratio', 'active_premium']);

export interface PerformanceResult {
  start_date: string;
  end_date: string;
  periods: number;
  value?: number | null;
  series?: { date: string; value: number }[];
}

/** The last value of each period (cash flows of the period added up), as the views bucket series. */
function byPeriod(points: readonly ValuePoint[], code: stats.PeriodCode): ValuePoint[] {
  return lastPerPeriod([...points], code, (kept, period) => ({ ...kept, cashFlow: period.reduce((sum, p) => sum + p.cashFlow, 0) }));
}

function needWindow(n: number, available: number, field: string): void {
  if (n > available) throw new CalculationError(field, `asks for windows of ${n} but only ${available} are available`);
}

/** One statistic of a value series, and of a benchmark's where the statistic compares with one. */
export function performance(points: readonly ValuePoint[], benchmark: readonly ValuePoint[] | undefined, s: PerformanceSettings, field: string): PerformanceResult {
  const code = s.stat_name === 'ann_return' ? s.annualized_return_period : s.stat_name === 'active_premium' ? s.active_premium_period : s.period_type;
  const P = stats.PERIODS_PER_YEAR_BY_CODE[code];
  const periodic = byPeriod(points, code);
  const frame = (dates: readonly string[], periods: number) => ({ start_date: periodic[0].date, end_date: dates[dates.length - 1], periods });

  if (BENCHMARK_STATS.has(s.stat_name)) {
    if (!benchmark) throw new CalculationError('benchmark_id', `is needed for ${s.stat_name}`);
    const both = commonReturns(periodic, byPeriod(benchmark, code), 'benchmark_id');
    const [r, b] = [both.a, both.b];
    const value = (() => {
      switch (s.stat_name) {
        case 'alpha':
          return stats.jensenAlpha(r, b, s.risk_free_alpha, P);
        case 'beta':
          return stats.beta(r, b);
        case 'treynor_ratio':
          return stats.treynorRatio(r, b, s.risk_free_treynor, P);
        case 'correlation':
          return stats.correlation(r, b);
        case 'tracking_error':
          return stats.trackingError(r, b, P);
        case 'information_ratio':
          return stats.informationRatio(r, b, P);
        default:
          return stats.annualisedReturn(r, P) - stats.annualisedReturn(b, P);
      }
    })();
    return { ...frame(both.dates, both.dates.length), value };
  }

  if (s.stat_name === 'mwr') {
    if (periodic.length < 2) throw new CalculationError(field, 'has fewer than two values in the window');
    return { ...frame([periodic[periodic.length - 1].date], periodic.length - 1), value: stats.moneyWeightedReturn(periodic) };
  }
  if (s.stat_name === 'moving_avg_n_day') {
    needWindow(s.moving_average_n_day, periodic.length, 'moving_average_n_day');
    const values = periodic.map((p) => p.value);
    const series = periodic.slice(s.moving_average_n_day - 1).map((p, k) => ({ date: p.date, value: mean(values.slice(k, k + s.moving_average_n_day)) }));
    return { ...frame([periodic[periodic.length - 1].date], periodic.length - 1), series };
  }

  const { dates, returns } = timeWeightedReturns(periodic, field);
  const result = frame(dates, returns.length);
  switch (s.stat_name) {
    case 'cum_return':
      return { ...result, value: stats.cumulativeReturn(returns) };
    case 'ann_return':
      return { ...result, value: stats.annualisedReturn(returns, P) };
    case 'period_returns':
      return { ...result, series: dates.map((date, t) => ({ date, value: returns[t] })) };
    case 'ann_vol':
      return { ...result, value: stats.annualisedVolatility(returns, P) };
    case 'downside_deviation':
      return { ...result, value: stats.downsideDeviation(returns, s.mar_downside_deviation, P) };
    case 'sharpe_ratio':
      return { ...result, value: stats.sharpeRatio(returns, s.risk_free_sharpe, P) };
    case 'sortino_ratio':
      return { ...result, value: stats.sortinoRatio(returns, s.risk_free_sortino, P) };
    case 'max_drawdown':
      return { ...result, value: stats.maxDrawdown(returns) };
    case 'hist_var':
      return { ...result, value: stats.historicalValueAtRisk(returns, s.var_conf_interval) };
    case 'rolling_n_day_return':
      needWindow(s.n_day_returns, returns.length, 'n_day_returns');
      return { ...result, series: stats.rolling(dates, returns, s.n_day_returns, stats.cumulativeReturn) };
    case 'rolling_n_day_vol':
      needWindow(s.n_rolling_volatility, returns.length, 'n_rolling_volatility');
      return { ...result, series: stats.rolling(dates, returns, s.n_rolling_volatility, (w) => stats.annualisedVolatility(w, P)) };
    default:
      needWindow(s.n_rolling_max_drawdown, returns.length, 'n_rolling_max_drawdown');
      return { ...result, series: stats.rolling(dates, returns, s.n_rolling_max_drawdown, stats.maxDrawdown) };
  }
}
