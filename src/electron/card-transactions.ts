import type { EntityWriter, WriteOrigin } from '../platform/entity/writer.ts';
import { ApiError } from '../platform/http/api-error.ts';
import type { CardTransactionKind, Fixtures } from './fixtures.ts';
import type { MovementRow } from './movements.ts';
import { fromMinor } from './money.ts';
import type { NucleusReader } from './nucleus-reader.ts';

const DESCRIPTIONS: Record<CardTransactionKind, string> = {
  load: 'Card load',
  unload: 'Card unload',
  ach: 'Card funded by ACH',
  purchase: 'Card purchase',
  atm_withdrawal: 'ATM withdrawal',
  other: 'Card debit',
};

function kindOf(row: MovementRow): CardTransactionKind {
  return row.kind === 'purchase' ? ((row.detail.transaction_type as CardTransactionKind | undefined) ?? 'purchase') : row.kind;
}

/**
 * Writes what happened at the processor into Nucleus: a card transaction (a portfolio
 * transaction on the card's portfolio, which is what Nucleus lists for a card) and the
 * funding's new status. Safe to repeat: the transaction carries the movement's id as its
 * secondary_id and, when the movement is being taken up again, is looked up by it before being made.
 */
export class CardTransactions {
  constructor(
    private readonly writer: EntityWriter,
    private readonly reader: NucleusReader,
    private readonly fixtures: Fixtures,
  ) {}

  async record(row: MovementRow, origin: WriteOrigin): Promise<string> {
    try {
      return await this.write(row, origin);
    } catch (error) {
      this.fixtures.forget(row.tenant_id);
      throw error;
    }
  }

  /** Sets the funding's status unless it already has it, so a repeat raises no second webhook. */
  async fundingStatus(row: MovementRow, status: string, origin: WriteOrigin): Promise<void> {
    if (!row.nucleus_funding_id) return;
    try {
      const funding = await this.reader.asElectron(row.tenant_id, 'funding', row.nucleus_funding_id);
      if (funding.funding_status !== status) await this.writer.update('funding', row.nucleus_funding_id, { funding_status: status }, origin);
    } catch (error) {
      // A funding deleted since leaves nothing to mark; the money has moved all the same.
      if (!(error instanceof ApiError && error.status === 404)) throw error;
    }
  }

  private async write(row: MovementRow, origin: WriteOrigin): Promise<string> {
    const tenantId = row.tenant_id;
    const secondaryId = `electron:${row.id}`;
    // Only a movement taken up again (its first driver died or failed) can have been recorded already.
    if (row.attempts > 1) {
      const existing = await this.reader.findBy(tenantId, 'portfolio_transaction', 'secondary_id', secondaryId);
      if (existing) return existing.id;
    }
    const card = await this.reader.asElectron(tenantId, 'card', row.nucleus_card_id);
    const portfolio = await this.reader.asElectron(tenantId, 'portfolio', String(card.portfolio_id));
    const kind = kindOf(row);
    const detail = row.detail;
    const body: Record<string, unknown> = {
      secondary_id: secondaryId,
      account_id: portfolio.account_id,
      portfolio_id: portfolio.id,
      model_id: typeof portfolio.model_id === 'string' ? portfolio.model_id : await this.fixtures.cardModel(tenantId, origin),
      transaction_code_id: await this.fixtures.transactionCode(tenantId, kind, origin),
      date: new Date(row.posted_at ?? Date.now()).toISOString(),
      amount: fromMinor(row.amount_minor),
      balance: fromMinor(row.balance_after_minor ?? 0),
      currency_code: row.currency_code,
      status: 'completed',
      description: typeof detail.merchant === 'string' ? detail.merchant : DESCRIPTIONS[kind],
      ...(typeof detail.reason === 'string' ? { memo: detail.reason } : {}),
      ...(row.nucleus_funding_id ? { funding_id: row.nucleus_funding_id } : {}),
      ...(typeof detail.merchant === 'string' ? { merchant: detail.merchant } : {}),
      ...(typeof detail.merchant_id === 'string' ? { merchant_id: detail.merchant_id } : {}),
      ...(typeof detail.merchant_category_code === 'string' ? { merchant_category_code: detail.merchant_category_code } : {}),
      ...(typeof detail.mid === 'string' ? { mid: detail.mid } : {}),
      ...(typeof detail.transaction_category_id === 'string' ? { transaction_category_id: detail.transaction_category_id } : {}),
    };
    return (await this.writer.create('portfolio_transaction', body, origin)).id;
  }
}
