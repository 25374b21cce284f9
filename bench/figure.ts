/**
 * One timed computation beside a baseline measured in the same run, so the figure compares
 * across machines; the target is an absolute time the issue asks for, reported, not asserted.
 */
export interface BenchFigure {
  name: string;
  ms: number;
  baselineName: string;
  baselineMs: number;
  targetMs: number;
}

export function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Median time of `runs` synchronous runs of work. */
export function timed(work: () => unknown, runs: number): number {
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const start = performance.now();
    work();
    times.push(performance.now() - start);
  }
  return median(times);
}

/** Prints the figures as a table; returns how many missed their target. */
export function printFigures(figures: BenchFigure[]): number {
  const nameWidth = Math.max(11, ...figures.map((f) => f.name.length));
  const baselineWidth = Math.max(8, ...figures.map((f) => f.baselineName.length));
  console.log(`${'computation'.padEnd(nameWidth)}       ms   target  ${'baseline'.padEnd(baselineWidth)}       ms    ratio  verdict`);
  let missed = 0;
  for (const figure of figures) {
    const ok = figure.ms <= figure.targetMs;
    if (!ok) missed++;
    const columns = [
      figure.name.padEnd(nameWidth),
      figure.ms.toFixed(1).padStart(8),
      figure.targetMs.toFixed(0).padStart(8),
      ` ${figure.baselineName.padEnd(baselineWidth)}`,
      figure.baselineMs.toFixed(1).padStart(8),
      (figure.ms / figure.baselineMs).toFixed(2).padStart(8),
      ` ${ok ? 'ok' : 'MISSED'}`,
    ];
    console.log(columns.join(' '));
  }
  return missed;
}
