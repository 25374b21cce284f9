import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_TIMINGS, resolveTimings, retryDelay } from '../../../src/platform/webhooks/timings.ts';
import { parseRetryAfter } from '../../../src/platform/jobs/retry.ts';
import { generateSecret, secretProblem, standardWebhooksKey } from '../../../src/platform/webhooks/signature.ts';

const HOUR = 3_600_000;

function span(random: () => number): { first: number; total: number; retries: number } {
  let total = 0;
  let retries = 0;
  let first = 0;
  for (let step = 1; ; step++) {
    const delay = retryDelay(DEFAULT_TIMINGS, step, random);
    if (delay === undefined) break;
    if (step === 1) first = delay;
    total += delay;
    retries++;
  }
  return { first, total, retries };
}

describe('retry schedule', () => {
  it('retries first within 10 s and keeps trying for more than three days, whatever the jitter', () => {
    for (const random of [() => 0, () => 0.5, () => 0.999999]) {
      const { first, total } = span(random);
      assert.ok(first <= 10_000, `first retry after ${first} ms`);
      assert.ok(total >= 72 * HOUR, `last attempt ${total / HOUR} h after the first`);
    }
  });

  it('grows exponentially up to a daily cap', () => {
    const delays = DEFAULT_TIMINGS.retryDelaysMs;
    for (let i = 1; i < delays.length; i++) assert.ok(delays[i] >= delays[i - 1]);
    assert.equal(Math.max(...delays), 24 * HOUR);
    assert.equal(delays[1] / delays[0], 3);
  });

  it('reads Retry-After as seconds or as a date', () => {
    const now = Date.parse('2026-01-15T10:00:00Z');
    assert.equal(parseRetryAfter('120', now), 120_000);
    assert.equal(parseRetryAfter('Thu, 15 Jan 2026 10:00:30 GMT', now), 30_000);
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(parseRetryAfter(undefined, now), undefined);
  });

  it('refuses a lease no longer than the request timeout', () => {
    assert.throws(() => resolveTimings({ requestTimeoutMs: 5_000, leaseMs: 5_000 }));
  });
});

describe('webhook secrets', () => {
  it('generates Standard Webhooks secrets of 32 random bytes', () => {
    const secret = generateSecret();
    assert.match(secret, /^whsec_/);
    assert.equal(standardWebhooksKey(secret).length, 32);
    assert.equal(secretProblem(secret), undefined);
    assert.notEqual(generateSecret(), secret);
  });

  it('keys other secrets with their own bytes and checks whsec_ ones', () => {
    assert.deepEqual(standardWebhooksKey('plain text'), Buffer.from('plain text'));
    assert.equal(secretProblem('anything goes'), undefined);
    assert.ok(secretProblem(`whsec_${Buffer.alloc(16).toString('base64')}`), 'too short');
    assert.ok(secretProblem(`whsec_${Buffer.alloc(65).toString('base64')}`), 'too long');
    assert.ok(secretProblem('whsec_not base64 at all!!!!!!!!!!!!!!!!!!!'));
    assert.equal(secretProblem(`whsec_${Buffer.alloc(24, 7).toString('base64')}`), undefined);
  });
});
