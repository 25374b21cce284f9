import type { DocOf, EntityReader, Row } from '../../platform/read/entity-reader.ts';
import type { FieldExpressions } from '../../platform/read/fields.ts';
import { accountsOfClients } from '../../nucleus/views/ownership.ts';
import { converterFor, type Converter } from '../../platform/money/fx.ts';
import { dayOf, type DayRange } from '../../platform/calendar/days.ts';
import { CalculationError } from '../calculation-error.ts';
import { Decimal, ZERO } from '../money.ts';
import { addDays } from '../calendar.ts';

/**
 * The money a client's accounts show, read from Nucleus with the caller's rights and the
 * filters a request names: held-away (aggregation) accounts with their balances and
 * transactions, and the portfolio transactions of the client's own accounts. Shared by every
 * analysis of spending, income and wealth.
 */

/** Where a transaction was recorded: an aggregation account (external) or a Nucleus account (internal). */
export type Source = 'external' | 'internal';
export type SourceScope = 'all' | Source;
export type Flow = 'inflow' | 'outflow';

export interface MoneyTransaction {
  id: string;
  source: Source;
  /** aggregation_account_id for an external transaction, account_id for an internal one. */
  accountId: string;
  day: string;
  /** Always positive; `flow` says which way it went. Converted once the currency is settled. */
  amount: Decimal;
  flow: Flow;
  currency?: string;
  /** A trade moves money between cash and securities: neither income nor spending. */
  isTrade: boolean;
  /** The fee charged on a trade, apart from its amount. */
  tradeFee?: Decimal;
  category?: string;
  subcategory?: string;
  merchant?: string;
  description?: string;
  status?: string;
  isFee: boolean;
  isTransfer: boolean;
  isRecurring: boolean;
}

export interface TransactionFilter {
  /** Days included, both ends. */
  range: DayRange;
  /** Only transactions whose status is one of these; every status when null. */
  statuses?: readonly string[] | null;
  /**
   * Only cleansed transactions: portfolio transactions marked is_cleansed, and aggregation
   * transactions that carry a category (they have no cleansing mark; categorising is what
   * cleansing does to them, as the business cash analysis reads it too).
   */
  onlyCleansed?: boolean;
  /** Only transactions recorded in this currency. */
  currencyCode?: string;
}

/** Whose accounts an analysis covers: named ids win over the ones found through the clients. */
export interface Holdings {
  clientIds: readonly string[];
  aggregationAccountIds?: readonly string[] | null;
  accountIds?: readonly string[] | null;
}

/** The clients of a household's members; 404 when the caller cannot see the household. */
export async function householdClients(reader: EntityReader, householdId: string): Promise<string[]> {
  const household = await reader.doc('household', householdId);
  return [...new Set((household.members ?? []).map((m) => m.client_id))];
}

/** The clients a request is about: its client, or its household's members. */
export async function requestClients(reader: EntityReader, body: { client_id?: string; household_id?: string }): Promise<string[]> {
  const clients = body.client_id ? [body.client_id] : [];
  if (body.household_id) clients.push(...(await householdClients(reader, body.household_id)));
  return [...new Set(clients)];
}

/** The aggregation accounts analysed: the named ones, or every one whose client_id is one of the clients. */
export async function aggregationAccounts(reader: EntityReader, holdings: Holdings): Promise<Row<'aggregation_account'>[]> {
  if (holdings.aggregationAccountIds) return reader.byIds('aggregation_account', holdings.aggregationAccountIds);
  if (holdings.clientIds.length === 0) return [];
  return reader.rows('aggregation_account', {
    where: { client_id: { in: holdings.clientIds } },
    order: (f) => `${f.column('create_date')}, ${f.column('id')}`,
  });
}

/** The Nucleus accounts analysed: the named ones, or every one listing one of the clients. */
export async function internalAccounts(reader: EntityReader, holdings: Holdings): Promise<Row<'account'>[]> {
  if (holdings.accountIds) return reader.byIds('account', holdings.accountIds);
  return accountsOfClients(reader, holdings.clientIds);
}

/** One recorded balance of an aggregation account. */
export interface BalanceRecord {
  accountId: string;
  day: string;
  /** Orders the records of one account: the stamped time, then the time stored. */
  at: string;
  balance: Decimal;
  currency?: string;
}

/**
 * The balances of the accounts recorded up to the end of `untilDay` (every one when absent),
 * oldest first. A balance is dated by balance_time_stamp, or when it was stored if unstamped;
 * inactive balance records are left out.
 */
