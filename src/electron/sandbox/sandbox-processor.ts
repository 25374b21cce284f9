import type { Database, Queryable } from '../../platform/db/database.ts';
import { fromMinor, PROGRAM_CURRENCY } from '../money.ts';
import {
  ProcessorRefusal,
  type AchRequest,
  type AchStatus,
  type CardholderProfile,
  type CardProcessor,
  type CardTransition,
  type FundsRequest,
  type Posting,
  type PurchaseDecision,
  type PurchaseRequest,
  type SpendingControlData,
} from '../processor.ts';
import { authorize, type PurchaseFacts } from './authorization.ts';
import { assertFundable, nextState } from './card-states.ts';
import { newId, sandboxCards, type SandboxCard } from './cards.ts';
import { BelowFloor, cardAccount, ledger, type LockedAccount, type Movement } from './ledger.ts';
import { ACCOUNTS, SandboxPrograms } from './program.ts';
import { checkSandboxControl, historyStart, sharedControl } from './spending-controls.ts';

export interface SandboxOptions {
  /** How long an ACH transfer stays pending before the sandbox settles it. */
  achSettlementMs: number;
}

function posting(movement: Movement, cardId: string): Posting {
  const balanceMinor = movement.balancesAfter.get(cardAccount(cardId))!;
  return {
    vendorReference: movement.id,
    balanceMinor,
    postedAt: movement.createDate,
    vendorResponse: { transaction_id: movement.id, transaction_type: movement.kind, balance: fromMinor(balanceMinor), posted_date: movement.createDate },
  };
}

function cardView(card: SandboxCard) {
  return { card_id: card.token, last_four: card.lastFour, expiry_date: card.expiryDate, status: card.state };
}

/** Turns the ledger's floor refusal into the processor's answer to the caller. */
function belowFloor(error: unknown): never {
  if (!(error instanceof BelowFloor)) throw error;
  const available = fromMinor(error.account.balanceMinor - (error.account.floorMinor ?? 0n));
  if (error.account.code === ACCOUNTS.reserve) {
    throw new ProcessorRefusal('reserve_insufficient', `the program reserve can cover only ${available} ${PROGRAM_CURRENCY} more (overdraft limit included)`);
  }
  throw new ProcessorRefusal('insufficient_funds', `the card holds ${available} ${PROGRAM_CURRENCY}, less than the amount`);
}

interface PurchaseDetail {
  amount_minor: string;
  cardholder_id: string;
  merchant?: string;
  merchant_id?: string;
  mid?: string;
  merchant_category_code?: string;
  transaction_category?: string;
  transaction_category_id?: string;
}

function facts(kind: PurchaseRequest['transactionType'], detail: PurchaseDetail): PurchaseFacts {
  return {
    amountMinor: BigInt(detail.amount_minor),
    type: kind,
    merchant: detail.merchant,
    merchantId: detail.merchant_id,
    mid: detail.mid,
    merchantCategoryCode: detail.merchant_category_code,
    transactionCategory: detail.transaction_category,
    transactionCategoryId: detail.transaction_category_id,
  };
}

function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/**
 * The built-in processor: behaves like an issuer processor (cardholders, cards with a
 * lifecycle, balances that cannot be overdrawn, ACH that takes time to settle), keeping its
 * books in this database instead of at a bank.
 */
export class SandboxProcessor implements CardProcessor {
  readonly name = 'sandbox';
  private readonly programs: SandboxPrograms;

  constructor(
    private readonly db: Database,
    private readonly options: SandboxOptions,
  ) {
    this.programs = new SandboxPrograms(db);
  }

  async createCardholder(tenantId: string, profile: CardholderProfile) {
    const id = newId('ch');
    await this.db.query('INSERT INTO sandbox_cardholder (tenant_id, id, profile) VALUES ($1, $2, $3::jsonb)', [tenantId, id, JSON.stringify(profile)]);
    return { cardholderId: id, status: 'active', vendorResponse: { cardholder_id: id, status: 'active' } };
  }

