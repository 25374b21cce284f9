import { Type, type TSchema } from 'typebox';
import { defaultsOptional, money } from '../request-fields.ts';
import { echo, moneyOut } from '../response-fields.ts';

const fields = {
  home_price: money('Price of the home'),
  down_payment: money('Paid up front; the rest is borrowed'),
  periodic_payment: money('Monthly payment of principal and interest, at the end of each month'),
  interest_rate: Type.Number({
    minimum: 0,
    default: 0.04,
    description: 'Annual nominal rate as a fraction (0.04 = 4%); each month charges interest_rate / 12 on the balance, as lenders quote it',
  }),
  mortgage_term: Type.Integer({ minimum: 0, maximum: 600, default: 360, description: 'Number of monthly payments; at least 1 to compute anything' }),
};

const { home_price: _p, ...priceFields } = fields;
export const MortgageHomePriceRequest = defaultsOptional(Type.Object(priceFields, { additionalProperties: false }));
const { down_payment: _d, ...downFields } = fields;
export const MortgageDownPaymentRequest = defaultsOptional(Type.Object(downFields, { additionalProperties: false }));
const { periodic_payment: _m, ...paymentFields } = fields;
export const MortgagePeriodicPaymentRequest = defaultsOptional(Type.Object(paymentFields, { additionalProperties: false }));

export interface MortgageRequest {
  home_price?: number;
  down_payment?: number;
  periodic_payment?: number;
  interest_rate: number;
  mortgage_term: number;
}

const AmortizationRow = Type.Object(
  {
    period: Type.Integer({ minimum: 1, description: 'Month number, from 1' }),
    start_balance: moneyOut('Loan balance at the start of the month'),
    payment: moneyOut('Payment at the end of the month'),
    interest: moneyOut("The payment's interest part"),
    principal: moneyOut("The payment's principal part; the column sums to the loan amount"),
    end_balance: moneyOut('Loan balance after the payment'),
  },
  { title: 'MortgageAmortizationRow', additionalProperties: false },
);

function response(solvedName: string, solved: TSchema, request: TSchema) {
  return Type.Object(
    {
      [solvedName]: solved,
      home_price: moneyOut('Price of the home'),
      down_payment: moneyOut('Paid up front'),
      loan_amount: moneyOut('Amount borrowed'),
      periodic_payment: moneyOut('Monthly payment that repays the loan over the term'),
      total_interest: moneyOut('All interest paid over the term'),
      total_payments: moneyOut('All payments over the term'),
      inputs: echo(request),
      schedule: Type.Array(AmortizationRow, { description: 'One row per month; each row adds up in cents' }),
    },
    { additionalProperties: false },
  );
}

export const MortgageHomePriceResponse = response('home_price', moneyOut('Highest price the down payment and monthly payment buy'), MortgageHomePriceRequest);
export const MortgageDownPaymentResponse = response('down_payment', moneyOut('Down payment needed; 0 when the payment alone carries the price'), MortgageDownPaymentRequest);
export const MortgagePeriodicPaymentResponse = response('periodic_payment', moneyOut('Monthly payment that repays the loan over the term'), MortgagePeriodicPaymentRequest);
