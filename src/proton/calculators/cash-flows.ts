import { Decimal, ONE, ZERO, cents, dec } from '../money.ts';

/**
 * The one cash-flow model behind the accumulation and decumulation calculators. Its
 * conventions (documented for users in docs/proton-calculators.md):
 *
 * - Time is measured in years from today. Rates are annual and effective: a rate R grows
 *   money by (1 + R)^t over t years, so a month earns (1 + R)^(1/12) - 1.
 * - A year has 1, 2, 4, 12, 26, 52 or 365 equal periods, so every frequency's periods start
 *   on each anniversary and a period never straddles two years.
 * - Deposits arrive at the end of their period (an ordinary annuity); withdrawals leave at
 *   its start (an annuity due: money needed during a period is taken out when it begins).
 * - An amount adjusted for inflation changes once a year, on each anniversary: in year y it
 *   is amount * (1 + inflation)^y.
 * - A withdrawal tax is grossed up: to receive W net, W / (1 - tax) leaves the portfolio.
 *   An earnings tax is charged at the end of each schedule row on that row's positive earnings.
 */

export interface FlowStream {
  kind: 'deposit' | 'withdrawal';
  perYear: number;
  /** Index of the first flow, counted in this stream's own periods from today. */
  first: number;
  count: number;
  /** The net amount of each flow falling in the given year (0 = the year starting today). */
  amountInYear(year: number): Decimal;
}

export interface CashFlowPlan {
  startBalance: Decimal;
  rowsPerYear: number;
  rows: number;
  /** The annual return earned during the given row. */
  annualReturn(row: number): Decimal;
  streams: FlowStream[];
  earningsTaxRate: Decimal;
  withdrawalTaxRate: Decimal;
}

export interface ScheduleRow {
  /** 1-based row number. */
  period: number;
  startBalance: Decimal;
  /** Money paid in during the row. */
  deposits: Decimal;
  /** Money the owner received during the row, after tax. */
  withdrawals: Decimal;
  earnings: Decimal;
  /** Tax on withdrawals plus tax on earnings. */
  taxes: Decimal;
  endBalance: Decimal;
}

function floorDiv(a: number, b: number): number {
  return Math.floor(a / b);
}

function ceilDiv(a: number, b: number): number {
  return Math.ceil(a / b);
}

/**
 * A growth factor raised to a fraction, remembered per factor and exponent: the same few
 * (a year's return to the power of one row, or of one deposit interval) recur in every row,
 * and each is a high-precision logarithm and exponential. A daily horizon of 75 years has
 * 27,375 rows.
 */
const fractionalPowers = new Map<string, Decimal>();

function fractionalPower(base: Decimal, numerator: number, denominator: number): Decimal {
  const key = `${base.toString()}^${numerator}/${denominator}`;
  let power = fractionalPowers.get(key);
  if (power === undefined) {
    power = base.pow(dec(numerator).div(denominator));
    // Bounded: a plan has a handful of returns and intervals, but the server serves many plans.
    if (fractionalPowers.size >= 1000) fractionalPowers.clear();
    fractionalPowers.set(key, power);
  }
  return power;
}

/** Sum of g^i for i = 0 .. n-1. */
function geometricSum(g: Decimal, n: number): Decimal {
  if (g.eq(ONE)) return dec(n);
  return g.pow(n).minus(ONE).div(g.minus(ONE));
}

interface RowFlows {
  /** Sum of the net amounts. */
  total: Decimal;
  /** Sum of the net amounts, each grown to the end of the row. */
  grown: Decimal;
}

/**
 * The flows of one stream inside row `row`, found with integer arithmetic so that no
 * floating-point error can move a flow into the neighbouring row.
 */