  async updateCardholder(tenantId: string, cardholderId: string, profile: CardholderProfile) {
    const rows = await this.db.query(
      'UPDATE sandbox_cardholder SET profile = profile || $3::jsonb, update_date = now() WHERE tenant_id = $1 AND id = $2 RETURNING id',
      [tenantId, cardholderId, JSON.stringify(profile)],
    );
    if (rows.length === 0) throw new ProcessorRefusal('unknown_cardholder', 'the processor has no such cardholder');
    return { cardholderId, status: 'active', vendorResponse: { cardholder_id: cardholderId, status: 'active' } };
  }

  async issueCard(tenantId: string, cardholderId: string) {
    await this.programs.ensure(tenantId);
    const card = await this.db.transaction(async (tx) => {
      await sandboxCards.cardholderProfile(tx, tenantId, cardholderId);
      const issued = await sandboxCards.insert(tx, tenantId, cardholderId, new Date());
      await ledger.openAccount(tx, tenantId, cardAccount(issued.token), PROGRAM_CURRENCY, 0n);
      return issued;
    });
    return { cardId: card.token, lastFour: card.lastFour, expiryDate: card.expiryDate, state: card.state, vendorResponse: cardView(card) };
  }

  /** Locks the card's ledger account: every change to a card, its state or its money, holds it. */
  private async lockCard(tx: Queryable, tenantId: string, cardId: string, others: string[] = []) {
    const accounts = await ledger.lock(tx, tenantId, [cardAccount(cardId), ...others]);
    const card = await sandboxCards.get(tx, tenantId, cardId);
    return { accounts, card, account: accounts.get(cardAccount(cardId))! };
  }

  async changeCardState(tenantId: string, cardId: string, transition: CardTransition, reason?: string) {
    return this.db.transaction(async (tx) => {
      const { card, account } = await this.lockCard(tx, tenantId, cardId);
      const state = nextState(card.state, transition);
      if (state === 'closed' && account.balanceMinor !== 0n) {
        throw new ProcessorRefusal(
          'card_has_balance',
          `the card still holds ${fromMinor(account.balanceMinor)} ${PROGRAM_CURRENCY}; unload it first, or replace the card to carry the balance over`,
        );
      }
      await sandboxCards.setState(tx, tenantId, cardId, state, reason);
      return { state, vendorResponse: { ...cardView({ ...card, state }), balance: fromMinor(account.balanceMinor) } };
    });
  }

  async replaceCard(tenantId: string, cardId: string, reason?: string) {
    await this.programs.ensure(tenantId);
    return this.db.transaction(async (tx) => {
      const { card } = await this.lockCard(tx, tenantId, cardId);
      const reference = `replacement:${cardId}`;
      if (card.replacedByToken) {
        const successor = await sandboxCards.get(tx, tenantId, card.replacedByToken);
        const moved = await ledger.find(tx, tenantId, reference);
        return this.replacement(successor, moved?.balancesAfter.get(cardAccount(successor.token)) ?? 0n, moved);
      }
      nextState(card.state, 'close');
      const successor = await sandboxCards.insert(tx, tenantId, card.cardholderId, new Date());
      await ledger.openAccount(tx, tenantId, cardAccount(successor.token), PROGRAM_CURRENCY, 0n);
      const accounts = await ledger.lock(tx, tenantId, [cardAccount(cardId), cardAccount(successor.token)]);
      const balance = accounts.get(cardAccount(cardId))!.balanceMinor;
      let moved: Movement | undefined;
      if (balance !== 0n) {
        moved = await ledger.record(tx, tenantId, accounts, {
          kind: 'replacement',
          reference,
          cardId: successor.token,
          legs: [
            { account: cardAccount(cardId), amountMinor: -balance },
            { account: cardAccount(successor.token), amountMinor: balance },
          ],
        });
      }
      await sandboxCards.setState(tx, tenantId, cardId, 'closed', reason, successor.token);
      return this.replacement(successor, balance, moved);
    });
  }

