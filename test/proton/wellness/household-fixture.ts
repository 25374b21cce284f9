import assert from 'node:assert/strict';
import { ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, type TestServer } from '../../support/server.ts';

/**
 * A year (2025) of one client's held-away money, built through the API: a checking account,
 * a credit card, a savings account, a brokerage account and a mortgage, with balances, a
 * salary, planted subscriptions and bills, a few fees, and seeded random everyday spending.
 * Every planted figure is kept here so tests can compute the expected answers by hand.
 */

export interface PlantedTransaction {
  account: AccountName;
  date: string;
  amount: number;
  type: 'Credit' | 'Debit';
  merchant?: string;
  description?: string;
  category?: string;
  is_fee?: boolean;
  is_transfer?: boolean;
  status?: string;
}

export type AccountName = 'checking' | 'card' | 'savings' | 'brokerage' | 'mortgage';

export interface PlantedSeries {
  merchant: string;
  frequency: 'weekly' | 'monthly' | 'quarterly' | 'yearly';
  dates: string[];
  amounts: number[];
}

export interface Household {
  clientId: string;
  username: string;
  password: string;
  accounts: Record<AccountName, string>;
  transactions: PlantedTransaction[];
  series: PlantedSeries[];
  /** Balances recorded, oldest first per account. */
  balances: { account: AccountName; date: string; balance: number }[];
}

/** A small seeded generator (mulberry32), so the noise is the same on every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const day = (month: number, date: number) => `2025-${String(month).padStart(2, '0')}-${String(date).padStart(2, '0')}`;
const round2 = (value: number) => Math.round(value * 100) / 100;

function plantedSeries(): PlantedSeries[] {
  // A streaming service billed around the 5th with a little jitter in day and amount.
  const streamShift = [0, 1, -1, 0, 2, 0, 0, -2, 1, 0, 0, 1];
  const streamJitter = [0, 0.12, -0.1, 0.05, 0, -0.2, 0.18, 0, 0.07, -0.05, 0.1, 0];
  const streaming: PlantedSeries = {
    merchant: 'StreamFlix',
    frequency: 'monthly',
    dates: streamShift.map((shift, i) => day(i + 1, 5 + shift)),
    amounts: streamJitter.map((j) => round2(15.49 + j)),
  };
  const insurance: PlantedSeries = { merchant: 'SafeHome Insurance', frequency: 'quarterly', dates: ['2025-01-15', '2025-04-15', '2025-07-16', '2025-10-14'], amounts: [320, 320, 320, 320] };
  const gymDates = Array.from({ length: 10 }, (_, i) => new Date(Date.UTC(2025, 2, 3 + 7 * i)).toISOString().slice(0, 10));
  const gym: PlantedSeries = { merchant: 'City Gym', frequency: 'weekly', dates: gymDates, amounts: gymDates.map(() => 12) };
  const rent: PlantedSeries = {
    merchant: 'Oak Street Rentals',
    frequency: 'monthly',
    dates: Array.from({ length: 12 }, (_, i) => day(i + 1, 2)),
    amounts: Array.from({ length: 12 }, () => 1500),
  };
  return [streaming, insurance, gym, rent];
}

const NOISE_MERCHANTS = [
  ['Green Grocer', 'Groceries'],
  ['Corner Coffee', 'Restaurants'],
  ['Fuel Stop', 'Gas'],
  ['Page Turner Books', 'Shopping'],
  ['Bistro Nine', 'Restaurants'],
] as const;

function plantedTransactions(series: PlantedSeries[]): PlantedTransaction[] {
  const random = seeded(20250101);
  const transactions: PlantedTransaction[] = [];
  for (let month = 1; month <= 12; month += 1) {
    transactions.push({ account: 'checking', date: day(month, 1), amount: 4000, type: 'Credit', merchant: 'Acme Corp Payroll', category: 'Income' });
    transactions.push({ account: 'checking', date: day(month, 20), amount: 600, type: 'Debit', description: 'Credit card payment', category: 'Transfer', is_transfer: true });
  }
  const seriesAccount: Record<string, AccountName> = { StreamFlix: 'card', 'SafeHome Insurance': 'checking', 'City Gym': 'card', 'Oak Street Rentals': 'checking' };
  const seriesCategory: Record<string, string> = { StreamFlix: 'Entertainment', 'SafeHome Insurance': 'Insurance', 'City Gym': 'Health', 'Oak Street Rentals': 'Housing' };
  for (const s of series) {
    s.dates.forEach((date, i) =>
      transactions.push({ account: seriesAccount[s.merchant], date, amount: s.amounts[i], type: 'Debit', merchant: s.merchant, category: seriesCategory[s.merchant] }),
    );
  }
  // A one-off purchase from a subscription merchant, far from its usual amount.
  transactions.push({ account: 'card', date: '2025-06-21', amount: 49.99, type: 'Debit', merchant: 'StreamFlix', category: 'Entertainment' });
  for (let i = 0; i < 90; i += 1) {
    const [merchant, category] = NOISE_MERCHANTS[Math.floor(random() * NOISE_MERCHANTS.length)];
    const date = new Date(Date.UTC(2025, 0, 1 + Math.floor(random() * 365))).toISOString().slice(0, 10);
    transactions.push({ account: 'card', date, amount: round2(5 + random() * 145), type: 'Debit', merchant, category });
  }
  transactions.push(...FEES);
  // A pending purchase, to be left out by a status scope.
  transactions.push({ account: 'card', date: '2025-12-30', amount: 75, type: 'Debit', merchant: 'Page Turner Books', category: 'Shopping', status: 'pending' });
  return transactions.map((t) => ({ status: 'posted', ...t }));
}

/** Fees, each found by a different rule; the overdraft fee of August is refunded. */
export const FEES: PlantedTransaction[] = [
  { account: 'checking', date: '2025-03-10', amount: 35, type: 'Debit', description: 'Overdraft fee', category: 'Bank Fees' },
  { account: 'checking', date: '2025-08-22', amount: 35, type: 'Debit', description: 'Overdraft fee', category: 'Bank Fees' },
  { account: 'checking', date: '2025-08-25', amount: 35, type: 'Credit', description: 'Overdraft fee refund', category: 'Bank Fees' },
  { account: 'checking', date: '2025-02-03', amount: 3, type: 'Debit', description: 'ATM withdrawal fee', merchant: 'Downtown ATM' },
  { account: 'checking', date: '2025-06-20', amount: 3, type: 'Debit', description: 'ATM withdrawal fee', merchant: 'Downtown ATM' },
  { account: 'card', date: '2025-07-02', amount: 2.55, type: 'Debit', description: 'Foreign transaction fee', category: 'Fees & Charges' },
  { account: 'card', date: '2025-09-15', amount: 39, type: 'Debit', description: 'Late payment', category: 'Service Charge' },
  { account: 'checking', date: '2025-11-05', amount: 25, type: 'Debit', description: 'Outgoing wire', is_fee: true },
];

