import type { Row } from '../../platform/read/entity-reader.ts';
import { ZERO, type Decimal } from '../money.ts';
import type { BalanceRecord } from './aggregation-data.ts';

/** What an account stood at on a day: its latest balance recorded on or before it. */
export interface Standing {
  account: Row<'aggregation_account'>;
  isAsset: boolean;
  balance: Decimal;
  day: string;
}

export interface NetWorth {
  assets: Decimal;
  liabilities: Decimal;
  standings: Standing[];
}

/** An account counts as an asset unless it is recorded as not one (a loan, a credit card). */
export function isAsset(account: Row<'aggregation_account'>): boolean {
  return account.doc.is_asset !== false;
}

/**
 * The accounts' standings on a day, their balances expressed by `value` (which converts a
 * balance into the reporting currency as of that day). Accounts with no balance by then are
 * left out. Records must be oldest first.
 */
export function netWorthOn(day: string, accounts: readonly Row<'aggregation_account'>[], records: readonly BalanceRecord[], value: (record: BalanceRecord) => Decimal): NetWorth {
  const latest = new Map<string, BalanceRecord>();
  for (const record of records) if (record.day <= day) latest.set(record.accountId, record);
  const standings: Standing[] = [];
  for (const account of accounts) {
    const record = latest.get(account.id);
    if (record) standings.push({ account, isAsset: isAsset(account), balance: value(record), day: record.day });
  }
  const total = (asset: boolean) => standings.filter((s) => s.isAsset === asset).reduce((sum, s) => sum.plus(s.balance), ZERO);
  return { assets: total(true), liabilities: total(false), standings };
}
