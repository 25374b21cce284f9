import { randomUUID } from 'node:crypto';
import type { Database } from '../platform/db/database.ts';
import type { VendorResponse } from './processor.ts';
import type { Requester } from './access.ts';
import { countQueueOutcome } from '../platform/metrics/process-metrics.ts';

export type MovementKind = 'load' | 'unload' | 'ach' | 'purchase';
/**
 * requested: made, the processor not yet known to have acted; pending: an ACH transfer the
 * processor has started; posted: the money has moved at the processor; recorded: Nucleus says
 * so too (final).
 */
export type MovementState = 'requested' | 'pending' | 'posted' | 'recorded';

export interface MovementRow {
  tenant_id: string;
  id: string;
  kind: MovementKind;
  state: MovementState;
  /** For a recorded movement: completed, or returned (an ACH transfer that never reached the card). */
  outcome: string | null;
  nucleus_funding_id: string | null;
  nucleus_card_id: string;
  processor: string;
  vendor_card_id: string;
  amount_minor: string;
  currency_code: string;
  vendor_reference: string | null;
  vendor_response: VendorResponse | null;
  balance_after_minor: string | null;
  posted_at: Date | string | null;
  nucleus_transaction_id: string | null;
  detail: Record<string, unknown>;
  requested_by: Requester;
  lease_token: string | null;
  attempts: number;
}

export interface NewMovement {
  kind: MovementKind;
  fundingId?: string;
  cardId: string;
  processor: string;
  vendorCardId: string;
  amountMinor: bigint;
  currency: string;
  detail: Record<string, unknown>;
  requestedBy: Requester;
}

/** How long a request or the worker holds a movement before anyone else may take it up. */
const LEASE_MS = 30_000;
/** Pause before a failed step is tried again: doubling from 1 s, at most 5 minutes. */
const retryDelayMs = (attempts: number) => Math.min(1000 * 2 ** Math.max(attempts - 1, 0), 300_000);

/**
 * The money movements Electron drives, and the leases that keep two drivers off one movement.
 * Every change after a claim is conditioned on the lease token, so a driver that lost its
 * lease (it stalled and the worker took over) changes nothing; it gets `undefined` back.
 */
export class Movements {
  constructor(private readonly db: Database) {}

  /**
   * Makes a movement, claimed by the caller. For a funding that already has one, that one is
   * returned instead, claimed only if it is unfinished and nobody holds it.
   */
  async open(tenantId: string, m: NewMovement): Promise<{ row: MovementRow; claimed: boolean; existed: boolean }> {
    // The movement in the way may be discarded (its processor refused it) between the insert
    // and the look at it; then the funding is free again and the insert is simply tried anew.
    for (;;) {
      const opened = await this.tryOpen(tenantId, m);
      if (opened) return opened;
    }
  }

  private async tryOpen(tenantId: string, m: NewMovement): Promise<{ row: MovementRow; claimed: boolean; existed: boolean } | undefined> {
    const lease = randomUUID();
    const [made] = await this.db.query<MovementRow>(
      `INSERT INTO electron_money_movement (tenant_id, id, kind, state, nucleus_funding_id, nucleus_card_id, processor, vendor_card_id,
         amount_minor, currency_code, detail, requested_by, lease_token, next_attempt_at, attempts)
       VALUES ($1, $2, $3, 'requested', $4, $5, $6, $7, $8, $9, $10::jsonb, $11::jsonb, $12, now() + $13 * interval '1 millisecond', 1)
       ON CONFLICT (tenant_id, nucleus_funding_id) WHERE nucleus_funding_id IS NOT NULL DO NOTHING
       RETURNING *`,
      [
        tenantId,
        randomUUID(),
        m.kind,
        m.fundingId ?? null,
        m.cardId,
        m.processor,
        m.vendorCardId,
        m.amountMinor.toString(),
        m.currency,
        JSON.stringify(m.detail),
        JSON.stringify(m.requestedBy),
        lease,
        LEASE_MS,
      ],
    );
    if (made) return { row: made, claimed: true, existed: false };
    const [existing] = await this.db.query<MovementRow>('SELECT * FROM electron_money_movement WHERE tenant_id = $1 AND nucleus_funding_id = $2', [tenantId, m.fundingId]);
    if (!existing) return undefined;
    if (existing.state === 'recorded' || existing.state === 'pending') return { row: existing, claimed: false, existed: true };
    const [claimed] = await this.db.query<MovementRow>(
      `UPDATE electron_money_movement SET lease_token = $3, next_attempt_at = now() + $4 * interval '1 millisecond', attempts = attempts + 1, update_date = now()
       WHERE tenant_id = $1 AND id = $2 AND state NOT IN ('recorded', 'pending') AND next_attempt_at <= now() RETURNING *`,
      [tenantId, existing.id, lease, LEASE_MS],
    );
    return claimed ? { row: claimed, claimed: true, existed: true } : { row: existing, claimed: false, existed: true };
  }

