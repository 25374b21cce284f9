import { EntityReader } from '../platform/read/entity-reader.ts';
import type { EntityWriter, WriteOrigin } from '../platform/entity/writer.ts';
import type { Queryable } from '../platform/db/database.ts';
import { ApiError } from '../platform/http/api-error.ts';
import type { CardTransactionKind, Fixtures } from './fixtures.ts';
import type { MovementRow } from './movements.ts';
import { fromMinor } from './money.ts';
import type { NucleusSources } from './context.ts';

const DESCRIPTIONS: Record<CardTransactionKind, string> = {
  load: 'Card load',
  unload: 'Card unload',
  ach: 'Card funded by ACH',
  purchase: 'Card purchase',
  atm_withdrawal: 'ATM withdrawal',
  other: 'Card debit',
};

/** Money coming onto the card; everything else leaves it. */
const INFLOWS = new Set<CardTransactionKind>(['load', 'ach']);

function kindOf(row: MovementRow): CardTransactionKind {
  return row.kind === 'purchase' ? ((row.detail.transaction_type as CardTransactionKind | undefined) ?? 'purchase') : row.kind;
}

/**
 * Writes what happened at the processor into Nucleus: a card transaction (a portfolio
 * transaction on the card's portfolio, which is what Nucleus lists for a card), the card's
 * balance after it as an asset size of that portfolio (what the card's asset_size view and
 * analytics read), and the funding's new status. Safe to repeat: both records carry the
 * movement's id as their secondary_id and, when the movement is being taken up again, are
 * looked up by it before being made.
 */
export class CardTransactions {
  constructor(
    private readonly writer: EntityWriter,
    private readonly nucleus: NucleusSources,
    private readonly fixtures: Fixtures,
  ) {}

  /** `retried`: the movement's job was taken up again since its last progress, so the transaction may exist already. */
  async record(row: MovementRow, origin: WriteOrigin, retried: boolean): Promise<string> {
    try {
      return await this.write(row, origin, retried);
    } catch (error) {
      this.fixtures.forget(row.tenant_id);
      // A remembered code or model was deleted since (a sandbox tenant's reset deletes them all, in
      // any process): nothing was written, and it is made again on the second try.
      if (error instanceof ApiError && error.code === 'reference_not_found' && (error.field === 'transaction_code_id' || error.field === 'model_id')) {
        return this.write(row, origin, retried);
      }
      throw error;
    }
  }

  /**
   * Sets the funding's status unless it already has it, so a repeat raises no second webhook; in
   * `tx`, the transaction that moves the movement to the same state, so that Nucleus's funding and
   * Electron's answer for it never disagree.
   */
  async fundingStatus(tx: Queryable, row: MovementRow, status: string, origin: WriteOrigin): Promise<void> {
    if (!row.nucleus_funding_id) return;
    const fundingId = row.nucleus_funding_id;
    try {
      const funding = await EntityReader.tenantWide(this.nucleus, row.tenant_id).get('funding', fundingId);
      if (funding.funding_status !== status) await this.writer.writeWithin(tx, origin, (write) => write.update('funding', fundingId, { funding_status: status }));
    } catch (error) {
      // A funding deleted since leaves nothing to mark; the money has moved all the same.
      if (!(error instanceof ApiError && error.status === 404)) throw error;
    }
  }

  private async write(row: MovementRow, origin: WriteOrigin, retried: boolean): Promise<string> {
    const tenantId = row.tenant_id;
    const secondaryId = `electron:${row.id}`;
    // Only a movement taken up again (its first driver died or failed) can have been recorded already.
    const existing = retried ? await EntityReader.tenantWide(this.nucleus, tenantId).first('portfolio_transaction', { secondary_id: secondaryId }) : undefined;
    const snapshotted = retried ? await EntityReader.tenantWide(this.nucleus, tenantId).first('portfolio_asset_size', { secondary_id: secondaryId }) : undefined;
    if (existing && snapshotted) return existing.id;
    const card = await EntityReader.tenantWide(this.nucleus, tenantId).get('card', row.nucleus_card_id);
    const portfolio = await EntityReader.tenantWide(this.nucleus, tenantId).get('portfolio', String(card.portfolio_id));
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
    const transactionId = existing?.id ?? (await this.writer.create('portfolio_transaction', body, origin)).id;
    if (!snapshotted) {
      const amount = fromMinor(row.amount_minor);
      await this.writer.create(
        'portfolio_asset_size',
        {
          secondary_id: secondaryId,
          account_id: body.account_id,
          portfolio_id: body.portfolio_id,
          model_id: body.model_id,
          date: body.date,
          asset_size: body.balance,
          cash_flow: INFLOWS.has(kind) ? amount : -amount,
          currency_code: row.currency_code,
        },
        origin,
      );
    }
    return transactionId;
  }
}