  private replacement(card: SandboxCard, movedMinor: bigint, moved: Movement | undefined) {
    const view = cardView(card);
    return {
      card: { cardId: card.token, lastFour: card.lastFour, expiryDate: card.expiryDate, state: card.state, vendorResponse: view },
      movedMinor,
      vendorResponse: { new_card: view, balance_transferred: fromMinor(movedMinor), ...(moved ? { transaction_id: moved.id } : {}) },
    };
  }

  load(tenantId: string, request: FundsRequest): Promise<Posting> {
    return this.fund(tenantId, 'load', request, 1n);
  }

  unload(tenantId: string, request: FundsRequest): Promise<Posting> {
    return this.fund(tenantId, 'unload', request, -1n);
  }

  /** Between the program reserve and the card: +1 puts money on the card, -1 takes it back. */
  private async fund(tenantId: string, kind: string, request: FundsRequest, direction: 1n | -1n): Promise<Posting> {
    await this.programs.ensure(tenantId);
    return this.db.transaction(async (tx) => {
      const { accounts, card } = await this.lockCard(tx, tenantId, request.cardId, [ACCOUNTS.reserve]);
      const done = await ledger.find(tx, tenantId, request.reference);
      if (done) return posting(done, request.cardId);
      assertFundable(card.state);
      const amount = request.amountMinor * direction;
      const movement = await ledger
        .record(tx, tenantId, accounts, {
          kind,
          reference: request.reference,
          cardId: request.cardId,
          legs: [
            { account: ACCOUNTS.reserve, amountMinor: -amount },
            { account: cardAccount(request.cardId), amountMinor: amount },
          ],
          detail: request.reason ? { reason: request.reason } : {},
        })
        .catch(belowFloor);
      return posting(movement, request.cardId);
    });
  }

  async startAch(tenantId: string, request: AchRequest) {
    await this.programs.ensure(tenantId);
    const reference = `ach:${request.reference}`;
    return this.db.transaction(async (tx) => {
      const { card } = await this.lockCard(tx, tenantId, request.cardId);
      const accounts = await ledger.lock(tx, tenantId, [ACCOUNTS.achClearing, ACCOUNTS.bankNetwork]);
      let started = await ledger.find(tx, tenantId, reference);
      if (!started) {
        assertFundable(card.state);
        const settleAt = new Date(Date.now() + this.options.achSettlementMs).toISOString();
        // The money leaves the bank now and waits in clearing; the card sees it only at settlement.
        started = await ledger.record(tx, tenantId, accounts, {
          kind: 'ach_pull',
          reference,
          cardId: request.cardId,
          legs: [
            { account: ACCOUNTS.bankNetwork, amountMinor: -request.amountMinor },
            { account: ACCOUNTS.achClearing, amountMinor: request.amountMinor },
          ],
          detail: {
            amount_minor: request.amountMinor.toString(),
            settle_at: settleAt,
            bank_routing: request.bankAccount.routing,
            bank_account_last_four: request.bankAccount.accountLastFour,
          },
        });
      }
      const settleAt = String(started.detail.settle_at);
      return {
        checkAgainAt: new Date(settleAt),
        vendorResponse: { transfer_id: started.id, status: 'pending', expected_settlement_date: settleAt },
      };
    });
  }

