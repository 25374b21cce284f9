import { CalculationError } from '../calculation-error.ts';
import { Decimal, ONE, dec } from '../money.ts';

/**
 * The deterministic side of a goal: when deposits are credited and withdrawals taken, on the
 * grid of horizon periods the simulation steps through.
 *
 * Reference points, in horizon periods: a_start = 0 (today), a_end = the end of accumulation,
 * d_end = the end of decumulation. A stream runs from its start reference plus its start
 * period to its end reference plus its end period.
 */
export type Reference = 'a_start' | 'a_end' | 'd_end';

export interface FlowStream {
  amount: number;
  perYear: number;
  /** Annual growth of the amount, stepped once a year from today (amounts are in today's money). */
  inflation: number;
  start: Reference;
  startPeriod: number;
  end: Reference;
  endPeriod: number;
}

export interface GoalPlanInput {
  /** Horizon periods in a year. */
  perYear: number;
  accumulation: number;
  decumulation: number;
  deposits: FlowStream[];
  withdrawals: FlowStream[];
  withdrawalTax: number;
  /** Annual rate at which a payment is carried from its date to the step edge it is booked at; null to book it as it is. */
  compoundingRate: number | null;
}

export interface GoalFlows {
  steps: number;
  /** deposits[j]: credited at the end of step j (1 ≤ j ≤ steps). */
  deposits: Float64Array;
  /** withdrawals[j]: taken, gross of tax, at the start of step j. */
  withdrawals: Float64Array;
  /** The withdrawals the owner asked to receive, after tax, undiscounted. */
  totalWithdrawals: number;
  totalDeposits: number;
}

// Times are compared in years; a payment this close to a step edge is on it.
const EPS = 1e-9;

function referencePeriod(plan: GoalPlanInput, reference: Reference): number {
  return reference === 'a_start' ? 0 : reference === 'a_end' ? plan.accumulation : plan.accumulation + plan.decumulation;
}

function window(plan: GoalPlanInput, stream: FlowStream): { from: number; to: number } {
  const from = (referencePeriod(plan, stream.start) + stream.startPeriod) / plan.perYear;
  const to = (referencePeriod(plan, stream.end) + stream.endPeriod) / plan.perYear;
  return { from, to };
}

class GrowthCache {
  private readonly cache = new Map<number, Decimal>();
  constructor(private readonly rate: Decimal) {}
  at(years: number): Decimal {
    let value = this.cache.get(years);
    if (value === undefined) this.cache.set(years, (value = ONE.plus(this.rate).pow(years)));
    return value;
  }
}

/**
 * Deposits are made at the end of each of their periods, k = 1, 2, … within (from, to], and
 * credited at the end of the horizon period that contains them; withdrawals are taken at the
 * start of each of their periods, k = 0, 1, … within [from, to), from the horizon period that
 * contains them. Payments outside today … d_end are left out.
 */
export function goalFlows(plan: GoalPlanInput): GoalFlows {
  const steps = plan.accumulation + plan.decumulation;
  const h = plan.perYear;
  if (plan.withdrawalTax >= 1 && plan.withdrawals.some((w) => w.amount > 0)) throw new CalculationError('withdrawal_tax', 'must be below 1 when there are withdrawals');
  const deposits = Array.from({ length: steps + 1 }, () => new Decimal(0));
  const withdrawals = Array.from({ length: steps + 1 }, () => new Decimal(0));
  const carry = plan.compoundingRate === null ? null : new Decimal(plan.compoundingRate);
  const grossUp = ONE.minus(plan.withdrawalTax);
  let totalDeposits = new Decimal(0);
  let totalWithdrawals = new Decimal(0);
  for (const stream of plan.deposits) {
    const { from, to } = window(plan, stream);
    const inflation = new GrowthCache(dec(stream.inflation));
    const count = Math.floor((to - from) * stream.perYear + EPS);
    for (let k = 1; k <= count; k++) {
      const at = from + k / stream.perYear;
      if (at <= EPS) continue;
      const step = Math.ceil(at * h - EPS);
      if (step > steps) break;
      let amount = dec(stream.amount).times(inflation.at(Math.max(0, Math.floor(at - 1 / stream.perYear + EPS))));
      totalDeposits = totalDeposits.plus(amount);
      if (carry) amount = amount.times(ONE.plus(carry).pow(step / h - at));
      deposits[step] = deposits[step].plus(amount);
    }
  }
  for (const stream of plan.withdrawals) {
    const { from, to } = window(plan, stream);
    const inflation = new GrowthCache(dec(stream.inflation));
    const count = Math.ceil((to - from) * stream.perYear - EPS);
    for (let k = 0; k < count; k++) {
      const at = from + k / stream.perYear;
      if (at < -EPS) continue;
      const step = Math.floor(at * h + EPS) + 1;
      if (step > steps) break;
      const received = dec(stream.amount).times(inflation.at(Math.floor(at + EPS)));
      totalWithdrawals = totalWithdrawals.plus(received);
      let gross = received.isZero() ? received : received.div(grossUp);
      if (carry) gross = gross.div(ONE.plus(carry).pow(at - (step - 1) / h));
      withdrawals[step] = withdrawals[step].plus(gross);
    }
  }
  return {
    steps,
    deposits: Float64Array.from(deposits, (d) => d.toNumber()),
    withdrawals: Float64Array.from(withdrawals, (w) => w.toNumber()),
    totalWithdrawals: totalWithdrawals.toNumber(),
    totalDeposits: totalDeposits.toNumber(),
  };
}
