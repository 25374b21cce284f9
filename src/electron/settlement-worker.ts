import type { FastifyBaseLogger } from 'fastify';
import { LeaseLost, type MovementRunner } from './movement-runner.ts';
import type { Movements } from './movements.ts';
import { ProcessorRefusal } from './processor.ts';

/** Movements driven at once by one worker. */
const BATCH = 8;

/**
 * Polls for movements that are due: ACH transfers whose settlement time has come, and any
 * movement whose request died half-way (its lease ran out). Everything it needs is in the
 * database, so a restart loses nothing: the next poll picks the work up again.
 */
export class SettlementWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;

  constructor(
    private readonly movements: Movements,
    private readonly runner: MovementRunner,
    private readonly intervalMs: number,
    private readonly log: FastifyBaseLogger,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.poll()
        .catch((error: unknown) => this.log.error({ err: error }, 'electron settlement poll failed'))
        .finally(() => {
          this.running = undefined;
          this.schedule(this.intervalMs);
        });
    }, delayMs);
    this.timer.unref();
  }

  /** Drives due movements until none is left, then waits for the next tick. */
  private async poll(): Promise<void> {
    while (!this.stopped) {
      const due = await this.movements.claimDue(BATCH);
      if (due.length === 0) return;
      await Promise.all(due.map((row) => this.drive(row)));
    }
  }

  private async drive(row: Parameters<MovementRunner['advance']>[0]): Promise<void> {
    try {
      await this.runner.advance(row);
    } catch (error) {
      if (error instanceof LeaseLost) return;
      const refused = error instanceof ProcessorRefusal;
      this.log[refused ? 'warn' : 'error'](
        { err: error, movement: row.id, kind: row.kind, tenant: row.tenant_id },
        refused ? 'the processor refused a movement left unfinished; it was dropped' : 'an electron movement step failed; it will be retried',
      );
    }
  }
}
