import { invariant } from './invariants.ts';
import type { JobOutcome, Transition } from './kind.ts';

const SECOND = 1000;

/** When a failed job is tried again, and when it is given up. */
export interface RetryPolicy {
  /** The base wait before retry `retry` (1-based), or undefined when the retries are used up. */
  delayMs(retry: number): number | undefined;
  /** Each wait is multiplied by a random factor in [1 - jitter, 1 + jitter), so retries of many jobs spread out. */
  jitter: number;
  /** A wait the other side asks for (Retry-After) is honoured up to this long. */
  maxRetryAfterMs: number;
}

/** Waits doubling (or growing by `factor`) from `firstMs` up to `maxMs`, for `retries` retries or without end. */
export function exponentialBackoff(options: { firstMs: number; factor?: number; maxMs: number; retries?: number; jitter?: number }): RetryPolicy {
  const { firstMs, factor = 2, maxMs, retries = Infinity, jitter = 0.25 } = options;
  return {
    delayMs: (retry) => (retry > retries ? undefined : Math.min(firstMs * factor ** (retry - 1), maxMs)),
    jitter,
    maxRetryAfterMs: maxMs,
  };
}

/** Waits listed one by one; the job fails for good after the last. */
export function listedBackoff(delaysMs: number[], jitter: number, maxRetryAfterMs: number): RetryPolicy {
  return { delayMs: (retry) => delaysMs[retry - 1], jitter, maxRetryAfterMs };
}

/** The wait before retry `retry` (1-based), jitter applied, or undefined when the retries are used up. */
export function retryDelay(policy: RetryPolicy, retry: number, random: () => number = Math.random): number | undefined {
  const base = policy.delayMs(retry);
  if (base === undefined) return undefined;
  return Math.round(base * (1 - policy.jitter + 2 * policy.jitter * random()));
}

/** Retry-After as seconds or as an HTTP date, in milliseconds from now; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * SECOND;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Where a run's outcome takes its job (invariants 5 and 6 of invariants.ts). `attempts` is the
 * claimed job's count, this run included, so the first failure asks for retry 1.
 */
export function nextTransition(outcome: JobOutcome, attempts: number, policy: RetryPolicy, random: () => number = Math.random): Transition {
  invariant(attempts >= 1, `a settled run counts ${attempts} attempts`);
  switch (outcome.outcome) {
    case 'done':
      return { to: 'done' };
    case 'later':
      return { to: 'pending', why: 'later', inMs: Math.max(0, outcome.inMs), attempts: 0 };
    case 'hand back':
      return { to: 'pending', why: 'handed back', inMs: 0, attempts: attempts - 1 };
    case 'give up':
      return { to: 'failed', error: outcome.error };
    case 'failure': {
      const backoff = retryDelay(policy, attempts, random);
      if (backoff === undefined) return { to: 'failed', error: outcome.error };
      const inMs = outcome.retryAfterMs === undefined ? backoff : Math.min(Math.max(0, outcome.retryAfterMs), policy.maxRetryAfterMs);
      return { to: 'pending', why: 'retry', inMs, attempts, error: outcome.error };
    }
  }
}
