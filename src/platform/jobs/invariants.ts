/**
 * The job engine's invariants. Each transition in queue.ts checks the rows it wrote against
 * the ones it must keep, so a broken one fails the transition (and the test that caused it)
 * instead of leaving a job that is run twice or never again:
 *
 * 1. A job is running exactly when it has a lease token (also a CHECK on the table).
 * 2. `attempts` is never negative, and a running job counts its own run (also a CHECK).
 * 3. A claim takes only due jobs (`run_at` passed) that have not failed for good, and leaves
 *    each running under the claimer's fresh token with a lease that ends in the future.
 * 4. Every change after a claim is made under the lease token (it is fenced): a holder whose
 *    lease another worker took over changes nothing, and is told so.
 * 5. A settled job is gone (done), pending without a lease and due no earlier than now
 *    (retried, rescheduled or handed back), or failed without a lease.
 * 6. Handing a job back uncounts its run: `attempts` goes back to what it was before the claim.
 */
export class JobInvariantViolation extends Error {
  override name = 'JobInvariantViolation';
}

export function invariant(condition: unknown, message: string): asserts condition {
  if (!condition) throw new JobInvariantViolation(message);
}

export const JOB_STATES = ['pending', 'running', 'failed'] as const;
export type JobState = (typeof JOB_STATES)[number];

/** A job row as a transition returns it, to be checked. */
export interface JobRowState {
  state: JobState;
  lease_token: string | null;
  attempts: number;
  /** Whether run_at is still ahead. */
  in_future: boolean;
}

/** Invariants 1 and 2, for any row. */
export function checkRow(row: JobRowState, where: string): void {
  invariant(JOB_STATES.includes(row.state), `${where}: unknown state ${row.state}`);
  invariant((row.state === 'running') === (row.lease_token !== null), `${where}: a ${row.state} job with${row.lease_token === null ? 'out' : ''} a lease`);
  invariant(row.attempts >= 0, `${where}: ${row.attempts} attempts`);
  invariant(row.state !== 'running' || row.attempts >= 1, `${where}: a running job that counts no run`);
}

/** Invariant 3, for each row a claim returned. */
export function checkClaimed(row: JobRowState, leaseToken: string, where: string): void {
  checkRow(row, where);
  invariant(row.state === 'running' && row.lease_token === leaseToken, `${where}: claimed but not held under the claim's token`);
  invariant(row.in_future, `${where}: claimed with a lease that has already ended`);
}
