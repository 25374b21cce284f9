import { setTimeout as sleep } from 'node:timers/promises';

export interface BulkStatus {
  id: string;
  status: string;
  progress: { total: number; processed: number; succeeded: number; failed: number };
  success: Record<string, { id: string }>;
  error: Record<string, { status: number; code: string; type: string; message: string; field?: string; request_id: string }>;
}

/** Asks `read` until `done` holds of its answer, or fails with the last answer. */
export async function pollUntil<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting; last: ${JSON.stringify(value)}`);
    await sleep(50);
  }
}

export const finished = (status: BulkStatus): boolean => status.status === 'Complete' || status.status === 'Failed';
