import { meanAndCovariance } from '../src/proton/market/statistics.ts';
import type { AssetReturns } from '../src/proton/market/market-data.ts';
import { optimise } from '../src/proton/portfolio/mvo.ts';
import { type BenchFigure, median, timed } from './figure.ts';

const ASSETS = 100;
const DAYS = 500;
const RUNS = 9;

/** Daily returns of 100 assets driven by one market factor and their own noise, reproducibly. */
function syntheticReturns(): AssetReturns {
  let state = 42;
  const uniform = () => ((state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31) - 0.5;
  const market = Array.from({ length: DAYS }, () => 0.02 * uniform());
  const returns = Array.from({ length: ASSETS }, (_, a) => {
    const beta = 0.5 + a / ASSETS;
    return Float64Array.from(market, (m) => 0.0002 + (a % 7) * 0.00005 + beta * m + 0.015 * uniform());
  });
  return { tickers: returns.map((_, a) => `A${a}`), dates: market.map((_, t) => String(t)), returns };
}

/** The mvo computation without I/O: annual moments, the target-return optimum and the 10-point frontier. */
function mvo(returns: AssetReturns): number {
  const { mean, covariance } = meanAndCovariance(returns);
  const problem = {
    mean: mean.map((m) => m * 252),
    covariance: covariance.map((row) => row.map((c) => c * 252)),
    limits: { lower: Array(ASSETS).fill(0), upper: Array(ASSETS).fill(0.1), caps: [] },
  };
  return optimise(problem, 10, { type: 'return', value: 0.08, field: 'tgt_val' }, '').optimal.risk;
}

/** The covariance matrix alone, in plain nested loops over JS arrays: the cheapest part of mvo, done naively. */
function plainCovariance(returns: AssetReturns): number {
  const rows = returns.returns.map((r) => Array.from(r));
  const means = rows.map((r) => r.reduce((a, b) => a + b, 0) / r.length);
  const cov: number[][] = [];
  for (let i = 0; i < rows.length; i++) {
    cov.push([]);
    for (let j = 0; j < rows.length; j++) {
      let sum = 0;
      for (let t = 0; t < rows[i].length; t++) sum += (rows[i][t] - means[i]) * (rows[j][t] - means[j]);
      cov[i].push(sum / (rows[i].length - 1));
    }
  }
  return cov[0][0];
}

export async function portfolioBench(): Promise<BenchFigure[]> {
  const returns = syntheticReturns();
  return [
    {
      name: 'mvo: 100 assets, 500 days, target return and 10-point frontier',
      ms: timed(() => mvo(returns), RUNS),
      baselineName: 'plain-loop covariance of the same returns',
      baselineMs: timed(() => plainCovariance(returns), RUNS),
      targetMs: 200,
    },
  ];
}
