import { CalculationError } from '../calculation-error.ts';
import { Decimal, ONE, ZERO, cents, dec } from '../money.ts';

/**
 * A fixed-rate mortgage paid monthly. Unlike the savings calculators, and as lenders quote
 * it, the annual interest rate is nominal: each month charges rate / 12 on the balance.
 * Payments are made at the end of each month.
 */
export interface MortgageTerms {
  /** Annual nominal rate as a fraction. */
  interestRate: number;
  /** Number of monthly payments. */
  termMonths: number;
}

export interface AmortizationRow {
  period: number;
  startBalance: Decimal;
  payment: Decimal;
  interest: Decimal;
  principal: Decimal;
  endBalance: Decimal;
}

export interface MortgageOutcome {
  homePrice: Decimal;
  downPayment: Decimal;
  loanAmount: Decimal;
  /** The monthly payment that repays the loan exactly over the term. */
  periodicPayment: Decimal;
  totalInterest: Decimal;
  schedule: AmortizationRow[];
}

function monthlyRate(terms: MortgageTerms): Decimal {
  return dec(terms.interestRate).div(12);
}

/** The loan one unit of monthly payment repays over the term: (1 - (1 + r)^-n) / r, or n at r = 0. */
function presentValueFactor(terms: MortgageTerms): Decimal {
  if (terms.termMonths < 1) throw new CalculationError('mortgage_term', 'must be at least 1 month');
  const r = monthlyRate(terms);
  if (r.isZero()) return dec(terms.termMonths);
  return ONE.minus(ONE.plus(r).pow(-terms.termMonths)).div(r);
}

function amortize(loan: Decimal, payment: Decimal, terms: MortgageTerms): AmortizationRow[] {
  const r = monthlyRate(terms);
  const rows: AmortizationRow[] = [];
  let balance = loan;
  for (let period = 1; period <= terms.termMonths; period++) {
    const interest = balance.times(r);
    const principal = payment.minus(interest);
    const endBalance = balance.minus(principal);
    rows.push({ period, startBalance: balance, payment, interest, principal, endBalance });
    balance = endBalance;
  }
  return rows;
}

function outcome(homePrice: Decimal, downPayment: Decimal, terms: MortgageTerms): MortgageOutcome {
  const loanAmount = homePrice.minus(downPayment);
  const periodicPayment = loanAmount.div(presentValueFactor(terms));
  return {
    homePrice,
    downPayment,
    loanAmount,
    periodicPayment,
    totalInterest: periodicPayment.times(terms.termMonths).minus(loanAmount),
    schedule: amortize(loanAmount, periodicPayment, terms),
  };
}

export function solvePeriodicPayment(input: MortgageTerms & { homePrice: number; downPayment: number }): MortgageOutcome {
  if (input.downPayment > input.homePrice) throw new CalculationError('down_payment', 'must not exceed home_price');
  return outcome(dec(input.homePrice), dec(input.downPayment), input);
}

/** The price that the down payment and the monthly payment together buy. */
export function solveHomePrice(input: MortgageTerms & { periodicPayment: number; downPayment: number }): MortgageOutcome {
  const loan = dec(input.periodicPayment).times(presentValueFactor(input));
  return outcome(loan.plus(input.downPayment), dec(input.downPayment), input);
}

/**
 * The down payment that makes the monthly payment enough; zero when the payment alone
 * carries the whole price (the reported payment is then the smaller one the loan needs).
 */
export function solveDownPayment(input: MortgageTerms & { periodicPayment: number; homePrice: number }): MortgageOutcome {
  const loan = dec(input.periodicPayment).times(presentValueFactor(input));
  const price = dec(input.homePrice);
  return outcome(price, Decimal.max(ZERO, price.minus(loan)), input);
}

/** An amortisation row as reported: every figure in cents. */
export interface AmortizationCentsRow {
  period: number;
  start_balance: number;
  payment: number;
  interest: number;
  principal: number;
  end_balance: number;
}

/**
 * Rounds the schedule so each row still adds up and the principal column sums to the loan:
 * balances and the payment are rounded, principal is the fall in the rounded balance, and
 * interest is the rest of the payment.
 */
export function amortizationInCents(rows: AmortizationRow[]): AmortizationCentsRow[] {
  return rows.map((row) => {
    const start = cents(row.startBalance);
    const end = cents(row.endBalance);
    const payment = cents(row.payment);
    const principal = dec(start).minus(end);
    return {
      period: row.period,
      start_balance: start,
      payment,
      interest: cents(dec(payment).minus(principal)),
      principal: cents(principal),
      end_balance: end,
    };
  });
}
