import { CalculationError } from '../calculation-error.ts';
import { simulate, type FlowStream, type ScheduleRow } from './cash-flows.ts';
import { Decimal, ONE, ZERO, dec, growth } from '../money.ts';

/**
 * How much life insurance covers what a death leaves unpaid: debts and final expenses at
 * once, then years of lost income, children's education and bequests, each paid at the start
 * of its year from a fund earning the interest rate after tax. Ages and durations are whole
 * years; rates are annual fractions; amounts are in today's money and grow with inflation.
 */
export interface LifeInsuranceInput {
  interestRate: number;
  /** Tax on the fund's earnings. */
  taxRate: number;
  generalInflationRate: number;
  educationInflationRate: number;
  /** Extra cover as a fraction of the total need. */
  marginOfError: number;
  liquidAssets: number;
  existingLifeInsurance: number;
  mortgageBalance: number;
  otherDebt: number;
  endOfLifeExpenses: number;
  /** The benefit is rounded up to a multiple of 10^digits. */
  roundingDigits: number;
  incomes: { annualNetTakeHomePay: number; years: number; fractionCovered: number }[];
  children: { currentAge: number; education: { totalAnnualCost: number; startAge: number; endAge: number }[] }[];
  bequests: { amount: number; years: number; yearsUntil: number }[];
}

export interface LifeInsuranceOutcome {
  /** The cover to buy: the need with its margin, less assets and existing cover, rounded up. */
  insuranceNeeded: Decimal;
  /** What each need costs today. */
  incomeReplacement: Decimal;
  education: Decimal;
  bequests: Decimal;
  debts: Decimal;
  endOfLifeExpenses: Decimal;
  totalNeed: Decimal;
  margin: Decimal;
  /** The fund of totalNeed paying every need, year by year, until it is spent. */
  schedule: ScheduleRow[];
}

interface Need {
  group: 'income' | 'education' | 'bequests' | 'debts' | 'endOfLife';
  stream: FlowStream;
}

function yearly(first: number, count: number, amount: Decimal, inflation: Decimal): FlowStream {
  return { kind: 'withdrawal', perYear: 1, first, count, amountInYear: (year) => amount.times(growth(inflation, year)) };
}

function needs(input: LifeInsuranceInput): Need[] {
  const general = dec(input.generalInflationRate);
  const list: Need[] = [
    { group: 'debts', stream: yearly(0, 1, dec(input.mortgageBalance).plus(input.otherDebt), ZERO) },
    { group: 'endOfLife', stream: yearly(0, 1, dec(input.endOfLifeExpenses), ZERO) },
  ];
  for (const income of input.incomes) {
    const amount = dec(income.annualNetTakeHomePay).times(income.fractionCovered);
    list.push({ group: 'income', stream: yearly(0, income.years, amount, general) });
  }
  input.children.forEach((child, i) => {
    child.education.forEach((stage, j) => {
      if (stage.endAge < stage.startAge) {
        throw new CalculationError(`children_education_config[${i}].education_config[${j}].end_age`, 'must not be below start_age');
      }
      // Years of study already behind the child are not funded.
      const from = Math.max(stage.startAge, child.currentAge);
      const years = Math.max(0, stage.endAge - from);
      const stream = yearly(from - child.currentAge, years, dec(stage.totalAnnualCost), dec(input.educationInflationRate));
      list.push({ group: 'education', stream });
    });
  });
  for (const bequest of input.bequests) {
    list.push({ group: 'bequests', stream: yearly(bequest.yearsUntil, bequest.years, dec(bequest.amount), general) });
  }
  return list;
}

/** Earnings are taxed only when there are earnings, so a negative rate is not reduced. */
function afterTaxRate(input: LifeInsuranceInput): Decimal {
  const rate = dec(input.interestRate);
  return rate.gt(0) ? rate.times(ONE.minus(input.taxRate)) : rate;
}

function presentValue(stream: FlowStream, rate: Decimal): Decimal {
  let sum = ZERO;
  for (let k = stream.first; k < stream.first + stream.count; k++) {
    sum = sum.plus(stream.amountInYear(k).div(growth(rate, k)));
  }
  return sum;
}

function roundUp(value: Decimal, digits: number): Decimal {
  const unit = dec(10).pow(digits);
  return value.div(unit).ceil().times(unit);
}

export function lifeInsuranceNeeds(input: LifeInsuranceInput): LifeInsuranceOutcome {
  const all = needs(input);
  const rate = afterTaxRate(input);
  const byGroup = (group: Need['group']) =>
    all.filter((need) => need.group === group).reduce((sum, need) => sum.plus(presentValue(need.stream, rate)), ZERO);
  const parts = {
    incomeReplacement: byGroup('income'),
    education: byGroup('education'),
    bequests: byGroup('bequests'),
    debts: byGroup('debts'),
    endOfLifeExpenses: byGroup('endOfLife'),
  };
  const totalNeed = Object.values(parts).reduce((sum, part) => sum.plus(part), ZERO);
  const margin = totalNeed.times(input.marginOfError);
  const uncovered = totalNeed.plus(margin).minus(input.liquidAssets).minus(input.existingLifeInsurance);
  const rows = Math.max(0, ...all.map((need) => (need.stream.count > 0 ? need.stream.first + need.stream.count : 0)));
  const schedule = simulate({
    startBalance: totalNeed,
    rowsPerYear: 1,
    rows,
    annualReturn: () => dec(input.interestRate),
    earningsTaxRate: dec(input.taxRate),
    withdrawalTaxRate: ZERO,
    streams: all.map((need) => need.stream),
  });
  return {
    insuranceNeeded: roundUp(Decimal.max(ZERO, uncovered), input.roundingDigits),
    ...parts,
    totalNeed,
    margin,
    schedule,
  };
}