function streamInRow(stream: FlowStream, row: number, rowsPerYear: number, growthPerYear: Decimal): RowFlows {
  const m = stream.perYear;
  const h = rowsPerYear;
  // A deposit k happens at (k+1)/m years; a withdrawal k at k/m. A row covers (row/h, (row+1)/h]
  // for deposits and [row/h, (row+1)/h) for withdrawals.
  let lo: number;
  let hi: number;
  if (stream.kind === 'deposit') {
    lo = floorDiv(row * m, h);
    hi = floorDiv((row + 1) * m, h) - 1;
  } else {
    lo = ceilDiv(row * m, h);
    hi = ceilDiv((row + 1) * m, h) - 1;
  }
  lo = Math.max(lo, stream.first);
  hi = Math.min(hi, stream.first + stream.count - 1);
  if (hi < lo) return { total: ZERO, grown: ZERO };
  const n = hi - lo + 1;
  const amount = stream.amountInYear(floorDiv(row, h));
  // Years from the last flow to the end of the row, as an exact fraction: its numerator over m * h.
  const lastAt = stream.kind === 'deposit' ? hi + 1 : hi;
  const factor = fractionalPower(growthPerYear, (row + 1) * m - lastAt * h, m * h).times(geometricSum(fractionalPower(growthPerYear, 1, m), n));
  return { total: amount.times(n), grown: amount.times(factor) };
}

/** One row of the schedule from its opening balance. */
export function runRow(plan: CashFlowPlan, row: number, startBalance: Decimal): ScheduleRow {
  const v = ONE.plus(plan.annualReturn(row));
  const grossUp = ONE.minus(plan.withdrawalTaxRate);
  let deposits = ZERO;
  let withdrawals = ZERO;
  let grossWithdrawals = ZERO;
  let end = startBalance.times(fractionalPower(v, 1, plan.rowsPerYear));
  for (const stream of plan.streams) {
    const flows = streamInRow(stream, row, plan.rowsPerYear, v);
    if (flows.total.isZero()) continue;
    if (stream.kind === 'deposit') {
      deposits = deposits.plus(flows.total);
      end = end.plus(flows.grown);
    } else {
      withdrawals = withdrawals.plus(flows.total);
      grossWithdrawals = grossWithdrawals.plus(flows.total.div(grossUp));
      end = end.minus(flows.grown.div(grossUp));
    }
  }
  const earnings = end.minus(startBalance).minus(deposits).plus(grossWithdrawals);
  const earningsTax = earnings.gt(0) ? earnings.times(plan.earningsTaxRate) : ZERO;
  return {
    period: row + 1,
    startBalance,
    deposits,
    withdrawals,
    earnings,
    taxes: earningsTax.plus(grossWithdrawals.minus(withdrawals)),
    endBalance: end.minus(earningsTax),
  };
}

export function simulate(plan: CashFlowPlan): ScheduleRow[] {
  const rows: ScheduleRow[] = [];
  let balance = plan.startBalance;
  for (let row = 0; row < plan.rows; row++) {
    const next = runRow(plan, row, balance);
    rows.push(next);
    balance = next.endBalance;
  }
  return rows;
}

export function finalBalance(plan: CashFlowPlan): Decimal {
  let balance = plan.startBalance;
  for (let row = 0; row < plan.rows; row++) balance = runRow(plan, row, balance).endBalance;
  return balance;
}

/** A schedule row as reported: every figure in cents. */
export interface CentsRow {
  period: number;
  start_balance: number;
  deposits: number;
  withdrawals: number;
  earnings: number;
  taxes: number;
  end_balance: number;
}

/**
 * Rounds a schedule to cents so that each reported row still adds up
 * (start + deposits - withdrawals + earnings - taxes = end) and each row opens with the
 * previous row's closing balance: balances and flows are rounded, earnings take the
 * sub-cent remainder.
 */
export function scheduleInCents(rows: ScheduleRow[]): CentsRow[] {
  return rows.map((row) => {
    const start = cents(row.startBalance);
    const end = cents(row.endBalance);
    const deposits = cents(row.deposits);
    const withdrawals = cents(row.withdrawals);
    const taxes = cents(row.taxes);
    const earnings = dec(end).minus(start).minus(deposits).plus(withdrawals).plus(taxes);
    return {
      period: row.period,
      start_balance: start,
      deposits,
      withdrawals,
      earnings: cents(earnings),
      taxes,
      end_balance: end,
    };
  });
}

/** Sum of one column, exactly. */
export function total(rows: ScheduleRow[], pick: (row: ScheduleRow) => Decimal): Decimal {
  return rows.reduce((sum, row) => sum.plus(pick(row)), ZERO);
}
