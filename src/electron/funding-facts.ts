import { errors } from '../platform/http/errors.ts';
import type { StoredRecord } from '../platform/entity/store.ts';
import { PROGRAM_CURRENCY, toMinor } from './money.ts';

export interface FundingFacts {
  cardId: string;
  amountMinor: bigint;
}

const FIELD = 'nucleus_funding_id';

/**
 * What a Nucleus funding must say for Electron to act on it: the card, a positive amount in
 * the program's currency, and a direction that fits the operation (money onto the card for a
 * load or an ACH funding, off it for an unload). Anything else is a 400 on the funding id.
 */
export function fundingFacts(funding: StoredRecord, operation: 'load' | 'unload' | 'ach'): FundingFacts {
  const wrong = (message: string) => errors.invalidField({ field: FIELD, problem: `funding ${funding.id} ${message}` });
  if (typeof funding.card_id !== 'string') throw wrong('names no card_id');
  const amount = toMinor(funding.amount);
  if (typeof amount === 'string') throw wrong(`amount ${amount}`);
  if (funding.currency_code !== undefined && funding.currency_code !== PROGRAM_CURRENCY) {
    throw wrong(`is in ${String(funding.currency_code)}, but the card program runs in ${PROGRAM_CURRENCY}`);
  }
  const deposit = operation !== 'unload';
  if (funding.is_deposit !== deposit) throw wrong(`has is_deposit ${String(funding.is_deposit)}; ${operation === 'unload' ? 'an unload takes money off the card' : 'it must put money onto the card'}`);
  if (operation === 'ach' && typeof funding.bank_link_id !== 'string') throw wrong('names no bank_link_id to pull the money from');
  return { cardId: funding.card_id, amountMinor: amount };
}
