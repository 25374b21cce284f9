import { decide, type CardSpend, type CardTransactionType, type DeclineReason, type SpendingControl } from '../../proton/card/spending-rules.ts';
import type { CardState } from '../processor.ts';

/** What the sandbox knows of a purchase when it decides on it or counts it against a limit. */
export interface PurchaseFacts {
  amountMinor: bigint;
  type: CardTransactionType;
  merchant?: string;
  merchantId?: string;
  mid?: string;
  merchantCategoryCode?: string;
  transactionCategory?: string;
  transactionCategoryId?: string;
}

export interface AuthorizationInput {
  cardState: CardState;
  /** What the card can still spend: its balance above its floor. */
  availableMinor: bigint;
  purchase: PurchaseFacts;
  /** UTC day (YYYY-MM-DD) of the purchase, which places it in the limits' windows. */
  day: string;
  /** The active controls that apply to the cardholder, oldest first, named by their Nucleus ids. */
  controls: readonly SpendingControl[];
  /** The cardholder's earlier purchases, on any of their cards, from the first day the controls look back to. */
  history: readonly (PurchaseFacts & { day: string })[];
}

export type AuthorizationDecision =
  | { approved: true }
  | { approved: false; code: string; reason: string; control?: { id: string | null; rule: DeclineReason } };

/**
 * Minor units of the program's currency (USD) are cents, the rules' unit; a bigint past 2^53
 * would lose digits as a number, and no card holds that much.
 */
function centsOf(minor: bigint): number {
  const cents = Number(minor);
  if (!Number.isSafeInteger(cents)) throw new RangeError(`${minor} minor units cannot be counted exactly in cents`);
  return cents;
}

function spendOf(purchase: PurchaseFacts, day: string): CardSpend {
  return {
    day,
    cents: centsOf(purchase.amountMinor),
    type: purchase.type,
    ...(purchase.merchant !== undefined ? { merchant: purchase.merchant } : {}),
    ...(purchase.merchantId !== undefined ? { merchantId: purchase.merchantId } : {}),
    ...(purchase.mid !== undefined ? { mid: purchase.mid } : {}),
    ...(purchase.merchantCategoryCode !== undefined ? { mcc: purchase.merchantCategoryCode } : {}),
    ...(purchase.transactionCategoryId !== undefined ? { categoryId: purchase.transactionCategoryId } : {}),
    ...(purchase.transactionCategory !== undefined ? { category: purchase.transactionCategory } : {}),
  };
}

/**
 * The authorization decision on one purchase, free of I/O: what only an issuer knows (the card
 * must be active, the money there) is checked here; the spending controls are Proton's
 * decision, the same one card_authorization takes, without partial approval.
 */
export function authorize(input: AuthorizationInput): AuthorizationDecision {
  const { purchase } = input;
  if (input.cardState !== 'active') return { approved: false, code: 'card_not_active', reason: `the card is ${input.cardState}` };
  if (purchase.amountMinor > input.availableMinor) return { approved: false, code: 'insufficient_funds', reason: 'the card does not hold enough money' };
  const decision = decide({
    cardActive: true,
    spend: spendOf(purchase, input.day),
    partialAuth: false,
    controls: input.controls,
    earlier: input.history.map((earlier) => spendOf(earlier, earlier.day)),
  });
  if (decision.approved) return { approved: true };
  return {
    approved: false,
    code: 'spending_control',
    reason: `refused by spending control ${decision.controlId} (${decision.reason}: ${decision.message})`,
    control: { id: decision.controlId, rule: decision.reason },
  };
}
