import type { Database } from '../platform/db/database.ts';
import type { CardState } from './processor.ts';

export interface CardholderLink {
  nucleus_client_id: string;
  processor: string;
  vendor_cardholder_id: string;
}

export interface CardLink {
  nucleus_card_id: string;
  processor: string;
  vendor_card_id: string;
  last_four: string;
  expiry_date: string;
  state: CardState;
  replaced_by_card_id: string | null;
  replaces_card_id: string | null;
}

export interface SpendingControlLink {
  nucleus_spending_control_id: string;
  processor: string;
  vendor_control_id: string;
}

const CARD_COLUMNS = `nucleus_card_id, processor, vendor_card_id, last_four, to_char(expiry_date, 'YYYY-MM-DD') AS expiry_date, state,
  replaced_by_card_id, replaces_card_id`;

/** Which processor object each Nucleus record is: the links Electron keeps, whatever the processor. */
export class ElectronRecords {
  constructor(private readonly db: Database) {}

  async cardholder(tenantId: string, clientId: string): Promise<CardholderLink | undefined> {
    const [row] = await this.db.query<CardholderLink>(
      'SELECT nucleus_client_id, processor, vendor_cardholder_id FROM electron_cardholder WHERE tenant_id = $1 AND nucleus_client_id = $2',
      [tenantId, clientId],
    );
    return row;
  }

  /** False when the client already had a cardholder (a concurrent request made it first). */
  addCardholder(tenantId: string, link: CardholderLink): Promise<boolean> {
    return this.insertFirst(
      'INSERT INTO electron_cardholder (tenant_id, nucleus_client_id, processor, vendor_cardholder_id) VALUES ($1, $2, $3, $4)',
      [tenantId, link.nucleus_client_id, link.processor, link.vendor_cardholder_id],
    );
  }

  async card(tenantId: string, cardId: string): Promise<CardLink | undefined> {
    const [row] = await this.db.query<CardLink>(`SELECT ${CARD_COLUMNS} FROM electron_card WHERE tenant_id = $1 AND nucleus_card_id = $2`, [tenantId, cardId]);
    return row;
  }

  addCard(tenantId: string, link: CardLink): Promise<boolean> {
    return this.insertFirst(
      `INSERT INTO electron_card (tenant_id, nucleus_card_id, processor, vendor_card_id, last_four, expiry_date, state, replaces_card_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [tenantId, link.nucleus_card_id, link.processor, link.vendor_card_id, link.last_four, link.expiry_date, link.state, link.replaces_card_id],
    );
  }

  async setCardState(tenantId: string, cardId: string, state: CardState): Promise<void> {
    await this.db.query('UPDATE electron_card SET state = $3, update_date = now() WHERE tenant_id = $1 AND nucleus_card_id = $2', [tenantId, cardId, state]);
  }

  /**
   * Names the Nucleus card that replaces this one, unless another request named one first;
   * answers the successor that stands.
   */
  async claimSuccessor(tenantId: string, cardId: string, successorId: string): Promise<string> {
    await this.db.query(
      `UPDATE electron_card SET replaced_by_card_id = $3, update_date = now()
       WHERE tenant_id = $1 AND nucleus_card_id = $2 AND replaced_by_card_id IS NULL`,
      [tenantId, cardId, successorId],
    );
    return (await this.card(tenantId, cardId))!.replaced_by_card_id!;
  }

  async spendingControl(tenantId: string, controlId: string): Promise<SpendingControlLink | undefined> {
    const [row] = await this.db.query<SpendingControlLink>(
      `SELECT nucleus_spending_control_id, processor, vendor_control_id FROM electron_spending_control
       WHERE tenant_id = $1 AND nucleus_spending_control_id = $2`,
      [tenantId, controlId],
    );
    return row;
  }

  addSpendingControl(tenantId: string, link: SpendingControlLink): Promise<boolean> {
    return this.insertFirst(
      'INSERT INTO electron_spending_control (tenant_id, nucleus_spending_control_id, processor, vendor_control_id) VALUES ($1, $2, $3, $4)',
      [tenantId, link.nucleus_spending_control_id, link.processor, link.vendor_control_id],
    );
  }

  /** Each link is made once: a request that finds its link already made (by a concurrent one) is told so, not failed. */
  private async insertFirst(insert: string, params: unknown[]): Promise<boolean> {
    const rows = await this.db.query(`${insert} ON CONFLICT DO NOTHING RETURNING 1`, params);
    return rows.length > 0;
  }
}
