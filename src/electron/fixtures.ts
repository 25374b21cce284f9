import { EntityReader } from '../platform/read/entity-reader.ts';
import type { Database } from '../platform/db/database.ts';
import { ApiError } from '../platform/http/api-error.ts';
import type { EntityWriter, WriteOrigin } from '../platform/entity/writer.ts';
import type { NucleusSources } from './context.ts';

/** The kinds of card transaction Electron records, each under its own transaction code. */
export type CardTransactionKind = 'load' | 'unload' | 'ach' | 'purchase' | 'atm_withdrawal' | 'other';

const CODES: Record<CardTransactionKind, Record<string, unknown>> = {
  load: { transaction_code: 'ELECTRON_CARD_LOAD', transaction_code_description: 'Card load from the program reserve', is_deposit: true },
  unload: { transaction_code: 'ELECTRON_CARD_UNLOAD', transaction_code_description: 'Card unload to the program reserve', is_deposit: false },
  ach: { transaction_code: 'ELECTRON_CARD_ACH', transaction_code_description: 'Card funded by ACH from a bank link', is_deposit: true, is_transfer: true },
  purchase: { transaction_code: 'ELECTRON_CARD_PURCHASE', transaction_code_description: 'Card purchase', is_deposit: false },
  atm_withdrawal: { transaction_code: 'ELECTRON_CARD_ATM', transaction_code_description: 'Card ATM withdrawal', is_deposit: false },
  other: { transaction_code: 'ELECTRON_CARD_DEBIT', transaction_code_description: 'Other card debit', is_deposit: false },
};

const CARD_MODEL = 'card_model';

/**
 * The Nucleus records card transactions point at: their transaction codes, and a model for
 * cards whose portfolio names none (a portfolio transaction must name one). Made on first use
 * through the EntityWriter, then remembered; `forget` drops what is remembered after a failure,
 * in case someone deleted one of them.
 */
export class Fixtures {
  private readonly known = new Map<string, Promise<string>>();

  constructor(
    private readonly db: Database,
    private readonly writer: EntityWriter,
    private readonly nucleus: NucleusSources,
  ) {}

  transactionCode(tenantId: string, kind: CardTransactionKind, origin: WriteOrigin): Promise<string> {
    return this.remember(`${tenantId}:code:${kind}`, () => this.code(tenantId, CODES[kind], origin));
  }

  cardModel(tenantId: string, origin: WriteOrigin): Promise<string> {
    return this.remember(`${tenantId}:model`, () => this.model(tenantId, origin));
  }

  forget(tenantId: string): void {
    for (const key of this.known.keys()) if (key.startsWith(`${tenantId}:`)) this.known.delete(key);
  }

  private remember(key: string, make: () => Promise<string>): Promise<string> {
    let id = this.known.get(key);
    if (!id) {
      id = make();
      id.catch(() => this.known.delete(key));
      this.known.set(key, id);
    }
    return id;
  }

  private async code(tenantId: string, body: Record<string, unknown>, origin: WriteOrigin): Promise<string> {
    const code = String(body.transaction_code);
    const found = await EntityReader.tenantWide(this.nucleus, tenantId).first('transaction_code', { transaction_code: code });
    if (found) return found.id;
    try {
      return (await this.writer.create('transaction_code', { ...body, category: 'Card' }, origin)).id;
    } catch (error) {
      // Another process made it first: the unique code is its to keep.
      if (error instanceof ApiError && error.status === 409) {
        const made = await EntityReader.tenantWide(this.nucleus, tenantId).first('transaction_code', { transaction_code: code });
        if (made) return made.id;
      }
      throw error;
    }
  }

  private async model(tenantId: string, origin: WriteOrigin): Promise<string> {
    const [kept] = await this.db.query<{ nucleus_id: string }>('SELECT nucleus_id FROM electron_fixture WHERE tenant_id = $1 AND name = $2', [tenantId, CARD_MODEL]);
    if (kept) {
      const alive = await EntityReader.tenantWide(this.nucleus, tenantId).get('model', kept.nucleus_id).then(
        () => true,
        () => false,
      );
      if (alive) return kept.nucleus_id;
    }
    const model = await this.writer.create(
      'model',
      { name: 'Card balance', category: 'Card', description: 'Made by Electron for the transactions of cards whose portfolio names no model' },
      origin,
    );
    await this.db.query(
      `INSERT INTO electron_fixture (tenant_id, name, nucleus_id) VALUES ($1, $2, $3)
       ON CONFLICT (tenant_id, name) DO UPDATE SET nucleus_id = EXCLUDED.nucleus_id`,
      [tenantId, CARD_MODEL, model.id],
    );
    return model.id;
  }
}