  /** Leases up to `limit` unfinished movements that are due: stalled ones, and ACH transfers to look at again. */
  async claimDue(limit: number): Promise<MovementRow[]> {
    return this.db.query<MovementRow>(
      `WITH due AS (
         SELECT tenant_id, id FROM electron_money_movement
         WHERE state <> 'recorded' AND next_attempt_at <= now()
         ORDER BY next_attempt_at LIMIT $1
         FOR UPDATE SKIP LOCKED
       )
       UPDATE electron_money_movement m SET lease_token = $2, next_attempt_at = now() + $3 * interval '1 millisecond',
         attempts = m.attempts + 1, update_date = now()
       FROM due WHERE m.tenant_id = due.tenant_id AND m.id = due.id
       RETURNING m.*`,
      [limit, randomUUID(), LEASE_MS],
    );
  }

  private async change(row: MovementRow, set: string, values: unknown[]): Promise<MovementRow | undefined> {
    const [changed] = await this.db.query<MovementRow>(
      `UPDATE electron_money_movement SET ${set}, update_date = now() WHERE tenant_id = $1 AND id = $2 AND lease_token = $3 RETURNING *`,
      [row.tenant_id, row.id, row.lease_token, ...values],
    );
    return changed;
  }

  posted(row: MovementRow, posting: { vendorReference: string; balanceMinor: bigint; postedAt: string; vendorResponse: VendorResponse }) {
    return this.change(row, `state = 'posted', vendor_reference = $4, balance_after_minor = $5, posted_at = $6, vendor_response = $7::jsonb`, [
      posting.vendorReference,
      posting.balanceMinor.toString(),
      posting.postedAt,
      JSON.stringify(posting.vendorResponse),
    ]);
  }

  /** Lets go of an ACH transfer until the processor expects news of it. */
  pending(row: MovementRow, checkAgainAt: Date, vendorResponse: VendorResponse) {
    return this.change(row, `state = 'pending', lease_token = NULL, next_attempt_at = $4, vendor_response = $5::jsonb`, [
      checkAgainAt.toISOString(),
      JSON.stringify(vendorResponse),
    ]);
  }

  async recorded(row: MovementRow, outcome: 'completed' | 'returned', nucleusTransactionId: string | null, vendorResponse?: VendorResponse) {
    const changed = await this.change(row, `state = 'recorded', outcome = $4, nucleus_transaction_id = $5, vendor_response = coalesce($6::jsonb, vendor_response), lease_token = NULL, last_error = NULL`, [
      outcome,
      nucleusTransactionId,
      vendorResponse ? JSON.stringify(vendorResponse) : null,
    ]);
    if (changed) countQueueOutcome('electron_movements', outcome);
    return changed;
  }

  /** A movement the processor refused leaves nothing behind, so the funding can be tried again. */
  async discard(row: MovementRow): Promise<void> {
    await this.db.query('DELETE FROM electron_money_movement WHERE tenant_id = $1 AND id = $2 AND lease_token = $3', [row.tenant_id, row.id, row.lease_token]);
    countQueueOutcome('electron_movements', 'discarded');
  }

  /** Hands a movement whose step failed back for a later attempt. */
  async retryLater(row: MovementRow, error: string): Promise<void> {
    await this.db.query(
      `UPDATE electron_money_movement SET lease_token = NULL, last_error = $4, update_date = now(),
         next_attempt_at = now() + $5 * interval '1 millisecond'
       WHERE tenant_id = $1 AND id = $2 AND lease_token = $3`,
      [row.tenant_id, row.id, row.lease_token, error, retryDelayMs(row.attempts)],
    );
    countQueueOutcome('electron_movements', 'retried');
  }
}
