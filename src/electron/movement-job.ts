import type { FastifyBaseLogger } from 'fastify';
import type { JobEngine } from '../platform/jobs/engine.ts';
import { done, type ClaimedJob, type JobKind } from '../platform/jobs/kind.ts';
import { exponentialBackoff } from '../platform/jobs/retry.ts';
import { movementOutcome, type Advanced, type MovementRunner } from './movement-runner.ts';
import { MOVEMENT_JOB, type MovementRow, type Movements } from './movements.ts';
import { ProcessorRefusal } from './processor.ts';

/**
 * Drives movements left unfinished: ACH transfers whose settlement time has come, and any
 * movement whose request died half-way (its job's lease ran out) or whose step failed.
 * Everything it needs is in the database, so a restart loses nothing.
 */
export function movementJobKind(movements: Movements, runner: MovementRunner, pollIntervalMs: number, log: FastifyBaseLogger): JobKind {
  return {
    kind: MOVEMENT_JOB,
    // Money that started moving must finish moving: doubling from 1 s, at most 5 minutes apart, never given up.
    retry: exponentialBackoff({ firstMs: 1000, maxMs: 300_000 }),
    leaseMs: 30_000,
    concurrency: 8,
    pollIntervalMs,
    async run(job) {
      const row = await movements.find(job.tenantId, { id: job.id });
      if (!row || row.state === 'recorded') return done();
      try {
        return movementOutcome(await runner.advance(row, job));
      } catch (error) {
        if (!(error instanceof ProcessorRefusal)) throw error;
        log.warn({ err: error, movement: row.id, kind: row.kind, tenant: row.tenant_id }, 'the processor refused a movement left unfinished; it was dropped');
        return done();
      }
    },
  };
}

/**
 * Drives a movement whose job the request holds, as far as it goes now, and answers how far
 * that was. A refusal by the processor ends the job (the movement is dropped) and is thrown on
 * for the request to answer; any other failure leaves the job to be retried by the engine.
 */
export async function driveHere(jobs: JobEngine, runner: MovementRunner, job: ClaimedJob, row: MovementRow): Promise<Advanced> {
  let advanced: Advanced | undefined;
  let refusal: ProcessorRefusal | undefined;
  await jobs.runHere(job, async () => {
    try {
      advanced = await runner.advance(row, job);
      return movementOutcome(advanced);
    } catch (error) {
      if (!(error instanceof ProcessorRefusal)) throw error;
      refusal = error;
      return done();
    }
  });
  if (refusal) throw refusal;
  return advanced!;
}
