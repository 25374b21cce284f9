/**
 * Hand-written requests for Proton's wellness operations. Each analyses a client's held-away
 * money, so each builder first gives a fresh client an aggregation account with balances and
 * a few months of transactions (a monthly subscription among them, and a fee), then names
 * that client. Preparation is never judged; a failed step reports the operation unexercised.
 */
import { randomBytes } from 'node:crypto';
import { isObject, serverMessage } from './judge.ts';
import type { Builder, RequestKit } from './requests.ts';

type Call = RequestKit['request'];

class PrepareError extends Error {}

async function create(call: Call, entity: string, body: Record<string, unknown>): Promise<string> {
  const result = await call('POST', `/nucleus/v1/${entity}`, body);
  if (result.status !== 201 || !isObject(result.body)) throw new PrepareError(`POST /nucleus/v1/${entity} answered ${result.status}${serverMessage(result.body)}`);
  return result.body.id as string;
}

/** A client with a checking account: two balances, salary, a monthly subscription and a fee. */
async function clientWithMoney(call: Call): Promise<{ client: string; account: string }> {
  const n = randomBytes(4).toString('hex');
  const client = await create(call, 'client', { username: `wellness-${n}@example.com`, client_type: 'individual', first_name: 'Conformance', income: 50000 });
  const account = await create(call, 'aggregation_account', {
    client_id: client, account_name: 'Conformance Checking', institution_name: 'Conformance Bank', category: 'Bank Account', is_asset: true, is_cash: true, currency_code: 'USD',
  });
  for (const [day, balance] of [['2025-01-01', 1500], ['2025-06-30', 2100]] as const) {
    await create(call, 'aggregation_account_balance', { aggregation_account_id: account, currency_code: 'USD', balance, balance_time_stamp: `${day}T12:00:00.000Z` });
  }
  const transaction = (day: string, amount: number, transaction_type: string, extra: Record<string, unknown>) =>
    create(call, 'aggregation_account_transaction', {
      aggregation_account_id: account, currency_code: 'USD', transaction_date: `${day}T10:00:00.000Z`, status: 'posted', bank_credit: { amount, transaction_type, ...extra },
    });
  for (const month of ['01', '02', '03', '04', '05', '06']) {
    await transaction(`2025-${month}-01`, 3000, 'Credit', { merchant: 'Conformance Payroll', category: 'Income' });
    await transaction(`2025-${month}-07`, 12.99, 'Debit', { merchant: 'Conformance Streaming', category: 'Entertainment' });
  }
  await transaction('2025-03-15', 35, 'Debit', { description: 'Overdraft fee', category: 'Bank Fees' });
  return { client, account };
}

const prepared =
  (make: (owner: { client: string; account: string }) => Record<string, unknown>): Builder =>
  async (kit) => {
    try {
      return { body: make(await clientWithMoney(kit.request)) };
    } catch (error) {
      if (error instanceof PrepareError) return { error: `preparing it: ${error.message}` };
      throw error;
    }
  };

const firstHalf = { start_date: '2025-01-01', end_date: '2025-06-30' };

export const PROTON_WELLNESS_REQUESTS: [RegExp, Builder][] = [
  [/^POST \/proton\/v1\/recurring_transaction_analysis$/, prepared(({ client }) => ({ client_id: client, ...firstHalf, show_recurring_details: true }))],
  [/^POST \/proton\/v1\/fee_analysis$/, prepared(({ client }) => ({ client_id: client, ...firstHalf }))],
  [
    /^POST \/proton\/v1\/cash_flow_analysis$/,
    prepared(({ client }) => ({ client_id: client, start_date: '2025-04-01', end_date: '2025-06-30', show_history: true, show_income_details: true, show_spending_details: true })),
  ],
  [/^POST \/proton\/v1\/financial_picture$/, prepared(({ client }) => ({ client_id: client, ...firstHalf, show_change: true, show_history: true }))],
];
