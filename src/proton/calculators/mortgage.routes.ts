import type { FastifyInstance } from 'fastify';
import type { NucleusAccess } from '../nucleus-records.ts';
import { registerCalculator } from './calculator-route.ts';
import { cents } from '../money.ts';
import { amortizationInCents, solveDownPayment, solveHomePrice, solvePeriodicPayment, type MortgageOutcome, type MortgageTerms } from './mortgage.ts';
import * as schema from './mortgage.schema.ts';

type Body = schema.MortgageRequest;

function terms(body: Body): MortgageTerms {
  return { interestRate: body.interest_rate, termMonths: body.mortgage_term };
}

function respond(outcome: MortgageOutcome, body: Body) {
  return {
    home_price: cents(outcome.homePrice),
    down_payment: cents(outcome.downPayment),
    loan_amount: cents(outcome.loanAmount),
    periodic_payment: cents(outcome.periodicPayment),
    total_interest: cents(outcome.totalInterest),
    total_payments: cents(outcome.totalInterest.plus(outcome.loanAmount)),
    inputs: body,
    schedule: amortizationInCents(outcome.schedule),
  };
}

const TAG = 'Financial Planning';

export function mortgageRoutes(app: FastifyInstance, nucleus: NucleusAccess): void {
  registerCalculator<Body>(app, nucleus, {
    path: '/mortgage_calculator/home_price',
    operationId: 'mortgageCalculatorHomePrice',
    tag: TAG,
    summary: 'Mortgage calculator: affordable home price',
    description: 'Solves for the home price that the down payment and the monthly payment buy over the term.',
    body: schema.MortgageHomePriceRequest,
    response: schema.MortgageHomePriceResponse,
    solve: (body) => respond(solveHomePrice({ ...terms(body), periodicPayment: body.periodic_payment!, downPayment: body.down_payment! }), body),
  });
  registerCalculator<Body>(app, nucleus, {
    path: '/mortgage_calculator/down_payment',
    operationId: 'mortgageCalculatorDownPayment',
    tag: TAG,
    summary: 'Mortgage calculator: down payment needed',
    description: 'Solves for the down payment that makes the monthly payment repay the rest of the price over the term.',
    body: schema.MortgageDownPaymentRequest,
    response: schema.MortgageDownPaymentResponse,
    solve: (body) => respond(solveDownPayment({ ...terms(body), periodicPayment: body.periodic_payment!, homePrice: body.home_price! }), body),
  });
  registerCalculator<Body>(app, nucleus, {
    path: '/mortgage_calculator/periodic_payment',
    operationId: 'mortgageCalculatorPeriodicPayment',
    tag: TAG,
    summary: 'Mortgage calculator: monthly payment',
    description: 'Solves for the monthly payment that repays the loan (price less down payment) over the term: P r / (1 - (1 + r)^-n).',
    body: schema.MortgagePeriodicPaymentRequest,
    response: schema.MortgagePeriodicPaymentResponse,
    solve: (body) => respond(solvePeriodicPayment({ ...terms(body), homePrice: body.home_price!, downPayment: body.down_payment! }), body),
  });
}
