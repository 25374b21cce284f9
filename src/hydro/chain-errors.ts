import type { Hex } from 'viem';

/** A transaction that was mined but reverted; its hash is real and can be looked up. */
export class RevertedTransactionError extends Error {
  constructor(readonly hash: Hex) {
    super(`transaction ${hash} reverted`);
  }
}