export async function balanceRecords(reader: EntityReader, accountIds: readonly string[], untilDay?: string): Promise<BalanceRecord[]> {
  if (accountIds.length === 0) return [];
  const rows = await reader.rows<'aggregation_account_balance', { account: string; stamp: string; balance: string | null; currency: string | null }>('aggregation_account_balance', {
    where: { aggregation_account_id: { in: accountIds }, balance: { not: null }, is_active: { not: false } },
    and: untilDay ? (f, p) => `${balanceTime(f)} < ${p.add(addDays(untilDay, 1))}` : undefined,
    columns: (f) => `${f.text('aggregation_account_id')} AS account,
      ${balanceTime(f)} || '|' || to_char(${f.column('create_date')} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') AS stamp,
      ${f.text('balance')} AS balance, ${f.text('currency_code')} AS currency`,
    order: () => 'stamp',
  });
  return rows.map((row) => ({
    accountId: row.account,
    day: row.stamp.slice(0, 10),
    at: row.stamp,
    balance: new Decimal(row.balance ?? 0),
    currency: row.currency ?? undefined,
  }));
}

/** When a balance was recorded: its balance_time_stamp, or the time it was stored, in the same canonical text. */
function balanceTime(f: FieldExpressions<'aggregation_account_balance'>): string {
  return `coalesce(${f.text('balance_time_stamp')}, to_char(${f.column('create_date')} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))`;
}

/** Bounds on a date field for the days of a range (stored date-times are canonical UTC, so text order is time order). */
function dated(range: DayRange): { gte?: string; lt?: string } | undefined {
  if (range.start === undefined && range.end === undefined) return undefined;
  return { gte: range.start, lt: range.end === undefined ? undefined : addDays(range.end, 1) };
}

