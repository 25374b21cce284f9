import { electronOrigin } from './access.ts';
import type { CardTransactions } from './card-transactions.ts';
import type { MovementRow, Movements } from './movements.ts';
import { ProcessorRefusal, type CardProcessor, type Posting, type PurchaseRequest, type VendorResponse } from './processor.ts';
import type { Processors } from './processors.ts';

export type Advanced = { row: MovementRow } | { declined: { reason: string; vendorResponse: VendorResponse } };

/** Lost the lease to someone else (the worker took over a stalled request): they finish it. */
export class LeaseLost extends Error {}

function held(row: MovementRow | undefined): MovementRow {
  if (!row) throw new LeaseLost('the movement was taken over by another driver');
  return row;
}

/**
 * Drives one claimed movement as far as it can go now: asks the processor to move the money
 * (the movement's id is the reference, so asking twice moves it once), then records the outcome
 * in Nucleus. Used by the request that made the movement and, for anything left unfinished, by
 * the settlement worker; an ACH transfer stops at `pending` until the processor settles it.
 */
export class MovementRunner {
  constructor(
    private readonly movements: Movements,
    private readonly processors: Processors,
    private readonly transactions: CardTransactions,
  ) {}

  async advance(claimed: MovementRow): Promise<Advanced> {
    let row = claimed;
    const processor = this.processors.named(row.processor);
    const origin = electronOrigin(row.tenant_id, row.requested_by, { movement_id: row.id, kind: row.kind, nucleus_funding_id: row.nucleus_funding_id ?? undefined });
    try {
      if (row.state === 'requested') {
        const step = await this.request(processor, row).catch(async (error: unknown) => {
          // Refused: nothing moved, so nothing is kept and the same funding may be tried again.
          if (error instanceof ProcessorRefusal) await this.movements.discard(row);
          throw error;
        });
        if ('declined' in step) {
          await this.movements.discard(row);
          return step;
        }
        if ('checkAgainAt' in step) {
          await this.transactions.fundingStatus(row, 'pending', origin);
          return { row: held(await this.movements.pending(row, step.checkAgainAt, step.vendorResponse)) };
        }
        row = held(await this.movements.posted(row, step));
      }
      if (row.state === 'pending') {
        const status = await processor.achStatus(row.tenant_id, row.id);
        if (status.status === 'pending') return { row: held(await this.movements.pending(row, status.checkAgainAt, status.vendorResponse)) };
        if (status.status === 'returned') {
          await this.transactions.fundingStatus(row, 'returned', origin);
          return { row: held(await this.movements.recorded(row, 'returned', null, status.vendorResponse)) };
        }
        row = held(await this.movements.posted(row, status.posting));
      }
      if (row.state === 'posted') {
        const transactionId = await this.transactions.record(row, origin);
        await this.transactions.fundingStatus(row, 'completed', origin);
        row = held(await this.movements.recorded(row, 'completed', transactionId));
      }
      return { row };
    } catch (error) {
      if (error instanceof LeaseLost || error instanceof ProcessorRefusal) throw error;
      await this.movements.retryLater(row, error instanceof Error ? error.message : String(error));
      throw error;
    }
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
