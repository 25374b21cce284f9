import { affineRoot } from './affine-solve.ts';
import { finalBalance } from './cash-flows.ts';
import { Decimal, ZERO, dec } from '../money.ts';
import { checkHorizon } from './search-limit.ts';

/**
 * An emergency fund sized as a number of periods of essential expenses, and the deposit that
 * builds it over each of several horizons. Deposits are made at the end of each period; the
 * fund earns an annual effective interest rate.
 */
export interface EmergencyFundInput {
  /** Each essential expense, per period. */
  expenses: Record<string, number>;
  periodsPerYear: number;
  /** Periods of expenses the fund must cover. */
  fundPeriods: number;
  currentBalance: number;
  interestRate: number;
  /** Horizons, in periods, over which to build the fund. */
  savingsHorizons: number[];
}

export interface EmergencyFundOutcome {
  expensesPerPeriod: Decimal;
  target: Decimal;
  shortfall: Decimal;
  /** For each horizon, the deposit per period that reaches the target; null when no deposit can (a horizon of 0 with a shortfall). */
  plans: { horizon: number; deposit: Decimal | null }[];
}

function balanceAfter(input: EmergencyFundInput, horizon: number, deposit: Decimal): Decimal {
  return finalBalance({
    startBalance: dec(input.currentBalance),
    rowsPerYear: input.periodsPerYear,
    rows: horizon,
    annualReturn: () => dec(input.interestRate),
    earningsTaxRate: ZERO,
    withdrawalTaxRate: ZERO,
    streams: [{ kind: 'deposit', perYear: input.periodsPerYear, first: 0, count: horizon, amountInYear: () => deposit }],
  });
}

export function planEmergencyFund(input: EmergencyFundInput): EmergencyFundOutcome {
  const expensesPerPeriod = Object.values(input.expenses).reduce((sum, amount) => sum.plus(amount), ZERO);
  const target = expensesPerPeriod.times(input.fundPeriods);
  const plans = input.savingsHorizons.map((horizon) => {
    checkHorizon('savings_horizon', horizon, input.periodsPerYear);
    const gap = (deposit: Decimal) => target.minus(balanceAfter(input, horizon, deposit));
    if (!gap(ZERO).gt(0)) return { horizon, deposit: ZERO };
    return { horizon, deposit: affineRoot(gap) };
  });
  return { expensesPerPeriod, target, shortfall: Decimal.max(ZERO, target.minus(input.currentBalance)), plans };
}
