import cluster, { type Worker } from 'node:cluster';
import type { Logger } from 'pino';
import { isClusterMessage, type FromLead, type ToLead } from './lead.ts';

/**
 * WORKERS processes serve HTTP on one port through node:cluster. The primary prepares the
 * database before forking and then only supervises: it never loads the app, so it stays small
 * and no request or job can take it down.
 *
 * Worker 1 is the lead (lead.ts), not the primary: the background work and Hydro need the
 * whole app (the entity writer and its hooks, a pool), which a worker has anyway, and a crash
 * in them then costs one worker's restart rather than the server. The jobs are claimed with
 * SKIP LOCKED and leases, so a lead that dies leaves nothing its replacement cannot resume.
 */

const SLOT_ENV = 'DEUTERIUM_WORKER_SLOT';
const LEAD_SLOT = 0;

/** A worker that ran this long was not crash-looping, so its replacement starts at once. */
const STEADY_MS = 15_000;
const MAX_RESTART_DELAY_MS = 30_000;

/** This cluster worker's number, from 1; worker 1 is the lead. */
export function workerNumber(): number {
  return Number(process.env[SLOT_ENV]) + 1;
}

export function isLeadWorker(): boolean {
  return Number(process.env[SLOT_ENV]) === LEAD_SLOT;
}

/**
 * Given to send so that a worker whose channel closes between the check and the send (it is
 * dying) costs nothing: without a callback the failure would be thrown in the primary.
 */
const ignoreClosedChannel = () => undefined;

export interface SupervisorOptions {
  count: number;
  log: Logger;
  /** Set in the workers' environment beside the primary's own. */
  env: Record<string, string>;
  /** Run once every worker has stopped, before the primary exits (it stops the embedded database). */
  stopped: () => Promise<void>;
}

/**
 * Forks `count` workers and keeps that many running: one that stops is replaced, after a
 * delay doubling from 1 s to 30 s while replacements keep dying young. A worker that stops
 * before all of them first listened stops the server, as a single process failing to start
 * would (a port in use, a bad setting), instead of retrying forever. SIGTERM or SIGINT
 * drains every worker (each closes as a single process does) and then exits.
 */
export function superviseWorkers({ count, log, env, stopped }: SupervisorOptions): void {
  const bySlot = new Map<number, Worker>();
  const youngDeaths = new Map<number, number>();
  const restarts = new Set<NodeJS.Timeout>();
  /** Asks relayed to the lead and not answered yet, so that its death answers them. */
  const unanswered = new Map<string, { from: number; id: number }>();
  const listened = new Set<number>();
  let leadListening = false;
  let stopping = false;
  let exitCode = 0;

  function fork(slot: number): void {
    const worker = cluster.fork({ ...env, [SLOT_ENV]: String(slot) });
    const forkedAt = Date.now();
    bySlot.set(slot, worker);
    worker.on('message', (message: unknown) => relay(worker, message));
    worker.on('listening', () => {
      listened.add(slot);
      if (slot === LEAD_SLOT) leadListening = true;
    });
    worker.on('exit', (code, signal) => {
      bySlot.delete(slot);
      if (slot === LEAD_SLOT) leadGone();
      if (stopping) {
        if (bySlot.size === 0) void finish();
        return;
      }
      if (listened.size < count) {
        log.fatal({ worker: slot + 1, code, signal }, 'a worker stopped while the server was starting; stopping');
        exitCode = 1;
        return stop();
      }
      const deaths = Date.now() - forkedAt < STEADY_MS ? (youngDeaths.get(slot) ?? 0) + 1 : 0;
      youngDeaths.set(slot, deaths);
      const delayMs = deaths === 0 ? 0 : Math.min(MAX_RESTART_DELAY_MS, 1000 * 2 ** (deaths - 1));
      log.error({ worker: slot + 1, workerPid: worker.process.pid, code, signal, restartInMs: delayMs }, 'a worker stopped; replacing it');
      const timer = setTimeout(() => {
        restarts.delete(timer);
        fork(slot);
      }, delayMs);
      restarts.add(timer);
    });
  }

  function relay(from: Worker, message: unknown): void {
    if (isClusterMessage(message, 'to-lead')) {
      const ask: ToLead = { ...(message as ToLead), from: from.id };
      const lead = bySlot.get(LEAD_SLOT);
      // Before it listens, the lead may not handle messages yet: they would be lost.
      if (lead && leadListening && lead.isConnected()) {
        if (ask.id !== undefined) unanswered.set(`${from.id}:${ask.id}`, { from: from.id, id: ask.id });
        // A lead dying meanwhile answers what it was asked on its exit.
        lead.send(ask, ignoreClosedChannel);
      } else if (ask.id !== undefined) {
        answer({ deuterium: 'from-lead', id: ask.id, to: from.id, error: 'the lead worker is restarting' });
      }
    } else if (isClusterMessage(message, 'from-lead')) {
      const reply = message as FromLead;
      unanswered.delete(`${reply.to}:${reply.id}`);
      answer(reply);
    }
  }

  function answer(reply: FromLead): void {
    const asker = cluster.workers?.[reply.to];
    if (asker?.isConnected()) asker.send(reply, ignoreClosedChannel);
  }

  function leadGone(): void {
    leadListening = false;
    for (const { from, id } of unanswered.values()) answer({ deuterium: 'from-lead', id, to: from, error: 'the lead worker stopped' });
    unanswered.clear();
  }

  async function finish(): Promise<void> {
    await stopped().catch((error: Error) => log.error({ err: error }, 'closing the database failed'));
    process.exit(exitCode);
  }

  function stop(signal?: NodeJS.Signals): void {
    if (stopping) return;
    stopping = true;
    if (signal) log.info({ signal }, 'stopping every worker');
    for (const timer of restarts) clearTimeout(timer);
    if (bySlot.size === 0) return void finish();
    // A terminal's Ctrl-C already reached them; a worker ignores a second signal.
    for (const worker of bySlot.values()) worker.process.kill('SIGTERM');
  }

  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  for (let slot = 0; slot < count; slot++) fork(slot);
}
