import { listedBackoff, retryDelay as policyDelay, type RetryPolicy } from '../jobs/retry.ts';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** How the delivery worker paces itself; tests shrink these instead of waiting real minutes. */
export interface DeliveryTimings {
  /** How often the job engine looks for deliveries queued by another server. */
  pollIntervalMs: number;
  /** A response must start within this long; otherwise the attempt failed. */
  requestTimeoutMs: number;
  /**
   * How long a claimed delivery's job stays owned by its worker, between renewals. Longer than
   * the request timeout, so only a worker that died mid-attempt ever loses a claim, and its
   * delivery is then taken up again once the lease runs out.
   */
  leaseMs: number;
  /** Base delay before each retry, in order; the delivery fails for good after the last. */
  retryDelaysMs: number[];
  /** Each delay is multiplied by a random factor in [1 - jitter, 1 + jitter). */
  jitter: number;
  /** A Retry-After longer than this is cut to it. */
  maxRetryAfterMs: number;
  /** A webhook is paused after at least this many failures in a row... */
  pauseAfterFailures: number;
  /** ...that have lasted at least this long. */
  pauseAfterMs: number;
  /** Attempts in flight at once, per process. */
  concurrency: number;
}

/** 5 s × 3ⁿ, capped at a day: 13 retries whose base delays add up to about 110 hours. */
function defaultRetryDelays(): number[] {
  const delays: number[] = [];
  for (let step = 0; step < 13; step++) delays.push(Math.min(5 * SECOND * 3 ** step, 24 * HOUR));
  return delays;
}

/**
 * With ±25 % jitter the first retry comes 3.75-6.25 s after the first failure and the last
 * attempt at least 82 hours after the first: more than the three days a receiver may be down.
 */
export const DEFAULT_TIMINGS: DeliveryTimings = {
  pollIntervalMs: 1 * SECOND,
  requestTimeoutMs: 15 * SECOND,
  leaseMs: 25 * SECOND,
  retryDelaysMs: defaultRetryDelays(),
  jitter: 0.25,
  maxRetryAfterMs: 24 * HOUR,
  pauseAfterFailures: 10,
  pauseAfterMs: 24 * HOUR,
  concurrency: 16,
};

export function resolveTimings(overrides: Partial<DeliveryTimings> = {}): DeliveryTimings {
  const timings = { ...DEFAULT_TIMINGS, ...overrides };
  if (timings.leaseMs <= timings.requestTimeoutMs) throw new Error('webhook leaseMs must exceed requestTimeoutMs');
  return timings;
}

/** The job engine's retry policy for deliveries: the listed delays, their jitter and the Retry-After cap. */
export function webhookRetryPolicy(timings: DeliveryTimings): RetryPolicy {
  return listedBackoff(timings.retryDelaysMs, timings.jitter, timings.maxRetryAfterMs);
}

/** The wait before retry number `step` (1-based), or undefined when the retries are used up. */
export function retryDelay(timings: DeliveryTimings, step: number, random: () => number = Math.random): number | undefined {
  return policyDelay(webhookRetryPolicy(timings), step, random);
}