  async achStatus(tenantId: string, reference: string): Promise<AchStatus> {
    const started = await ledger.find(this.db, tenantId, `ach:${reference}`);
    if (!started) throw new ProcessorRefusal('unknown_transfer', 'the processor has no such ACH transfer');
    const settleAt = new Date(String(started.detail.settle_at));
    if (settleAt.getTime() > Date.now()) {
      return { status: 'pending', checkAgainAt: settleAt, vendorResponse: { transfer_id: started.id, status: 'pending', expected_settlement_date: settleAt.toISOString() } };
    }
    const token = started.cardId!;
    const amount = BigInt(String(started.detail.amount_minor));
    return this.db.transaction(async (tx) => {
      const { accounts, card } = await this.lockCard(tx, tenantId, token, [ACCOUNTS.achClearing, ACCOUNTS.bankNetwork]);
      const settled = await ledger.find(tx, tenantId, `ach_settlement:${reference}`);
      if (settled) return { status: 'settled', posting: posting(settled, token) } as const;
      const returned = await ledger.find(tx, tenantId, `ach_return:${reference}`);
      if (returned) return { status: 'returned', reason: String(returned.detail.reason), vendorResponse: { transfer_id: started.id, status: 'returned' } } as const;
      if (card.state === 'closed') {
        // A closed card cannot take the money: it goes back to the bank it came from.
        const reason = 'the card was closed before the transfer settled';
        await ledger.record(tx, tenantId, accounts, {
          kind: 'ach_return',
          reference: `ach_return:${reference}`,
          cardId: token,
          legs: [
            { account: ACCOUNTS.achClearing, amountMinor: -amount },
            { account: ACCOUNTS.bankNetwork, amountMinor: amount },
          ],
          detail: { reason },
        });
        return { status: 'returned', reason, vendorResponse: { transfer_id: started.id, status: 'returned', reason } } as const;
      }
      const movement = await ledger.record(tx, tenantId, accounts, {
        kind: 'ach_settlement',
        reference: `ach_settlement:${reference}`,
        cardId: token,
        legs: [
          { account: ACCOUNTS.achClearing, amountMinor: -amount },
          { account: cardAccount(token), amountMinor: amount },
        ],
      });
      return { status: 'settled', posting: posting(movement, token) } as const;
    });
  }

  async reserve(tenantId: string) {
    await this.programs.ensure(tenantId);
    const [row] = await this.db.query<{ id: string; balance_minor: string; floor_minor: string }>(
      'SELECT id, balance_minor, floor_minor FROM sandbox_ledger_account WHERE tenant_id = $1 AND code = $2',
      [tenantId, ACCOUNTS.reserve],
    );
    const balance = BigInt(row.balance_minor);
    const overdraft = -BigInt(row.floor_minor);
    return {
      walletId: row.id,
      balanceMinor: balance,
      availableMinor: balance + overdraft,
      overdraftLimitMinor: overdraft,
      vendorResponse: { wallet_id: row.id, currency_code: PROGRAM_CURRENCY },
    };
  }

  async createSpendingControl(tenantId: string, externalId: string, control: SpendingControlData) {
    checkSandboxControl(control);
    const id = newId('sc');
    await this.db.query('INSERT INTO sandbox_spending_control (tenant_id, id, external_id, control) VALUES ($1, $2, $3, $4::jsonb)', [
      tenantId,
      id,
      externalId,
      JSON.stringify(control),
    ]);
    return { controlId: id, vendorResponse: { spending_control_id: id, status: control.is_active ? 'active' : 'inactive' } };
  }

  async updateSpendingControl(tenantId: string, controlId: string, control: SpendingControlData) {
    checkSandboxControl(control);
    const rows = await this.db.query(
      'UPDATE sandbox_spending_control SET control = $3::jsonb, update_date = now() WHERE tenant_id = $1 AND id = $2 RETURNING id',
      [tenantId, controlId, JSON.stringify(control)],
    );
    if (rows.length === 0) throw new ProcessorRefusal('unknown_spending_control', 'the processor has no such spending control');
    return { controlId, vendorResponse: { spending_control_id: controlId, status: control.is_active ? 'active' : 'inactive' } };
  }

