import { WINDOW_UNITS, windowOf, type DayWindow, type WindowUnit } from './calendar-window.ts';

/**
 * The spending-control rules of card issuing, free of I/O: which controls a card transaction
 * falls under, what each window has already spent, and the decision on a new transaction.
 * Amounts are integer cents in the control's currency, so sums are exact.
 */

export const CARD_TRANSACTION_TYPES = ['purchase', 'atm_withdrawal', 'other'] as const;
export type CardTransactionType = (typeof CARD_TRANSACTION_TYPES)[number];

export const CONTROL_TYPES = ['spending_limit', 'transaction_limit', 'allow_list', 'deny_list'] as const;
export type ControlType = (typeof CONTROL_TYPES)[number];

/**
 * What control_values are matched against, by control_scope. `all` takes every transaction;
 * the transaction-type scopes take one type; the others compare control_values to a field.
 */
export const CONTROL_SCOPES = [
  'all',
  'purchase',
  'atm_withdrawal',
  'other',
  'merchant',
  'mid',
  'mcc',
  'merchant_category_code',
  'merchant_category',
  'transaction_category',
  'location',
  'country',
] as const;
export type ControlScope = (typeof CONTROL_SCOPES)[number];

/** A spending control's frequency units; one_time applies to each transaction on its own. */
export const CONTROL_UNITS = ['one_time', 'daily', 'weekly', 'monthly', 'quarterly', 'annually'] as const;

/** The facts of one card transaction that the controls look at. */
export interface CardSpend {
  /** UTC day of the transaction. */
  day: string;
  /** In the currency of the control being evaluated (see SpendingControl.currency). */
  cents: number;
  currency?: string;
  type: CardTransactionType;
  merchant?: string;
  merchantId?: string;
  mid?: string;
  mcc?: string;
  categoryId?: string;
  category?: string;
  country?: string;
  /** How many transactions this entry stands for, when it sums several alike (1 when absent). */
  count?: number;
}

export interface SpendingControl {
  id: string;
  type: string;
  scope: string;
  values: string[];
  /** limit_value as written: cents for a spending_limit, a count for a transaction_limit. */
  limit?: number;
  unit?: string;
  frequency: number;
  currency: string;
}

/** A control as the decision can use it, or why it cannot. */
export type CheckedControl = { ok: true } | { ok: false; problem: string };

function oneOf<T extends string>(list: readonly T[], value: string | undefined): value is T {
  return value !== undefined && (list as readonly string[]).includes(value);
}

export function checkControl(control: SpendingControl): CheckedControl {
  if (!oneOf(CONTROL_TYPES, control.type)) return { ok: false, problem: `control_type "${control.type}" is not one of ${CONTROL_TYPES.join(', ')}` };
  if (!oneOf(CONTROL_SCOPES, control.scope)) return { ok: false, problem: `control_scope "${control.scope}" is not one of ${CONTROL_SCOPES.join(', ')}` };
  if (control.type === 'spending_limit' || control.type === 'transaction_limit') {
    if (control.limit === undefined || control.limit < 0) return { ok: false, problem: `a ${control.type} needs a limit_value of zero or more` };
    if (!oneOf(CONTROL_UNITS, control.unit)) return { ok: false, problem: `a ${control.type} needs a frequency_unit, one of ${CONTROL_UNITS.join(', ')}` };
  }
  return { ok: true };
}

const same = (a: string | undefined, values: Set<string>) => a !== undefined && values.has(a.toLowerCase());

/** Whether a transaction falls under the control. Text is compared without regard to case. */
export function inScope(control: SpendingControl, spend: CardSpend): boolean {
  const values = new Set(control.values.map((v) => v.toLowerCase()));
  switch (control.scope) {
    case 'all':
      return true;
    case 'purchase':
    case 'atm_withdrawal':
    case 'other':
      return spend.type === control.scope;
    case 'merchant':
      return same(spend.merchantId, values) || same(spend.merchant, values);
    case 'mid':
      return same(spend.mid, values);
    case 'mcc':
    case 'merchant_category_code':
      return same(spend.mcc, values);
    case 'merchant_category':
    case 'transaction_category':
      return same(spend.categoryId, values) || same(spend.category, values);
    case 'location':
    case 'country':
      return same(spend.country, values);
    default:
      return false;
  }
}

/** The window a limit counts over for a transaction on `day`; null for a one_time limit. */
export function limitWindow(control: SpendingControl, day: string): DayWindow | null {
  if (control.unit === 'one_time' || !oneOf(WINDOW_UNITS, control.unit)) return null;
  return windowOf(day, control.unit as WindowUnit, Math.max(1, control.frequency));
}

