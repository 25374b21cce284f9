import assert from 'node:assert/strict';
import type { TestServer } from '../../support/server.ts';

/** The three answers every calculator endpoint owes: a result, a 400 naming the field, a 401. */
export async function checkEndpoint(
  server: TestServer,
  path: string,
  valid: Record<string, unknown>,
  invalid: { body: Record<string, unknown>; field: string },
): Promise<Record<string, any>> {
  const ok = await server.request('POST', `/proton/v1${path}`, { body: valid });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  const bad = await server.request('POST', `/proton/v1${path}`, { body: invalid.body });
  assert.equal(bad.status, 400, JSON.stringify(bad.body));
  assert.equal(bad.body.field, invalid.field, JSON.stringify(bad.body));
  const anonymous = await server.request('POST', `/proton/v1${path}`, { body: valid, token: null });
  assert.equal(anonymous.status, 401);
  return ok.body;
}

/** Money compared to the cent: a reported figure against an independently computed one. */
export function assertCents(actual: number, expected: number, message?: string): void {
  assert.ok(Math.abs(actual - expected) < 0.005 + 1e-9, `${message ?? ''} expected ${expected.toFixed(4)}, got ${actual}`);
}

/** Every reported schedule row adds up and opens with the previous row's closing balance. */
export function assertScheduleAddsUp(rows: { start_balance: number; deposits: number; withdrawals: number; earnings: number; taxes: number; end_balance: number }[]): void {
  let previous: number | undefined;
  for (const row of rows) {
    if (previous !== undefined) assert.equal(row.start_balance, previous);
    const cents = Math.round(row.start_balance * 100) + Math.round(row.deposits * 100) - Math.round(row.withdrawals * 100) + Math.round(row.earnings * 100) - Math.round(row.taxes * 100);
    assert.equal(cents, Math.round(row.end_balance * 100));
    previous = row.end_balance;
  }
}
