import { cents, ratio, ZERO, type Decimal } from '../money.ts';
import { addDays, type DaySpan } from '../calendar.ts';

export interface CashAccount {
  id: string;
  name: string;
}

/** A balance recorded for an account on a day, in its own currency. */
export interface BalanceRecord {
  accountId: string;
  day: string;
  /** Orders records of the same day: the later one holds. */
  at: string;
  amount: Decimal;
  currency: string;
}

/** Expresses an amount in the report currency at the rate in force on a day. */
export type Convert = (amount: Decimal, currency: string, day: string) => Decimal;

export interface CashMovement {
  accountId: string;
  day: string;
  direction: 'in' | 'out';
  amount: Decimal;
  category: string | null;
}

export interface CashAnalysisInput {
  accounts: CashAccount[];
  balances: BalanceRecord[];
  convert: Convert;
  movements: CashMovement[];
  window: DaySpan;
  history: DaySpan[] | null;
  inflowDetails: boolean;
  outflowDetails: boolean;
}

/**
 * What an account held at the end of a day: its latest balance record on or before it,
 * valued at that day's rate.
 */
function balanceOn(balances: BalanceRecord[], convert: Convert, accountId: string, day: string): Decimal {
  let latest: BalanceRecord | undefined;
  for (const record of balances) {
    if (record.accountId !== accountId || record.day > day) continue;
    if (!latest || record.day > latest.day || (record.day === latest.day && record.at > latest.at)) latest = record;
  }
  return latest ? convert(latest.amount, latest.currency, day) : ZERO;
}

const totalOf = (movements: CashMovement[]) => movements.reduce((sum, m) => sum.plus(m.amount), ZERO);

function flows(movements: CashMovement[]) {
  const inflows = totalOf(movements.filter((m) => m.direction === 'in'));
  const outflows = totalOf(movements.filter((m) => m.direction === 'out'));
  return { inflows: cents(inflows), outflows: cents(outflows), net_cash_flow: cents(inflows.minus(outflows)) };
}

function byCategory(movements: CashMovement[]) {
  const total = totalOf(movements);
  const groups = new Map<string | null, CashMovement[]>();
  for (const m of movements) groups.set(m.category, [...(groups.get(m.category) ?? []), m]);
  return [...groups.entries()]
    .map(([category, members]) => ({ category, amount: totalOf(members), transaction_count: members.length }))
    .sort((a, b) => b.amount.cmp(a.amount) || (a.category ?? '').localeCompare(b.category ?? ''))
    .map((group) => ({ ...group, amount: cents(group.amount), share: total.isZero() ? null : ratio(group.amount.div(total)) }));
}

/** Balances and cash flows of the cash accounts over the window. */
export function analyzeCash(input: CashAnalysisInput) {
  const { accounts, window } = input;
  const balanceOf = (accountId: string, day: string) => balanceOn(input.balances, input.convert, accountId, day);
  const movements = input.movements.filter((m) => m.day >= window.start && m.day <= window.end);
  const dayBefore = addDays(window.start, -1);
  const held = (day: string) => accounts.reduce((sum, a) => sum.plus(balanceOf(a.id, day)), ZERO);
  const opening = held(dayBefore);
  const closing = held(window.end);
  return {
    summary: {
      account_count: accounts.length,
      opening_balance: cents(opening),
      closing_balance: cents(closing),
      balance_change: cents(closing.minus(opening)),
      ...flows(movements),
      inflow_count: movements.filter((m) => m.direction === 'in').length,
      outflow_count: movements.filter((m) => m.direction === 'out').length,
    },
    accounts: [...accounts]
      .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id))
      .map((account) => ({
        aggregation_account_id: account.id,
        account_name: account.name,
        opening_balance: cents(balanceOf(account.id, dayBefore)),
        closing_balance: cents(balanceOf(account.id, window.end)),
        ...flows(movements.filter((m) => m.accountId === account.id)),
      })),
    history: input.history
      ? input.history.map((period) => ({
          period_start: period.start,
          period_end: period.end,
          ...flows(movements.filter((m) => m.day >= period.start && m.day <= period.end)),
          closing_balance: cents(held(period.end)),
        }))
      : null,
    inflow_details: input.inflowDetails ? byCategory(movements.filter((m) => m.direction === 'in')) : null,
    outflow_details: input.outflowDetails ? byCategory(movements.filter((m) => m.direction === 'out')) : null,
  };
}