const ACCOUNTS: Record<AccountName, Record<string, unknown>> = {
  checking: { account_name: 'Everyday Checking', institution_name: 'First Bank', category: 'Bank Account', is_asset: true, is_cash: true },
  card: { account_name: 'Rewards Card', institution_name: 'First Bank', category: 'Credit Card', is_asset: false, credit_limit: 5000 },
  savings: { account_name: 'Rainy Day Savings', institution_name: 'First Bank', category: 'Bank Account', is_asset: true, is_cash: true },
  brokerage: { account_name: 'Index Brokerage', institution_name: 'Broker Co', category: 'Investment', is_asset: true, is_investment: true },
  mortgage: { account_name: 'Home Mortgage', institution_name: 'Home Lender', category: 'Mortgage', is_asset: false },
};

/** Balances over the year; the latest of each account is what it stands at on 2025-12-31. */
export const BALANCES: { account: AccountName; date: string; balance: number }[] = [
  { account: 'checking', date: '2025-01-01', balance: 2500 },
  { account: 'savings', date: '2025-01-01', balance: 8000 },
  { account: 'brokerage', date: '2025-01-01', balance: 30000 },
  { account: 'mortgage', date: '2025-01-01', balance: 200000 },
  { account: 'card', date: '2025-01-01', balance: 400 },
  { account: 'checking', date: '2025-06-30', balance: 3100.5 },
  { account: 'card', date: '2025-06-30', balance: 950.25 },
  { account: 'mortgage', date: '2025-06-30', balance: 197500 },
  { account: 'checking', date: '2025-12-31', balance: 4200.75 },
  { account: 'savings', date: '2025-12-31', balance: 9000 },
  { account: 'brokerage', date: '2025-12-31', balance: 33500.1 },
  { account: 'mortgage', date: '2025-12-31', balance: 195000 },
  { account: 'card', date: '2025-12-31', balance: 1200.4 },
];

async function create(server: TestServer, entity: string, body: Record<string, unknown>): Promise<string> {
  const created = await server.request('POST', `/nucleus/v1/${entity}`, { body });
  assert.equal(created.status, 201, `${entity}: ${JSON.stringify(created.body)}`);
  return created.body.id;
}

/** In small batches: the server is shared with other work. */
async function inBatches<T>(items: T[], size: number, each: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(each));
}

export async function buildHousehold(server: TestServer, name: string): Promise<Household> {
  const username = `${name}@example.com`;
  const password = `${name}-has-a-long-password`;
  const clientId = await create(server, 'client', { username, client_type: 'individual', first_name: name, income: 60000, password, authorities: ['ROLE_CLIENT'] });
  const accounts = {} as Record<AccountName, string>;
  for (const [key, body] of Object.entries(ACCOUNTS) as [AccountName, Record<string, unknown>][]) {
    accounts[key] = await create(server, 'aggregation_account', { ...body, client_id: clientId, currency_code: 'USD' });
  }
  await inBatches(BALANCES, 8, (b) =>
    create(server, 'aggregation_account_balance', { aggregation_account_id: accounts[b.account], currency_code: 'USD', balance: b.balance, balance_time_stamp: `${b.date}T12:00:00.000Z` }),
  );
  const series = plantedSeries();
  const transactions = plantedTransactions(series);
  await inBatches(transactions, 10, (t) =>
    create(server, 'aggregation_account_transaction', {
      aggregation_account_id: accounts[t.account],
      currency_code: 'USD',
      transaction_date: `${t.date}T10:00:00.000Z`,
      status: t.status,
      ...(t.is_fee ? { is_fee: true } : {}),
      ...(t.is_transfer ? { is_transfer: true } : {}),
      bank_credit: {
        amount: t.amount,
        transaction_type: t.type,
        ...(t.merchant ? { merchant: t.merchant } : {}),
        ...(t.description ? { description: t.description } : {}),
        ...(t.category ? { category: t.category } : {}),
      },
    }),
  );
  return { clientId, username, password, accounts, transactions, series, balances: BALANCES };
}

/** A token of the client logged in as itself (ROLE_CLIENT). */
export async function clientToken(server: TestServer, household: Household): Promise<string> {
  const login = await server.token(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, { grant_type: 'password', username: household.username, password: household.password });
  assert.equal(login.status, 200, JSON.stringify(login.body));
  return login.body.access_token;
}
