import { CalculationError } from '../calculation-error.ts';
import { affineRoot } from './affine-solve.ts';
import { runRow, simulate, type CashFlowPlan, type ScheduleRow } from './cash-flows.ts';
import { Decimal, ONE, ZERO, dec, growth } from '../money.ts';
import { MAX_SEARCH_YEARS, checkHorizon } from './search-limit.ts';

/**
 * Saving for one purchase: the savings grow with deposits until the horizon, when everything
 * needed is taken out at once and taxed. Rates are annual fractions; the purchase amount is
 * in today's money and grows with inflation until it is bought.
 */
export interface PurchaseInput {
  portfolioReturn: number;
  inflationRate: number;
  /** Tax on the money taken out to buy. */
  investmentTax: number;
  currentSavings: number;
  /** Paid at the end of each deposit period up to the horizon. */
  deposit: { amount: number; perYear: number; adjustForInflation: boolean };
  purchaseAmount: number;
  /** Periods until the purchase, each 1/horizonPerYear of a year. */
  horizon: number;
  horizonPerYear: number;
}

export interface PurchaseOutcome {
  /** The balance at the horizon. */
  balance: Decimal;
  /** The purchase amount grown by inflation to the horizon. */
  cost: Decimal;
  /** The tax on taking the cost out. */
  tax: Decimal;
  schedule: ScheduleRow[];
}

function plan(input: PurchaseInput, deposit: Decimal, rows: number): CashFlowPlan {
  const inflation = input.deposit.adjustForInflation ? dec(input.inflationRate) : ZERO;
  const m = input.deposit.perYear;
  return {
    startBalance: dec(input.currentSavings),
    rowsPerYear: input.horizonPerYear,
    rows,
    annualReturn: () => dec(input.portfolioReturn),
    earningsTaxRate: ZERO,
    withdrawalTaxRate: ZERO,
    streams: [
      {
        kind: 'deposit',
        perYear: m,
        first: 0,
        // Only deposits falling due by the horizon count.
        count: Math.floor((rows * m) / input.horizonPerYear),
        amountInYear: (year) => deposit.times(growth(inflation, year)),
      },
    ],
  };
}

function checkTax(input: PurchaseInput): void {
  if (input.investmentTax >= 1) throw new CalculationError('investment_tax', 'must be below 1: a 100% tax leaves nothing to buy with');
}

function costAt(input: PurchaseInput, years: Decimal): Decimal {
  return dec(input.purchaseAmount).times(growth(dec(input.inflationRate), years));
}

function savings(input: PurchaseInput, deposit: Decimal): { balance: Decimal; schedule: ScheduleRow[] } {
  const schedule = simulate(plan(input, deposit, input.horizon));
  return { balance: schedule.at(-1)?.endBalance ?? dec(input.currentSavings), schedule };
}

/** The outcome of buying at cost, with the tax on taking the cost out (tax below 100%). */
function buying(input: PurchaseInput, deposit: Decimal, cost: Decimal): PurchaseOutcome {
  return { ...savings(input, deposit), cost, tax: cost.div(ONE.minus(input.investmentTax)).minus(cost) };
}

function horizonYears(input: PurchaseInput): Decimal {
  checkHorizon('purchase_horizon', input.horizon, input.horizonPerYear);
  return dec(input.horizon).div(input.horizonPerYear);
}

/** What the savings will buy at the horizon, in today's money, after tax. */
export function solvePurchaseAmount(input: Omit<PurchaseInput, 'purchaseAmount'>): { amount: Decimal; outcome: PurchaseOutcome } {
  const full = { ...input, purchaseAmount: 0 };
  const years = horizonYears(full);
  const saved = savings(full, dec(input.deposit.amount));
  const cost = saved.balance.times(ONE.minus(input.investmentTax));
  const amount = cost.div(growth(dec(input.inflationRate), years));
  return { amount, outcome: { ...saved, cost, tax: saved.balance.minus(cost) } };
}

/** The smallest deposit that pays for the purchase, tax included, at the horizon. */
export function solvePurchaseDeposit(input: PurchaseInput): { depositAmount: Decimal; outcome: PurchaseOutcome } {
  checkTax(input);
  const cost = costAt(input, horizonYears(input));
  const needed = cost.div(ONE.minus(input.investmentTax));
  const shortfall = (deposit: Decimal) => needed.minus(savings(input, deposit).balance);
  let deposit = ZERO;
  if (shortfall(ZERO).gt(0)) {
    const root = affineRoot(shortfall);
    if (root === null) {
      throw new CalculationError('purchase_horizon', 'the current savings fall short and no deposit falls due before the purchase');
    }
    deposit = root;
  }
  return { depositAmount: deposit, outcome: buying(input, deposit, cost) };
}

/** The fewest whole years of saving after which the purchase, tax included, is affordable. */
export function solvePurchaseHorizon(input: Omit<PurchaseInput, 'horizon' | 'horizonPerYear'>): { years: number; outcome: PurchaseOutcome } {
  const yearly = { ...input, horizon: 0, horizonPerYear: 1 };
  checkTax(yearly);
  const saving = plan(yearly, dec(input.deposit.amount), MAX_SEARCH_YEARS);
  const keep = ONE.minus(input.investmentTax);
  let balance = saving.startBalance;
  for (let years = 0; years <= MAX_SEARCH_YEARS; years++) {
    const cost = costAt(yearly, dec(years));
    if (balance.times(keep).gte(cost)) {
      return { years, outcome: buying({ ...yearly, horizon: years }, dec(input.deposit.amount), cost) };
    }
    if (years < MAX_SEARCH_YEARS) balance = runRow(saving, years, balance).endBalance;
  }
  throw new CalculationError('purchase_amount', `cannot be reached within ${MAX_SEARCH_YEARS} years`);
}
