import type { FastifyPluginAsync } from 'fastify';
import type { Database } from '../db/database.ts';
import { sweepExpired, type RetentionPolicy } from './sweep.ts';

export interface RetentionOptions extends RetentionPolicy {
  db: Database;
  intervalMs: number;
}

/**
 * Sweeps expired rows once at start and then every intervalMs, one sweep at a time. A sweep
 * that fails is logged and tried again at the next interval; it never stops the server.
 */
export const retentionPlugin: FastifyPluginAsync<RetentionOptions> = async (app, { db, intervalMs, ...policy }) => {
  const log = app.log.child({ component: 'retention' });
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let closed = false;

  /** One sweep now, then the next one intervalMs after it ends. */
  const cycle = () => {
    running = sweep().finally(() => {
      running = undefined;
      if (closed) return;
      timer = setTimeout(cycle, intervalMs);
      timer.unref();
    });
  };

  async function sweep(): Promise<void> {
    try {
      const counts = await sweepExpired(db, policy);
      const removed = Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0));
      if (Object.keys(removed).length > 0) log.info({ removed }, 'expired rows removed');
    } catch (error) {
      log.error({ err: error }, 'retention sweep failed; retrying at the next interval');
    }
  }

  app.addHook('onReady', async () => cycle());
  app.addHook('onClose', async () => {
    closed = true;
    clearTimeout(timer);
    await running;
  });
};
