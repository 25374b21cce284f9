import { latestValues } from '../nucleus/views/latest-values.ts';
import { Decimal, decimalOf, ZERO } from '../platform/money/money.ts';
import { portfoliosOf } from '../nucleus/views/ownership.ts';
import type { EntityReader } from '../platform/read/entity-reader.ts';
import { CalculationError } from './calculation-error.ts';

export interface NamedAccounts {
  account_ids?: string[] | null;
  aggregation_account_ids?: string[] | null;
}

interface Balance {
  field: 'account_ids' | 'aggregation_account_ids';
  currency?: string;
  value: Decimal;
}

/** Each account's value: the last asset size of every portfolio it holds. */
async function accountBalances(reader: EntityReader, ids: readonly string[]): Promise<Balance[]> {
  const balances: Balance[] = [];
  for (const id of ids) {
    const values = await latestValues(reader, await portfoliosOf(reader, { kind: 'account', id }));
    for (const value of values.values()) balances.push({ field: 'account_ids', currency: value.currency, value: value.value });
  }
  return balances;
}

/**
 * Each held-away account's last balance record. A liability (a card, a loan: is_asset false)
 * is money owed, so it counts against the balance rather than towards it.
 */
async function aggregationBalances(reader: EntityReader, ids: readonly string[]): Promise<Balance[]> {
  const accounts = await reader.byIds('aggregation_account', ids);
  const owed = new Set(accounts.filter((account) => account.doc.is_asset === false).map((account) => account.id));
  const rows = await reader.rows<'aggregation_account_balance', { account: string; balance: string | null; currency: string | null }>('aggregation_account_balance', {
    where: { aggregation_account_id: { in: ids } },
    columns: (f) => `${f.text('aggregation_account_id')} AS account, ${f.text('balance')} AS balance, ${f.text('currency_code')} AS currency`,
    firstPer: (f) => f.text('aggregation_account_id'),
    order: (f) => `${f.text('aggregation_account_id')}, ${f.value('balance_time_stamp')} DESC NULLS LAST, ${f.column('create_date')} DESC`,
  });
  return rows.map((row) => {
    const value = decimalOf(row.balance) ?? ZERO;
    return { field: 'aggregation_account_ids', currency: row.currency ?? undefined, value: owed.has(row.account) ? value.negated() : value };
  });
}

/**
 * The latest balances of the accounts and aggregation accounts a request names, added up.
 * Calculators carry no currency, so balances in more than one currency cannot be added and
 * are refused rather than summed as if they were one.
 */
export async function namedBalances(reader: EntityReader, named: NamedAccounts): Promise<Decimal> {
  const balances = [
    ...(named.account_ids?.length ? await accountBalances(reader, named.account_ids) : []),
    ...(named.aggregation_account_ids?.length ? await aggregationBalances(reader, named.aggregation_account_ids) : []),
  ];
  const currencies = [...new Set(balances.map((balance) => balance.currency).filter((code) => code !== undefined))].sort();
  if (currencies.length > 1) {
    const first = balances.find((balance) => balance.currency !== undefined)!.currency;
    const field = balances.find((balance) => balance.currency !== undefined && balance.currency !== first)!.field;
    throw new CalculationError(field, `the accounts' balances are in more than one currency (${currencies.join(', ')}) and cannot be added up`);
  }
  return balances.reduce((sum, balance) => sum.plus(balance.value), ZERO);
}
