import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Queryable } from '../db/database.ts';
import { verifyNothing } from './passwords.ts';

/** Consecutive failures of one username in one tenant before it is locked. */
export const MAX_FAILURES = 5;
export const LOCK_SECONDS = 15 * 60;

/**
 * A failure row (known in SQL as `row`) that counts for nothing any more: its lock is over, or
 * it has been quiet for LOCK_SECONDS without one. The next failure starts over at 1, and the
 * retention sweep removes such rows.
 */
export function staleLoginFailure(row: string): string {
  return `(${row}.locked_until <= now() OR (${row}.locked_until IS NULL AND ${row}.last_failure <= now() - make_interval(secs => ${LOCK_SECONDS})))`;
}

/** Each consecutive failure is answered this much later than the one before. */
const DELAY_STEP_MS = 200;

function usernameKey(username: string): string {
  return createHash('sha256').update(username).digest('hex');
}

/**
 * Counts this attempt before the password is checked, so a burst of parallel guesses cannot
 * get more than MAX_FAILURES checks in. Returns the consecutive attempts so far, this one
 * included; more than MAX_FAILURES means the username is locked. A stale count starts over.
 */
async function countAttempt(db: Queryable, tenantId: string, key: string): Promise<number> {
  const rows = await db.query<{ failures: number }>(
    `INSERT INTO login_failure AS f (tenant_id, username_sha256, failures) VALUES ($1, $2, 1)
     ON CONFLICT (tenant_id, username_sha256) DO UPDATE SET
       failures = CASE WHEN ${staleLoginFailure('f')} THEN 1 ELSE f.failures + 1 END,
       locked_until = CASE
         WHEN f.locked_until > now() THEN f.locked_until
         WHEN (CASE WHEN ${staleLoginFailure('f')} THEN 1 ELSE f.failures + 1 END) >= $3 THEN now() + make_interval(secs => $4)
       END,
       last_failure = now()
     RETURNING failures`,
    [tenantId, key, MAX_FAILURES, LOCK_SECONDS],
  );
  return Number(rows[0].failures);
}

/**
 * Runs one password check for a tenant's username under the lockout rules: failures are
 * answered ever more slowly, then the username is locked for LOCK_SECONDS, and a success
 * starts the count over. A locked attempt fails exactly as a wrong password does, and unknown
 * usernames are counted too, so neither the lock nor its absence tells whether a user exists.
 */
export async function throttledLogin<T>(
  db: Queryable,
  tenantId: string,
  username: string,
  password: string,
  check: () => Promise<T | false>,
): Promise<T | false> {
  const key = usernameKey(username);
  const attempts = await countAttempt(db, tenantId, key);
  const user = attempts > MAX_FAILURES ? await verifyNothing(password) : await check();
  if (user) {
    await db.query('DELETE FROM login_failure WHERE tenant_id = $1 AND username_sha256 = $2', [tenantId, key]);
    return user;
  }
  await sleep(DELAY_STEP_MS * (Math.min(attempts, MAX_FAILURES) - 1));
  return false;
}
