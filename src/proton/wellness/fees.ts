import type { MoneyTransaction } from './aggregation-data.ts';

/**
 * Which transactions are fees, and of what kind. Rules are tried in order; the first that
 * holds names the rule reported. An incoming transaction a rule finds is a refund of a fee.
 */
export const FEE_RULES = ['is_fee', 'category', 'description', 'trade_fee'] as const;
export type FeeRule = (typeof FEE_RULES)[number];

/** A category naming fees or charges: "Bank Fees", "Fees & Charges", "Service Charge". */
const FEE_CATEGORY = /\b(fees?|charges?)\b/i;
/** A description or merchant naming a fee or a charge a bank levies. */
const FEE_DESCRIPTION = /\b(fees?|charges?|surcharges?|overdraft|nsf|late payment|finance charge)\b/i;

/** Kinds of fee, each recognised by words of its description, category or merchant; first match wins. */
export const FEE_TYPES = [
  ['overdraft', /\b(overdraft|nsf|insufficient funds|returned item)\b/i],
  ['atm', /\b(atm|cash machine)\b/i],
  ['foreign_transaction', /\b(foreign|international|cross-border|currency conversion)\b/i],
  ['late_payment', /\blate\b/i],
  ['interest', /\b(interest|finance charge)\b/i],
  ['wire_transfer', /\b(wire|transfer fee)\b/i],
  ['account_service', /\b(maintenance|monthly service|service fee|account fee|annual fee|membership fee|statement fee)\b/i],
] as const;

export type FeeType = (typeof FEE_TYPES)[number][0] | 'trading' | 'other';
export const FEE_TYPE_NAMES: FeeType[] = [...FEE_TYPES.map(([name]) => name), 'trading', 'other'];

export interface FoundFee {
  transaction: MoneyTransaction;
  rule: FeeRule;
  type: FeeType;
  /** The fee's amount: the transaction's, or a trade's fee. */
  amount: MoneyTransaction['amount'];
  isRefund: boolean;
}

function words(t: MoneyTransaction): string {
  return [t.description, t.category, t.subcategory, t.merchant].filter(Boolean).join(' ');
}

function ruleFor(t: MoneyTransaction): FeeRule | undefined {
  if (t.isFee) return 'is_fee';
  if (!t.isTrade && FEE_CATEGORY.test(`${t.category ?? ''} ${t.subcategory ?? ''}`)) return 'category';
  if (!t.isTrade && FEE_DESCRIPTION.test(`${t.description ?? ''} ${t.merchant ?? ''}`)) return 'description';
  if (t.tradeFee) return 'trade_fee';
  return undefined;
}

/** The fees among the transactions, in their order. */
export function findFees(transactions: readonly MoneyTransaction[]): FoundFee[] {
  const found: FoundFee[] = [];
  for (const t of transactions) {
    const rule = ruleFor(t);
    if (!rule) continue;
    if (rule === 'trade_fee') {
      found.push({ transaction: t, rule, type: 'trading', amount: t.tradeFee!, isRefund: false });
      continue;
    }
    const text = words(t);
    const type = FEE_TYPES.find(([, pattern]) => pattern.test(text))?.[0] ?? (t.isTrade ? 'trading' : 'other');
    found.push({ transaction: t, rule, type, amount: t.isTrade && t.tradeFee ? t.tradeFee : t.amount, isRefund: t.flow === 'inflow' && !t.isTrade });
  }
  return found;
}