function commonFilters(filter: TransactionFilter): { status?: { in: readonly string[] }; currency_code?: string } {
  return { status: filter.statuses ? { in: filter.statuses } : undefined, currency_code: filter.currencyCode || undefined };
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** Which way money moved, from the recorded type; a negative amount reverses it. */
function flowOf(type: unknown, amount: Decimal, inflow: RegExp, outflow: RegExp): Flow {
  const name = typeof type === 'string' ? type : '';
  const stated: Flow | undefined = inflow.test(name) ? 'inflow' : outflow.test(name) ? 'outflow' : undefined;
  if (!stated) return amount.isNegative() ? 'outflow' : 'inflow';
  if (!amount.isNegative()) return stated;
  return stated === 'inflow' ? 'outflow' : 'inflow';
}

function externalTransaction(row: Row<'aggregation_account_transaction'>): MoneyTransaction | undefined {
  const doc = row.doc;
  const base = {
    id: row.id,
    source: 'external' as const,
    accountId: String(doc.aggregation_account_id),
    day: dayOf(String(doc.transaction_date)),
    currency: text(doc.currency_code),
    status: text(doc.status),
    isFee: doc.is_fee === true,
    isTransfer: doc.is_transfer === true,
    isRecurring: doc.is_recurring === true,
  };
  // A trade may also carry the bank's side of it; it is still a trade, not spending or income.
  const investment = doc.investment;
  if (investment) {
    const value = investment.value !== undefined ? new Decimal(investment.value) : new Decimal(investment.price).times(investment.quantity);
    const fee = investment.fee === undefined ? undefined : new Decimal(investment.fee);
    return {
      ...base,
      amount: value.abs(),
      flow: /sell/i.test(String(investment.trade_signal)) ? 'inflow' : 'outflow',
      isTrade: true,
      tradeFee: fee && !fee.isZero() ? fee.abs() : undefined,
      description: text(investment.ticker_name) ?? text(investment.ticker),
    };
  }
  const bank = doc.bank_credit;
  if (bank) {
    const amount = new Decimal(bank.amount);
    return {
      ...base,
      amount: amount.abs(),
      flow: flowOf(bank.transaction_type, amount, /^credit$/i, /^debit$/i),
      isTrade: false,
      category: text(bank.category),
      subcategory: text(bank.subcategory),
      merchant: text(bank.merchant),
      description: text(bank.description) ?? text(bank.memo),
    };
  }
  const cash = doc.cash;
  if (cash) {
    const amount = new Decimal(cash.amount);
    return { ...base, amount: amount.abs(), flow: flowOf(cash.transaction_type, amount, /deposit/i, /withdraw/i), isTrade: false, description: text(cash.name) };
  }
  return undefined;
}

/**
 * Transactions of aggregation accounts in the filter's window, leaving out those marked
 * is_excluded_analysis and those with neither a bank, cash nor investment part.
 */
export async function aggregationTransactions(reader: EntityReader, accountIds: readonly string[], filter: TransactionFilter): Promise<MoneyTransaction[]> {
  if (accountIds.length === 0) return [];
  const rows = await reader.rows('aggregation_account_transaction', {
    where: {
      aggregation_account_id: { in: accountIds },
      transaction_date: dated(filter.range),
      ...commonFilters(filter),
      is_excluded_analysis: { not: true },
    },
    and: filter.onlyCleansed ? (f) => `${f.text('bank_credit.category')} IS NOT NULL` : undefined,
    order: (f) => `${f.text('transaction_date')}, ${f.column('create_date')}, ${f.column('id')}`,
  });
  return rows.map(externalTransaction).filter((t): t is MoneyTransaction => t !== undefined);
}

/**
 * Portfolio transactions of Nucleus accounts in the filter's window. Their transaction code
 * says the direction: a deposit comes in, anything else goes out; one naming a security is a
 * trade.
 */
export async function portfolioTransactions(reader: EntityReader, accountIds: readonly string[], filter: TransactionFilter): Promise<MoneyTransaction[]> {
  if (accountIds.length === 0) return [];
  const rows = await reader.rows('portfolio_transaction', {
    where: {
      account_id: { in: accountIds },
      date: dated(filter.range),
      ...commonFilters(filter),
      is_cleansed: filter.onlyCleansed ? true : undefined,
    },
    order: (f) => `${f.text('date')}, ${f.column('create_date')}, ${f.column('id')}`,
  });
  const codeIds = [...new Set(rows.map((r) => String(r.doc.transaction_code_id)))];
  const codes = new Map((await reader.byIds('transaction_code', codeIds)).map((c) => [c.id, c.doc]));
  return rows
    .filter((row) => row.doc.amount !== undefined)
    .map((row) => {
      const doc = row.doc;
      const code: Partial<DocOf<'transaction_code'>> = codes.get(String(doc.transaction_code_id)) ?? {};
      const amount = new Decimal(doc.amount!);
      const deposit = code.is_deposit === true;
      const stated: Flow = deposit ? 'inflow' : 'outflow';
      return {
        id: row.id,
        source: 'internal' as const,
        accountId: String(doc.account_id),
        day: dayOf(String(doc.date)),
        amount: amount.abs(),
        flow: amount.isNegative() ? (stated === 'inflow' ? 'outflow' : 'inflow') : stated,
        currency: text(doc.currency_code),
        isTrade: doc.security_id !== undefined,
        category: text(doc.category) ?? text(code.category),
        subcategory: text(doc.subcategory) ?? text(code.subcategory),
        merchant: text(doc.merchant),
        description: text(doc.description) ?? text(doc.memo) ?? text(code.transaction_code_description),
        status: text(doc.status),
        isFee: code.is_fee === true,
        isTransfer: code.is_transfer === true,
        isRecurring: doc.is_recurring === true,
      };
    });
}

/** The transactions of a client's holdings in the scope asked for, external first, each in day order. */
export async function scopedTransactions(reader: EntityReader, holdings: Holdings, scope: SourceScope, filter: TransactionFilter): Promise<MoneyTransaction[]> {
  const external = scope === 'internal' ? [] : await aggregationTransactions(reader, (await aggregationAccounts(reader, holdings)).map((a) => a.id), filter);
  const internal = scope === 'external' ? [] : await portfolioTransactions(reader, (await internalAccounts(reader, holdings)).map((a) => a.id), filter);
  return [...external, ...internal];
}

/** Figures in one currency, and how to express any amount in it. */
export interface Currency {
  /** The common currency; undefined when no figure states one. */
  code?: string;
  converter?: Converter;
}

/**
 * Settles the one currency an analysis reports in: `conversion` when asked (every amount
 * converted at the stored FX rate of its day), otherwise the figures' own currency, which must
 * then be one (a 400 naming currency_conversion otherwise).
 */
export async function settleCurrency(
  reader: EntityReader,
  figures: readonly { currency?: string; day: string }[],
  conversion: string | undefined,
): Promise<Currency> {
  if (conversion) {
    const lastDay = figures.reduce((max, f) => (f.day > max ? f.day : max), '0000-01-01');
    return { code: conversion, converter: await converterFor(reader, conversion, figures.map((f) => f.currency), lastDay) };
  }
  const currencies = [...new Set(figures.map((f) => f.currency).filter((c): c is string => c !== undefined))].sort();
  if (currencies.length > 1) {
    throw new CalculationError('currency_conversion', `the figures are in ${currencies.join(', ')}; name one currency to convert them to`);
  }
  return { code: currencies[0] };
}

/** An amount of a figure expressed in the settled currency. */
export function inCurrency(currency: Currency, amount: Decimal, from: string | undefined, day: string): Decimal {
  return currency.converter ? currency.converter.convert(amount, from, day) : amount;
}

/** The transactions with their amounts (and trade fees) in the settled currency. */
export function convertTransactions(currency: Currency, transactions: MoneyTransaction[]): MoneyTransaction[] {
  if (!currency.converter) return transactions;
  return transactions.map((t) => ({
    ...t,
    amount: inCurrency(currency, t.amount, t.currency, t.day),
    tradeFee: t.tradeFee && inCurrency(currency, t.tradeFee, t.currency, t.day),
  }));
}

/** Sum of the amounts. */
export function sum(items: readonly { amount: Decimal }[]): Decimal {
  return items.reduce((total, item) => total.plus(item.amount), ZERO);
}
