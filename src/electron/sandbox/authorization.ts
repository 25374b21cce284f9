import { Decimal } from 'decimal.js';
import type { CardState, SpendingControlData } from '../processor.ts';
import { inScope, periodStart, type PurchaseFacts } from './spending-rules.ts';

export interface AuthorizationInput {
  cardState: CardState;
  /** What the card can still spend: its balance above its floor. */
  availableMinor: bigint;
  purchase: PurchaseFacts;
  /** The active controls that apply to the cardholder, by the id the decline names them by. */
  controls: { id: string; control: SpendingControlData }[];
  /** The cardholder's earlier purchases, on any of their cards, since the earliest period start the controls need. */
  history: (PurchaseFacts & { at: Date })[];
  now: Date;
}

export type AuthorizationDecision = { approved: true } | { approved: false; code: string; reason: string };

function decline(code: string, reason: string): AuthorizationDecision {
  return { approved: false, code, reason };
}

function minorOf(value: number): bigint {
  return BigInt(new Decimal(value).times(100).floor().toFixed(0));
}

/**
 * The authorization decision on one purchase, free of I/O so it can be reasoned about (and
 * reused) on its own: the card must be active, the money there, and every spending control
 * that applies must let the purchase through.
 */
export function authorize(input: AuthorizationInput): AuthorizationDecision {
  const { purchase } = input;
  if (input.cardState !== 'active') return decline('card_not_active', `the card is ${input.cardState}`);
  if (purchase.amountMinor > input.availableMinor) return decline('insufficient_funds', 'the card does not hold enough money');
  for (const { id, control } of input.controls) {
    const matches = inScope(control, purchase);
    switch (control.control_type) {
      case 'deny_list':
        if (matches) return decline('spending_control', `refused by spending control ${id} (deny list)`);
        break;
      case 'allow_list':
        if (!matches) return decline('spending_control', `refused by spending control ${id} (not on its allow list)`);
        break;
      case 'spending_limit':
      case 'transaction_limit': {
        if (!matches) break;
        const since = periodStart(control.frequency_unit, input.now);
        const earlier = input.history.filter((p) => p.at >= since && inScope(control, p));
        const limit = control.limit_value ?? 0;
        const over =
          control.control_type === 'spending_limit'
            ? earlier.reduce((sum, p) => sum + p.amountMinor, 0n) + purchase.amountMinor > minorOf(limit)
            : earlier.length + 1 > limit;
        if (over) return decline('spending_control', `refused by spending control ${id} (${control.control_type} of ${limit} ${control.frequency_unit})`);
        break;
      }
    }
  }
  return { approved: true };
}
