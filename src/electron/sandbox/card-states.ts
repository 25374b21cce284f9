import { ProcessorRefusal, type CardState, type CardTransition } from '../processor.ts';

/**
 * The card lifecycle: issued → active (activation) ⇄ suspended, and any open state → closed.
 * A replacement closes the card like `close` does.
 */
const TRANSITIONS: Record<CardTransition, { from: CardState[]; to: CardState }> = {
  activate: { from: ['issued', 'suspended'], to: 'active' },
  suspend: { from: ['active'], to: 'suspended' },
  close: { from: ['issued', 'active', 'suspended'], to: 'closed' },
};

const VERBS: Record<CardTransition, string> = { activate: 'activated', suspend: 'suspended', close: 'closed' };

export function nextState(current: CardState, transition: CardTransition): CardState {
  const rule = TRANSITIONS[transition];
  if (!rule.from.includes(current)) {
    throw new ProcessorRefusal('invalid_card_state', `the card is ${current}, so it cannot be ${VERBS[transition]} (only a card that is ${rule.from.join(' or ')} can)`);
  }
  return rule.to;
}

/** Money may be put on or taken off any card that is not closed; suspension only stops spending. */
export function assertFundable(state: CardState): void {
  if (state === 'closed') throw new ProcessorRefusal('invalid_card_state', 'the card is closed, so no money can move on it');
}
