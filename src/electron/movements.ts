import { randomUUID } from 'node:crypto';
import type { Database, Queryable } from '../platform/db/database.ts';
import type { JobEngine } from '../platform/jobs/engine.ts';
import type { ClaimedJob, JobLease } from '../platform/jobs/kind.ts';
import type { VendorResponse } from './processor.ts';
import type { Requester } from './access.ts';

export type MovementKind = 'load' | 'unload' | 'ach' | 'purchase';
/**
 * requested: made, the processor not yet known to have acted; pending: an ACH transfer the
 * processor has started; posted: the money has moved at the processor; recorded: Nucleus says
 * so too (final).
 */
export type MovementState = 'requested' | 'pending' | 'posted' | 'recorded';

/** Writes made in the transaction that changes a movement's state. */
export type Alongside = (tx: Queryable) => Promise<void>;

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

/** The job kind that drives an unfinished movement; the job's id is the movement's. */
export const MOVEMENT_JOB = 'electron-movement';

/** A movement made or found, and its job when the caller holds it and must drive the movement. */
export interface OpenedMovement {
  row: MovementRow;
  job: ClaimedJob | undefined;
  existed: boolean;
}

/**
 * The money movements Electron drives. Each unfinished one has a job in the job engine, whose
 * lease keeps two drivers off it: the request that made it holds the job from the start, and
 * the engine's worker takes it up once that lease runs out or an ACH transfer is due. Every
 * change after that is fenced by the lease, so a driver that lost it (it stalled and the worker
 * took over) changes nothing: it gets LeaseLost.
 */
export class Movements {
  constructor(
    private readonly db: Database,
    private readonly jobs: JobEngine,
  ) {}

  /**
   * Makes a movement, its job held by the caller. For a funding that already has one, that one
   * is returned instead, its job claimed only if the movement is unfinished and nobody holds it.
   */
  async open(tenantId: string, m: NewMovement): Promise<OpenedMovement> {
    // The movement in the way may be discarded (its processor refused it) between the insert
    // and the look at it; then the funding is free again and the insert is simply tried anew.
    for (;;) {
      const opened = await this.tryOpen(tenantId, m);
      if (opened) return opened;
    }
  }

  private async tryOpen(tenantId: string, m: NewMovement): Promise<OpenedMovement | undefined> {
    const made = await this.db.transaction(async (tx) => {
      const [row] = await tx.query<MovementRow>(
        `INSERT INTO electron_money_movement (tenant_id, id, kind, state, nucleus_funding_id, nucleus_card_id, processor, vendor_card_id,
           amount_minor, currency_code, detail, requested_by)
         VALUES ($1, $2, $3, 'requested', $4, $5, $6, $7, $8, $9, $10::jsonb, $11::jsonb)
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
        ],
      );
      return row && { row, job: await this.jobs.enqueueHeld(tx, { tenantId, id: row.id, kind: MOVEMENT_JOB }), existed: false };
    });
    if (made) return made;
    const existing = await this.find(tenantId, { fundingId: m.fundingId! });
    if (!existing) return undefined;
    if (existing.state === 'recorded' || existing.state === 'pending') return { row: existing, job: undefined, existed: true };
    const job = await this.jobs.claimOne(MOVEMENT_JOB, tenantId, existing.id);
    // Read again under the claim: the driver that held it may have moved it on meanwhile.
    const row = job ? await this.find(tenantId, { id: existing.id }) : existing;
    return row ? { row, job, existed: true } : undefined;
  }

  async find(tenantId: string, by: { id: string } | { fundingId: string }): Promise<MovementRow | undefined> {
    const [row] = await this.db.query<MovementRow>(
      `SELECT * FROM electron_money_movement WHERE tenant_id = $1 AND ${'id' in by ? 'id' : 'nucleus_funding_id'} = $2`,
      [tenantId, 'id' in by ? by.id : by.fundingId],
    );
    return row;
  }

  /** `alongside`: Nucleus writes that must commit with the change (the funding's status). */
  private async change(lease: JobLease, set: string, values: unknown[], alongside?: Alongside): Promise<MovementRow> {
    const [changed] = await this.jobs.queue.fenced(lease, async (tx) => {
      await alongside?.(tx);
      return tx.query<MovementRow>(`UPDATE electron_money_movement SET ${set}, update_date = now() WHERE tenant_id = $1 AND id = $2 RETURNING *`, [
        lease.tenantId,
        lease.id,
        ...values,
      ]);
    });
    return changed;
  }

  posted(lease: JobLease, posting: { vendorReference: string; balanceMinor: bigint; postedAt: string; vendorResponse: VendorResponse }) {
    return this.change(lease, `state = 'posted', vendor_reference = $3, balance_after_minor = $4, posted_at = $5, vendor_response = $6::jsonb`, [
      posting.vendorReference,
      posting.balanceMinor.toString(),
      posting.postedAt,
      JSON.stringify(posting.vendorResponse),
    ]);
  }

  /** An ACH transfer the processor has started; its job looks at it again when the processor expects news. */
  pending(lease: JobLease, vendorResponse: VendorResponse, alongside?: Alongside) {
    return this.change(lease, `state = 'pending', vendor_response = $3::jsonb`, [JSON.stringify(vendorResponse)], alongside);
  }

  recorded(lease: JobLease, outcome: string, nucleusTransactionId: string | null, vendorResponse: VendorResponse | undefined, alongside: Alongside) {
    return this.change(lease, `state = 'recorded', outcome = $3, nucleus_transaction_id = $4, vendor_response = coalesce($5::jsonb, vendor_response)`, [
      outcome,
      nucleusTransactionId,
      vendorResponse ? JSON.stringify(vendorResponse) : null,
    ], alongside);
  }

  /** A movement the processor refused leaves nothing behind, so the funding can be tried again. */
  async discard(lease: JobLease): Promise<void> {
    await this.jobs.queue.fenced(lease, (tx) => tx.query('DELETE FROM electron_money_movement WHERE tenant_id = $1 AND id = $2', [lease.tenantId, lease.id]));
  }
}
