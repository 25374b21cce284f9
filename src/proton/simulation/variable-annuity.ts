import { NormalSource } from './random.ts';
import { logParams } from './returns.ts';
import type { GoalFlows } from './goal-plan.ts';

/** A band on the sub-account's return over steps from..to (1-based, inclusive), as rates per step. */
export interface RateBand {
  from: number;
  to: number;
  floor: number;
  cap: number;
}

export interface AnnuityRun {
  n: number;
  seed: number;
  /** Steps before annuitization, and steps of payout. */
  accumulation: number;
  decumulation: number;
  /** Mean and deviation of the sub-account's return per step. */
  periodMean: number;
  periodRisk: number;
  initialBalance: number;
  /** Deposits credited at the end of accumulation steps. */
  flows: GoalFlows;
  bands: RateBand[];
  /** Guaranteed minimum accumulation benefit: the balance at annuitization is at least this. */
  guaranteedBalance: number;
  /** The assumed interest rate of the payout, per step. */
  assumedRate: number;
  /** Steps a year, and the annual inflation that deflates payments to today's money. */
  perYear: number;
  inflation: number;
}

export interface AnnuityStep {
  step: number;
  balances: Float64Array;
  /** Payments of the step, before tax (zero during accumulation). */
  payments: Float64Array;
}

export interface AnnuityPaths {
  /** Balance at annuitization, after the accumulation benefit. */
  annuitized: Float64Array;
  /** 1 where the accumulation benefit raised the balance. */
  toppedUp: Uint8Array;
  /** Sum of each path's payments before tax, nominal and discounted by inflation to today. */
  totalPayments: Float64Array;
  realPayments: Float64Array;
}

/** ä: the value today of 1 paid at the start of each of `count` steps, at rate j a step. */
export function annuityDue(count: number, j: number): number {
  if (j === 0) return count;
  return ((1 - (1 + j) ** -count) / j) * (1 + j);
}

/**
 * A variable annuity, vectorised across paths.
 *
 * Accumulation: each step the sub-account earns a log-normal return, held within the rate
 * bands that cover the step, then the step's deposits are credited. At annuitization the
 * balance is raised to the guaranteed accumulation benefit if it fell short.
 *
 * Payout: the balance buys annuity units at the assumed interest rate j (annuitization_rate).
 * The first payment is B / ä(D, j), paid at the start of the first payout step; each later
 * payment is the previous one times (1 + R) / (1 + j), R the sub-account's return in between.
 * The units left are worth exactly the payments still due at j, so the balance after the last
 * payment is nil whatever the returns were.
 */
export function runAnnuity(run: AnnuityRun, onStep?: (step: AnnuityStep) => void): AnnuityPaths {
  const { n } = run;
  const source = new NormalSource(run.seed);
  const shocks = new Float64Array(n);
  const balances = new Float64Array(n).fill(run.initialBalance);
  const payments = new Float64Array(n);
  const annuitized = new Float64Array(n);
  const toppedUp = new Uint8Array(n);
  const totalPayments = new Float64Array(n);
  const realPayments = new Float64Array(n);
  const lastReturns = new Float64Array(n);
  const none = new Float64Array(n);
  const { m, s, growth } = logParams(run.periodMean, run.periodRisk);
  const steps = run.accumulation + run.decumulation;
  const factor = annuityDue(run.decumulation, run.assumedRate);
  if (run.accumulation === 0) settle(run, balances, annuitized, toppedUp);
  onStep?.({ step: 0, balances, payments: none });
  for (let j = 1; j <= steps; j++) {
    let floor = Number.NEGATIVE_INFINITY;
    let cap = Number.POSITIVE_INFINITY;
    for (const band of run.bands) {
      if (j < band.from || j > band.to) continue;
      floor = Math.max(floor, band.floor);
      cap = Math.min(cap, band.cap);
    }
    if (s > 0) source.fillNormals(shocks);
    const paying = j > run.accumulation;
    const deposit = paying ? 0 : run.flows.deposits[j] ?? 0;
    const deflate = paying ? (1 + run.inflation) ** ((j - 1) / run.perYear) : 1;
    for (let i = 0; i < n; i++) {
      let r = (s > 0 ? Math.exp(m + s * shocks[i]) : growth) - 1;
      if (r < floor) r = floor;
      if (r > cap) r = cap;
      if (!paying) {
        balances[i] = balances[i] * (1 + r) + deposit;
        continue;
      }
      const due = j === run.accumulation + 1 ? balances[i] / factor : (payments[i] * (1 + lastReturns[i])) / (1 + run.assumedRate);
      payments[i] = due;
      totalPayments[i] += due;
      realPayments[i] += due / deflate;
      balances[i] = (balances[i] - due) * (1 + r);
      lastReturns[i] = r;
    }
    if (j === run.accumulation) settle(run, balances, annuitized, toppedUp);
    onStep?.({ step: j, balances, payments: paying ? payments : none });
  }
  return { annuitized, toppedUp, totalPayments, realPayments };
}

function settle(run: AnnuityRun, balances: Float64Array, annuitized: Float64Array, toppedUp: Uint8Array): void {
  for (let i = 0; i < balances.length; i++) {
    if (balances[i] < run.guaranteedBalance) {
      balances[i] = run.guaranteedBalance;
      toppedUp[i] = 1;
    }
    annuitized[i] = balances[i];
  }
}
