import { simulate, type FlowStream, type ScheduleRow } from './cash-flows.ts';
import { Decimal, ZERO, dec, growth } from '../money.ts';
import { checkHorizon } from './search-limit.ts';

/**
 * A savings account grown over a horizon of equal periods, with any number of recurring
 * deposits, a return that may change from period to period, and tax on earnings.
 */
export interface SavingsInput {
  horizon: number;
  horizonPerYear: number;
  /** The annual return during each period; the last one holds for the periods after it. */
  returns: number[];
  /** Grows inflation-adjusted deposits, and deflates the ending balance to today's money. */
  inflationRate: number;
  /** Tax on each period's positive earnings. */
  taxRate: number;
  initialBalance: number;
  deposits: {
    amount: number;
    perYear: number;
    /** Horizon periods during which the deposit is made; null for the whole horizon. */
    duration: number | null;
    adjustForInflation: boolean;
  }[];
}

export interface SavingsOutcome {
  endingBalance: Decimal;
  /** The ending balance in today's money. */
  realEndingBalance: Decimal;
  schedule: ScheduleRow[];
}

export function projectSavings(input: SavingsInput): SavingsOutcome {
  checkHorizon('horizon', input.horizon, input.horizonPerYear);
  const inflation = dec(input.inflationRate);
  const h = input.horizonPerYear;
  const streams: FlowStream[] = input.deposits.map((deposit) => {
    const periods = Math.min(deposit.duration ?? input.horizon, input.horizon);
    const rate = deposit.adjustForInflation ? inflation : ZERO;
    const amount = dec(deposit.amount);
    return {
      kind: 'deposit',
      perYear: deposit.perYear,
      first: 0,
      count: Math.floor((periods * deposit.perYear) / h),
      amountInYear: (year: number) => amount.times(growth(rate, year)),
    };
  });
  const last = input.returns.length - 1;
  const schedule = simulate({
    startBalance: dec(input.initialBalance),
    rowsPerYear: h,
    rows: input.horizon,
    annualReturn: (row) => dec(input.returns[Math.min(row, last)]),
    earningsTaxRate: dec(input.taxRate),
    withdrawalTaxRate: ZERO,
    streams,
  });
  const endingBalance: Decimal = schedule.at(-1)?.endBalance ?? dec(input.initialBalance);
  return {
    endingBalance,
    realEndingBalance: endingBalance.div(growth(inflation, dec(input.horizon).div(h))),
    schedule,
  };
}
