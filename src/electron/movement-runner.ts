import { electronOrigin } from './access.ts';
import type { CardTransactions } from './card-transactions.ts';
import { done, later, type ClaimedJob, type JobOutcome } from '../platform/jobs/kind.ts';
import type { MovementRow, Movements } from './movements.ts';
import { ProcessorRefusal, type CardProcessor, type Posting, type PurchaseRequest, type VendorResponse } from './processor.ts';
import type { Processors } from './processors.ts';

/** How far a movement went: a pending ACH transfer says when to look at it again. */
export type Advanced = { row: MovementRow; checkAgainAt?: Date } | { declined: { reason: string; vendorResponse: VendorResponse } };

/** The outcome of the movement's job once it went as far as it can now. */
export function movementOutcome(advanced: Advanced): JobOutcome {
  return 'row' in advanced && advanced.checkAgainAt ? later(advanced.checkAgainAt.getTime() - Date.now()) : done();
}

/**
 * Drives one claimed movement as far as it can go now: asks the processor to move the money
 * (the movement's id is the reference, so asking twice moves it once), then records the outcome
 * in Nucleus. Used by the request that made the movement and, for anything left unfinished, by
 * its job in the job engine; an ACH transfer stops at `pending` until the processor settles it.
 * Every change is made under the job's lease; a driver that lost it gets LeaseLost.
 */
export class MovementRunner {
  constructor(
    private readonly movements: Movements,
    private readonly processors: Processors,
    private readonly transactions: CardTransactions,
  ) {}

  async advance(claimed: MovementRow, lease: ClaimedJob): Promise<Advanced> {
    let row = claimed;
    const processor = this.processors.named(row.processor);
    const origin = electronOrigin(row.tenant_id, row.requested_by, `electron: ${row.kind} recorded`, { movement_id: row.id, kind: row.kind, nucleus_funding_id: row.nucleus_funding_id ?? undefined });
    if (row.state === 'requested') {
      const step = await this.request(processor, row).catch(async (error: unknown) => {
        // Refused: nothing moved, so nothing is kept and the same funding may be tried again.
        if (error instanceof ProcessorRefusal) await this.movements.discard(lease);
        throw error;
      });
      if ('declined' in step) {
        await this.movements.discard(lease);
        return step;
      }
      if ('checkAgainAt' in step) {
        const pending = await this.movements.pending(lease, step.vendorResponse, (tx) => this.transactions.fundingStatus(tx, row, 'pending', origin));
        return { row: pending, checkAgainAt: step.checkAgainAt };
      }
      row = await this.movements.posted(lease, step);
    }
    if (row.state === 'pending') {
      const status = await processor.achStatus(row.tenant_id, row.id);
      if (status.status === 'pending') return { row: await this.movements.pending(lease, status.vendorResponse), checkAgainAt: status.checkAgainAt };
      if (status.status === 'returned') {
        return { row: await this.movements.recorded(lease, 'returned', null, status.vendorResponse, (tx) => this.transactions.fundingStatus(tx, row, 'returned', origin)) };
      }
      row = await this.movements.posted(lease, status.posting);
    }
    if (row.state === 'posted') {
      // Runs since the job last made progress: past the first, an earlier run may have recorded it.
      const transactionId = await this.transactions.record(row, origin, lease.attempts > 1);
      const posted = row;
      row = await this.movements.recorded(lease, 'completed', transactionId, undefined, (tx) => this.transactions.fundingStatus(tx, posted, 'completed', origin));
    }
    return { row };
  }

  private request(
    processor: CardProcessor,
    row: MovementRow,
  ): Promise<Posting | { checkAgainAt: Date; vendorResponse: VendorResponse } | { declined: { reason: string; vendorResponse: VendorResponse } }> {
    const base = { reference: row.id, cardId: row.vendor_card_id, amountMinor: BigInt(row.amount_minor), reason: row.detail.reason as string | undefined };
    switch (row.kind) {
      case 'load':
        return processor.load(row.tenant_id, base);
      case 'unload':
        return processor.unload(row.tenant_id, base);
      case 'ach':
        return processor.startAch(row.tenant_id, { ...base, bankAccount: row.detail.bank_account as { routing: string; accountLastFour: string; holder: string } });
      case 'purchase':
        return this.purchase(processor, row, base);
    }
  }

  private async purchase(processor: CardProcessor, row: MovementRow, base: { reference: string; cardId: string; amountMinor: bigint }) {
    const d = row.detail as Record<string, string | undefined>;
    const request: PurchaseRequest = {
      ...base,
      transactionType: (d.transaction_type ?? 'purchase') as PurchaseRequest['transactionType'],
      merchant: d.merchant,
      merchantId: d.merchant_id,
      merchantCategoryCode: d.merchant_category_code,
      mid: d.mid,
      transactionCategory: d.transaction_category,
      transactionCategoryId: d.transaction_category_id,
    };
    // POST /sandbox/card/purchase opens purchases only at a processor that simulates them.
    const decision = await processor.simulatePurchase!(row.tenant_id, request);
    return decision.approved ? decision.posting : { declined: { reason: decision.reason, vendorResponse: decision.vendorResponse } };
  }
}