  async simulatePurchase(tenantId: string, purchase: PurchaseRequest): Promise<PurchaseDecision> {
    await this.programs.ensure(tenantId);
    const owner = await sandboxCards.get(this.db, tenantId, purchase.cardId);
    return this.db.transaction(async (tx) => {
      // Limits span all of a cardholder's cards, so their purchases are decided one at a time.
      const profile = await sandboxCards.cardholderProfile(tx, tenantId, owner.cardholderId, true);
      const { accounts, card, account } = await this.lockCard(tx, tenantId, purchase.cardId, [ACCOUNTS.cardNetwork]);
      const done = await ledger.find(tx, tenantId, purchase.reference);
      if (done) return { approved: true, posting: posting(done, purchase.cardId) };
      const detail: PurchaseDetail = {
        amount_minor: purchase.amountMinor.toString(),
        cardholder_id: card.cardholderId,
        merchant: purchase.merchant,
        merchant_id: purchase.merchantId,
        mid: purchase.mid,
        merchant_category_code: purchase.merchantCategoryCode,
        transaction_category: purchase.transactionCategory,
        transaction_category_id: purchase.transactionCategoryId,
      };
      const day = utcDay(new Date());
      const controls = await this.controlsFor(tx, tenantId, profile.external_id);
      const since = historyStart(controls, day);
      const decision = authorize({
        cardState: card.state,
        availableMinor: available(account),
        purchase: facts(purchase.transactionType, detail),
        day,
        controls,
        history: since === null ? [] : await this.history(tx, tenantId, card.cardholderId, since),
      });
      if (!decision.approved) {
        const control = decision.control ? { spending_control_id: decision.control.id, spending_control_rule: decision.control.rule } : {};
        return { approved: false, reason: decision.reason, vendorResponse: { status: 'declined', decline_code: decision.code, reason: decision.reason, ...control } };
      }
      const movement = await ledger.record(tx, tenantId, accounts, {
        kind: purchase.transactionType,
        reference: purchase.reference,
        cardId: purchase.cardId,
        legs: [
          { account: cardAccount(purchase.cardId), amountMinor: -purchase.amountMinor },
          { account: ACCOUNTS.cardNetwork, amountMinor: purchase.amountMinor },
        ],
        detail: { ...detail },
      });
      return { approved: true, posting: posting(movement, purchase.cardId) };
    });
  }

  private async controlsFor(tx: Queryable, tenantId: string, clientId: unknown) {
    const rows = await tx.query<{ id: string; control: SpendingControlData }>(
      `SELECT external_id AS id, control FROM sandbox_spending_control
       WHERE tenant_id = $1 AND (control->>'is_active')::boolean AND control->>'currency_code' = $2
         AND (control->>'client_id' IS NULL OR control->>'client_id' = $3)
       ORDER BY create_date, id`,
      [tenantId, PROGRAM_CURRENCY, typeof clientId === 'string' ? clientId : null],
    );
    return rows.map((row) => sharedControl(row.id, row.control));
  }

  /** The cardholder's purchases on any of their cards from the start of the UTC day `since`. */
  private async history(tx: Queryable, tenantId: string, cardholderId: string, since: string) {
    const rows = await tx.query<{ kind: PurchaseRequest['transactionType']; detail: PurchaseDetail; create_date: Date | string }>(
      `SELECT kind, detail, create_date FROM sandbox_ledger_movement
       WHERE tenant_id = $1 AND card_token = ANY($2::text[]) AND kind = ANY($3::text[]) AND create_date >= $4::timestamptz`,
      [tenantId, await sandboxCards.tokensOf(tx, tenantId, cardholderId), PURCHASE_KINDS, `${since}T00:00:00Z`],
    );
    return rows.map((r) => ({ ...facts(r.kind, r.detail), day: utcDay(new Date(r.create_date)) }));
  }
}

const PURCHASE_KINDS: PurchaseRequest['transactionType'][] = ['purchase', 'atm_withdrawal', 'other'];

function available(account: LockedAccount): bigint {
  return account.balanceMinor - (account.floorMinor ?? 0n);
}
