import type { SqlParams } from '../../platform/list/filter.ts';
import type { Doc } from '../../platform/entity/store.ts';
import type { Row, ViewReader } from '../../nucleus/views/reader.ts';
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
export async function householdClients(reader: ViewReader, householdId: string): Promise<string[]> {
  const household = await reader.doc('household', householdId);
  const members = Array.isArray(household.members) ? (household.members as { client_id?: string }[]) : [];
  return [...new Set(members.map((m) => m.client_id).filter((id): id is string => typeof id === 'string'))];
}

/** The clients a request is about: its client, or its household's members. */
export async function requestClients(reader: ViewReader, body: { client_id?: string; household_id?: string }): Promise<string[]> {
  const clients = body.client_id ? [body.client_id] : [];
  if (body.household_id) clients.push(...(await householdClients(reader, body.household_id)));
  return [...new Set(clients)];
}

/** The aggregation accounts analysed: the named ones, or every one whose client_id is one of the clients. */
export async function aggregationAccounts(reader: ViewReader, holdings: Holdings): Promise<Row[]> {
  if (holdings.aggregationAccountIds) return reader.byIds('aggregation_account', holdings.aggregationAccountIds);
  if (holdings.clientIds.length === 0) return [];
  return reader.select('aggregation_account', (p) => `r.doc->>'client_id' = ANY(${p.add([...holdings.clientIds])}::text[])`, {
    tail: 'ORDER BY r.create_date, r.id',
  });
}