export interface LimitUse {
  window: DayWindow | null;
  /** Cents spent (spending_limit) or transactions made (transaction_limit) in the window. */
  used: number;
  /** What is left before the limit, never below zero. */
  remaining: number;
}

/** How much of a limit control the earlier transactions used in the window holding `day`. */
export function limitUse(control: SpendingControl, day: string, earlier: readonly CardSpend[]): LimitUse {
  const window = limitWindow(control, day);
  let used = 0;
  if (window) {
    for (const spend of earlier) {
      if (spend.day < window.start || spend.day >= window.end || !inScope(control, spend)) continue;
      used += control.type === 'spending_limit' ? spend.cents : (spend.count ?? 1);
    }
  }
  return { window, used, remaining: Math.max(0, (control.limit ?? 0) - used) };
}

export type DeclineReason = 'inactive_card' | 'unsupported_control' | 'deny_list' | 'allow_list' | 'transaction_limit' | 'spending_limit';

export type Decision =
  | { approved: true; cents: number; partial: boolean; controlId: string | null }
  | { approved: false; reason: DeclineReason; controlId: string | null; message: string };

export interface DecisionInput {
  cardActive: boolean;
  spend: CardSpend;
  partialAuth: boolean;
  /** The controls that apply to the card's holder, in the order they are to be reported by. */
  controls: readonly SpendingControl[];
  /**
   * Earlier transactions (and approved holds) of the holder; `toControl` expresses one in a
   * control's currency, in cents.
   */
  earlier: readonly CardSpend[];
  toControl?: (spend: CardSpend, control: SpendingControl) => CardSpend;
}

const asIs = (spend: CardSpend) => spend;

/**
 * The decision on one transaction: lists first (a deny list that takes it or an allow list that
 * does not refuses it whatever the amount), then counts, then amounts. A spending limit the
 * amount overruns refuses it, unless partial authorization is allowed and every spending
 * limit leaves something: then the smallest remainder is approved.
 */
export function decide(input: DecisionInput): Decision {
  const { spend } = input;
  if (!input.cardActive) return { approved: false, reason: 'inactive_card', controlId: null, message: 'the card is deactivated, blocked or expired' };
  const toControl = input.toControl ?? asIs;
  const applying = [];
  for (const control of input.controls) {
    const checked = checkControl(control);
    if (!checked.ok) return { approved: false, reason: 'unsupported_control', controlId: control.id, message: checked.problem };
    const mine = toControl(spend, control);
    const matches = inScope(control, mine);
    if (control.type === 'deny_list' && matches) return { approved: false, reason: 'deny_list', controlId: control.id, message: 'the transaction is on a deny list' };
    if (control.type === 'allow_list' && !matches) return { approved: false, reason: 'allow_list', controlId: control.id, message: 'the transaction is not on an allow list' };
    if (matches && (control.type === 'spending_limit' || control.type === 'transaction_limit')) applying.push({ control, mine });
  }
  for (const { control, mine } of applying) {
    if (control.type !== 'transaction_limit') continue;
    const use = control.unit === 'one_time' ? { remaining: control.limit ?? 0 } : limitUse(control, mine.day, input.earlier.map((e) => toControl(e, control)));
    if (use.remaining < 1) return { approved: false, reason: 'transaction_limit', controlId: control.id, message: `the transaction limit of ${control.limit} per ${control.unit} is reached` };
  }
  let approvedCents = spend.cents;
  let tightest: { control: SpendingControl; remaining: number } | undefined;
  for (const { control, mine } of applying) {
    if (control.type !== 'spending_limit') continue;
    const remaining = control.unit === 'one_time' ? (control.limit ?? 0) : limitUse(control, mine.day, input.earlier.map((e) => toControl(e, control))).remaining;
    if (mine.cents <= remaining) continue;
    // Scaled back into the transaction's currency by the control's own conversion ratio.
    const fits = mine.cents === 0 ? 0 : Math.floor((remaining * spend.cents) / mine.cents);
    if (!tightest || fits < approvedCents) {
      tightest = { control, remaining };
      approvedCents = Math.min(approvedCents, fits);
    }
  }
  if (!tightest) return { approved: true, cents: spend.cents, partial: false, controlId: null };
  const { control } = tightest;
  if (input.partialAuth && approvedCents > 0) return { approved: true, cents: approvedCents, partial: true, controlId: control.id };
  return { approved: false, reason: 'spending_limit', controlId: control.id, message: `the amount is over what the spending limit of ${(control.limit ?? 0) / 100} ${control.currency} per ${control.unit} leaves` };
}
