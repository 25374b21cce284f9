import { simulateMonteCarlo, summarise } from '../src/proton/simulation/monte-carlo.ts';
import { NormalSource } from '../src/proton/simulation/random.ts';
import { logParams } from '../src/proton/simulation/returns.ts';
import { type BenchFigure, median, timed } from './figure.ts';

const PATHS = 10_000;
const PERIODS = 40;
const RUNS = 15;

/** The engine: one Float64Array per period across paths, then the 0th…100th percentiles of each period. */
function engine(): number {
  const paths = simulateMonteCarlo({
    n: PATHS,
    seed: 1,
    initialBalance: 100,
    cashFlows: [[10, PERIODS]],
    mu: [0.05],
    sigma: [0.12],
    retMod: [0],
    minBal: [0],
    maxBal: null,
    minSample: null,
    maxSample: null,
  });
  return summarise(paths, 'tens', [], false).series[5][PERIODS];
}

/** The same computation written plainly: a JS array per path, nested loops, a sort per period. */
function nestedLoops(): number {
  const source = new NormalSource(1);
  const shocks = new Float64Array(PATHS * PERIODS);
  source.fillNormals(shocks);
  const { m, s } = logParams(0.05, 0.12);
  const paths: number[][] = [];
  for (let i = 0; i < PATHS; i++) {
    const path = [100];
    for (let t = 0; t < PERIODS; t++) {
      const balance = path[t] * Math.exp(m + s * shocks[i * PERIODS + t]) + 10;
      path.push(Math.max(balance, 0));
    }
    paths.push(path);
  }
  const tens: number[][] = [];
  for (let t = 0; t <= PERIODS; t++) {
    const column = paths.map((path) => path[t]).sort((a, b) => a - b);
    tens.push([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100].map((p) => column[Math.round((p / 100) * (column.length - 1))]));
  }
  return tens[PERIODS][5];
}

export async function simulationBench(): Promise<BenchFigure[]> {
  engine();
  nestedLoops();
  return [
    {
      name: `monte_carlo: ${PATHS} paths × ${PERIODS} periods, tens`,
      ms: timed(engine, RUNS),
      baselineName: 'the same simulation in nested loops over JS arrays',
      baselineMs: timed(nestedLoops, RUNS),
      targetMs: 100,
    },
  ];
}