/** The Nucleus accounts analysed: the named ones, or every one listing one of the clients. */
export async function internalAccounts(reader: ViewReader, holdings: Holdings): Promise<Row[]> {
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
export async function balanceRecords(reader: ViewReader, accountIds: readonly string[], untilDay?: string): Promise<BalanceRecord[]> {
  if (accountIds.length === 0) return [];
  const rows = await reader.select<{ account: string; stamp: string; balance: string | null; currency: string | null }>(
    'aggregation_account_balance',
    (p) => {
      const until = untilDay ? ` AND coalesce(r.doc->>'balance_time_stamp', to_char(r.create_date AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) < ${p.add(addDays(untilDay, 1))}` : '';
      return `r.doc->>'aggregation_account_id' = ANY(${p.add([...accountIds])}::text[]) AND r.doc->>'balance' IS NOT NULL
        AND coalesce((r.doc->>'is_active')::boolean, true)${until}`;
    },
    {
      columns: `r.doc->>'aggregation_account_id' AS account,
        coalesce(r.doc->>'balance_time_stamp', to_char(r.create_date AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) || '|' ||
          to_char(r.create_date AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') AS stamp,
        r.doc->>'balance' AS balance, r.doc->>'currency_code' AS currency`,
      tail: 'ORDER BY 2',
    },
  );
  return rows.map((row) => ({
    accountId: row.account,
    day: row.stamp.slice(0, 10),
    at: row.stamp,
    balance: new Decimal(row.balance ?? 0),
    currency: row.currency ?? undefined,
  }));
}

/** Rows whose text date field falls in the range (stored date-times are canonical UTC, so text order is time order). */
function dated(field: string, range: DayRange, params: SqlParams): string {
  const parts = [];
  if (range.start !== undefined) parts.push(`r.doc->>'${field}' >= ${params.add(range.start)}`);
  if (range.end !== undefined) parts.push(`r.doc->>'${field}' < ${params.add(addDays(range.end, 1))}`);
  return parts.join(' AND ') || 'true';
}

function commonFilters(filter: TransactionFilter, params: SqlParams): string {
  const parts = [];
  if (filter.statuses) parts.push(`r.doc->>'status' = ANY(${params.add([...filter.statuses])}::text[])`);
  if (filter.currencyCode) parts.push(`r.doc->>'currency_code' = ${params.add(filter.currencyCode)}`);
  return parts.join(' AND ') || 'true';
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

function externalTransaction(row: Row): MoneyTransaction | undefined {
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
  const investment = doc.investment as Doc | undefined;
  if (investment) {
    const value = investment.value !== undefined ? new Decimal(investment.value as number) : new Decimal(investment.price as number).times(investment.quantity as number);
    const fee = investment.fee === undefined ? undefined : new Decimal(investment.fee as number);
    return {
      ...base,
      amount: value.abs(),
      flow: /sell/i.test(String(investment.trade_signal)) ? 'inflow' : 'outflow',
      isTrade: true,
      tradeFee: fee && !fee.isZero() ? fee.abs() : undefined,
      description: text(investment.ticker_name) ?? text(investment.ticker),
    };
  }
  const bank = doc.bank_credit as Doc | undefined;
  if (bank) {
    const amount = new Decimal(bank.amount as number);
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
  const cash = doc.cash as Doc | undefined;
  if (cash) {
    const amount = new Decimal(cash.amount as number);
    return { ...base, amount: amount.abs(), flow: flowOf(cash.transaction_type, amount, /deposit/i, /withdraw/i), isTrade: false, description: text(cash.name) };
  }
  return undefined;
}

/**
 * Transactions of aggregation accounts in the filter's window, leaving out those marked
 * is_excluded_analysis and those with neither a bank, cash nor investment part.
 */
export async function aggregationTransactions(reader: ViewReader, accountIds: readonly string[], filter: TransactionFilter): Promise<MoneyTransaction[]> {
  if (accountIds.length === 0) return [];
  const rows = await reader.select(
    'aggregation_account_transaction',
    (p) =>
      `r.doc->>'aggregation_account_id' = ANY(${p.add([...accountIds])}::text[]) AND ${dated('transaction_date', filter.range, p)}
       AND ${commonFilters(filter, p)} AND coalesce((r.doc->>'is_excluded_analysis')::boolean, false) = false` +
      (filter.onlyCleansed ? ` AND r.doc->'bank_credit'->>'category' IS NOT NULL` : ''),
    { tail: `ORDER BY r.doc->>'transaction_date', r.create_date, r.id` },
  );
  return rows.map(externalTransaction).filter((t): t is MoneyTransaction => t !== undefined);
}

/**
 * Portfolio transactions of Nucleus accounts in the filter's window. Their transaction code
 * says the direction: a deposit comes in, anything else goes out; one naming a security is a
 * trade.
 */
export async function portfolioTransactions(reader: ViewReader, accountIds: readonly string[], filter: TransactionFilter): Promise<MoneyTransaction[]> {
  if (accountIds.length === 0) return [];
  const rows = await reader.select(
    'portfolio_transaction',
    (p) =>
      `r.doc->>'account_id' = ANY(${p.add([...accountIds])}::text[]) AND ${dated('date', filter.range, p)} AND ${commonFilters(filter, p)}` +
      (filter.onlyCleansed ? ` AND (r.doc->>'is_cleansed')::boolean IS TRUE` : ''),
    { tail: `ORDER BY r.doc->>'date', r.create_date, r.id` },
  );
  const codeIds = [...new Set(rows.map((r) => String(r.doc.transaction_code_id)))];
  const codes = new Map((await reader.byIds('transaction_code', codeIds)).map((c) => [c.id, c.doc]));
  return rows
    .filter((row) => row.doc.amount !== undefined)
    .map((row) => {
      const doc = row.doc;
      const code = codes.get(String(doc.transaction_code_id)) ?? {};
      const amount = new Decimal(doc.amount as number);
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
export async function scopedTransactions(reader: ViewReader, holdings: Holdings, scope: SourceScope, filter: TransactionFilter): Promise<MoneyTransaction[]> {
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
  reader: ViewReader,
  figures: readonly { currency?: string; day: string }[],
  conversion: string | undefined,
): Promise<Currency> {
  if (conversion) {
    const lastDay = figures.reduce((max, f) => (f.day > max ? f.day : max), '0000-01-01');
    return { code: conversion, converter: await converterFor(reader.entities, conversion, figures.map((f) => f.currency), lastDay) };
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
