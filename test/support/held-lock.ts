import type { Database } from '../../src/platform/db/database.ts';

/**
 * Takes a lock with `sql` in a transaction of its own and holds it until the returned function is
 * called (which waits for the transaction to end). Tests use it to keep work from finishing
 * while they look at it in progress, instead of hoping the work is slow enough.
 */
export async function holdLock(db: Database, sql: string, params: unknown[] = []): Promise<() => Promise<void>> {
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  let locked: () => void = () => {};
  const isLocked = new Promise<void>((resolve) => (locked = resolve));
  const holding = db.transaction(async (tx) => {
    await tx.query(sql, params);
    locked();
    await released;
  });
  await Promise.race([isLocked, holding]);
  return async () => {
    release();
    await holding;
  };
}
