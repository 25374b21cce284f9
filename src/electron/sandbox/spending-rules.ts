import { ProcessorRefusal, type SpendingControlData } from '../processor.ts';

/** What the sandbox knows of a purchase when it decides on it or counts it against a limit. */
export interface PurchaseFacts {
  amountMinor: bigint;
  merchant?: string;
  merchantId?: string;
  merchantCategoryCode?: string;
  transactionCategory?: string;
}

/**
 * Control types: a spending_limit caps the amount spent in the period, a transaction_limit the
 * number of purchases; an allow_list admits only purchases in its scope, a deny_list refuses
 * them. Scopes: all purchases, or those whose merchant (id or name), merchant category code or
 * transaction category is among control_values.
 */
const TYPES = ['spending_limit', 'transaction_limit', 'allow_list', 'deny_list'] as const;
const SCOPES = ['all', 'merchant', 'mcc', 'transaction_category'] as const;
const PERIODS = ['one_time', 'daily', 'weekly', 'monthly', 'quarterly', 'annually'] as const;

function oneOf<T extends string>(list: readonly T[], value: string | undefined): value is T {
  return value !== undefined && (list as readonly string[]).includes(value);
}

/** Refuses (400) a control the sandbox could not enforce as written. */
export function checkControl(control: SpendingControlData): void {
  const refuse = (message: string) => {
    throw new ProcessorRefusal('unsupported_spending_control', message, 400);
  };
  if (!oneOf(TYPES, control.control_type)) refuse(`control_type "${control.control_type}" is not one of ${TYPES.join(', ')}`);
  if (!oneOf(SCOPES, control.control_scope)) refuse(`control_scope "${control.control_scope}" is not one of ${SCOPES.join(', ')}`);
  if (control.control_scope !== 'all' && !control.control_values?.length) refuse(`control_scope ${control.control_scope} needs control_values`);
  if (control.control_type === 'spending_limit' || control.control_type === 'transaction_limit') {
    if (control.limit_value === undefined || control.limit_value < 0) refuse(`a ${control.control_type} needs a limit_value of zero or more`);
    if (!oneOf(PERIODS, control.frequency_unit)) refuse(`a ${control.control_type} needs a frequency_unit, one of ${PERIODS.join(', ')}`);
  }
}

export function inScope(control: SpendingControlData, purchase: PurchaseFacts): boolean {
  const values = control.control_values ?? [];
  switch (control.control_scope) {
    case 'all':
      return true;
    case 'merchant': {
      const names = new Set(values.map((v) => v.toLowerCase()));
      return (purchase.merchantId !== undefined && names.has(purchase.merchantId.toLowerCase())) || (purchase.merchant !== undefined && names.has(purchase.merchant.toLowerCase()));
    }
    case 'mcc':
      return purchase.merchantCategoryCode !== undefined && values.includes(purchase.merchantCategoryCode);
    case 'transaction_category':
      return purchase.transactionCategory !== undefined && values.includes(purchase.transactionCategory);
    default:
      return false;
  }
}

/** Where the control's current period began (UTC); a one_time limit counts everything ever spent. */
export function periodStart(frequencyUnit: string | undefined, now: Date): Date {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const d = now.getUTCDate();
  switch (frequencyUnit) {
    case 'daily':
      return new Date(Date.UTC(y, m, d));
    case 'weekly':
      // Weeks start on Monday.
      return new Date(Date.UTC(y, m, d - ((now.getUTCDay() + 6) % 7)));
    case 'monthly':
      return new Date(Date.UTC(y, m, 1));
    case 'quarterly':
      return new Date(Date.UTC(y, m - (m % 3), 1));
    case 'annually':
      return new Date(Date.UTC(y, 0, 1));
    default:
      return new Date(0);
  }
}
