/**
 * Hand-written requests for Proton's business operations. Each analysis reads the records of
 * a business, so each builder first makes a small one over the API (a customer, an invoice
 * partly paid, revenue, a cash account with a balance and transactions, statements) and then
 * asks about it; a body built from the spec alone would name a business that does not exist.
 */
import { randomBytes } from 'node:crypto';
import type { HttpResult } from '../test/support/server.ts';
import { isObject, serverMessage } from './judge.ts';
import type { Builder, RequestKit } from './requests.ts';

type Call = RequestKit['request'];

class PrepareError extends Error {}

async function nucleus(call: Call, entity: string, body: Record<string, unknown>): Promise<string> {
  const result: HttpResult<unknown> = await call('POST', `/nucleus/v1/${entity}`, body);
  if (result.status !== 201 || !isObject(result.body)) throw new PrepareError(`POST /nucleus/v1/${entity} answered ${result.status}${serverMessage(result.body)}`);
  return result.body.id as string;
}

/** A business with one customer, an invoice partly paid and a month of that customer's revenue. */
async function tradingBusiness(call: Call): Promise<{ business: string; customer: string }> {
  const business = await nucleus(call, 'business', { legal_name: `Conformance Trading ${randomBytes(4).toString('hex')}` });
  const customer = await nucleus(call, 'contact', { company_name: 'Conformance Customer', business_id: business, is_customer: true });
  const invoice = await nucleus(call, 'invoice', {
    business_id: business,
    contact_id: customer,
    currency_code: 'USD',
    invoice_number: 'CONF-1',
    invoice_date: '2024-04-01',
    due_date: '2024-05-01T00:00:00Z',
    total_amount: 1000,
  });
  await nucleus(call, 'invoice_payment', { invoice_id: invoice, payment_amount: 400, payment_date: '2024-05-15T00:00:00Z', currency_code: 'USD' });
  await nucleus(call, 'customer_revenue', { contact_id: customer, date: '2024-04-01', revenue: 1000, currency_code: 'USD', accounting_method: 'accrual' });
  return { business, customer };
}

async function cashBusiness(call: Call): Promise<string> {
  const business = await nucleus(call, 'business', { legal_name: `Conformance Cash ${randomBytes(4).toString('hex')}` });
  const account = await nucleus(call, 'aggregation_account', { account_name: 'Operating', institution_name: 'Conformance Bank', business_id: business, is_cash: true });
  await nucleus(call, 'aggregation_account_balance', { aggregation_account_id: account, balance: 5000, balance_time_stamp: '2024-03-31T00:00:00Z', currency_code: 'USD' });
  await nucleus(call, 'aggregation_account_transaction', {
    aggregation_account_id: account,
    transaction_date: '2024-04-10T00:00:00Z',
    currency_code: 'USD',
    bank_credit: { amount: 750, transaction_type: 'Credit', category: 'Sales' },
  });
  return business;
}

async function reportingBusiness(call: Call): Promise<string> {
  const business = await nucleus(call, 'business', { legal_name: `Conformance Ledger ${randomBytes(4).toString('hex')}` });
  for (const [date, stats] of [
    ['2024-03-31', { total_assets: 400000, total_liabilities: 160000, total_equity: 240000, total_revenue: 120000, net_income: 18000 }],
    ['2024-06-30', { total_assets: 420000, total_liabilities: 150000, total_equity: 270000, total_revenue: 150000, net_income: 27000 }],
  ] as const) {
    await nucleus(call, 'financial_statement', {
      business_id: business,
      accounting_method: 'accrual',
      currency_code: 'USD',
      statement_date: date,
      statement_type: 'balance_sheet',
      period_length: 'quarterly',
      stats: Object.entries(stats).map(([stat_name, stat_value]) => ({ stat_name, stat_value })),
    });
  }
  return business;
}

/** Runs a preparation, reporting a failed step as the reason the operation was not exercised. */
function prepared(prepare: (call: Call) => Promise<Record<string, unknown>>): Builder {
  return async (kit) => {
    try {
      return { body: await prepare(kit.request) };
    } catch (error) {
      if (error instanceof PrepareError) return { error: error.message };
      throw error;
    }
  };
}

export const PROTON_BUSINESS_REQUESTS: [RegExp, Builder][] = [
  [
    /^POST \/proton\/v1\/business\/invoice_analysis$/,
    prepared(async (call) => ({ business_id: (await tradingBusiness(call)).business, end_date: '2024-06-30', show_history: true, show_outstanding_invoices: true })),
  ],
  [
    /^POST \/proton\/v1\/business\/customer_analysis$/,
    prepared(async (call) => ({ business_id: (await tradingBusiness(call)).business, start_date: '2024-01-01', end_date: '2024-06-30', benchmark_start_date: '2023-01-01', benchmark_end_date: '2023-06-30' })),
  ],
  [
    /^POST \/proton\/v1\/business\/cash_analysis$/,
    prepared(async (call) => ({ business_id: await cashBusiness(call), start_date: '2024-04-01', end_date: '2024-06-30', show_history: true, show_inflow_details: true, show_outflow_details: true })),
  ],
  [
    /^POST \/proton\/v1\/business\/financial_statement_analysis$/,
    prepared(async (call) => ({ business_id: await reportingBusiness(call), accounting_method: 'accrual', end_date: '2024-06-30', show_history: true, history_frequency_interval: 'quarter' })),
  ],
  [/^POST \/proton\/v1\/business\/financial_health_check$/, prepared(async (call) => ({ business_id: await reportingBusiness(call), accounting_method: 'accrual' }))],
];
