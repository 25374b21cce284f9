import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rebalance, type OrderMode, type PortfolioPosition, type RebalanceOptions } from '../../../src/nucleus/views/rebalance.ts';
import { Decimal, cents } from '../../../src/platform/money/money.ts';

const d = (v: string | number) => new Decimal(v);
const map = (entries: Record<string, number>) => new Map(Object.entries(entries).map(([k, v]) => [k, d(v)]));

/**
 * A three-security model (A 50 %, B 30 %, C 20 %) and a drifted portfolio:
 * A 60 × 100 = 6000, B 40 × 50 = 2000, C 40 × 25 = 1000, cash 1000; V = 10000.
 * Targets A 5000, B 3000, C 2000, cash 0: sell 1000 of A, buy 1000 of B and 1000 of C.
 */
const drifted: PortfolioPosition = {
  holdings: map({ A: 60, B: 40, C: 40, CASH: 1000 }),
  prices: map({ A: 100, B: 50, C: 25, CASH: 1 }),
  targets: map({ A: 50, B: 30, C: 20 }),
  cashSecurityId: 'CASH',
  noBuy: new Set(),
  noSell: new Set(),
};
const plainOptions: RebalanceOptions = { nonFractional: false, useCashAvailable: true };

function orders(position: PortfolioPosition, mode: OrderMode, options: Partial<RebalanceOptions> = {}) {
  return rebalance(position, mode, { ...plainOptions, ...options }).map((t) => [t.side, t.securityId, t.quantity.toNumber(), cents(t.amount)]);
}

describe('rebalancing a portfolio to its model', () => {
  it('sells the overweight and buys the underweight with the proceeds and the spare cash', () => {
    assert.deepEqual(orders(drifted, 'rebalance'), [
      ['sell', 'A', 10, 1000],
      ['buy', 'B', 20, 1000],
      ['buy', 'C', 40, 1000],
    ]);
  });

  it('buys only with the proceeds when the cash may not be used, scaling every buy alike', () => {
    // 1000 of proceeds for 2000 of buys: half of each.
    assert.deepEqual(orders(drifted, 'rebalance', { useCashAvailable: false }), [
      ['sell', 'A', 10, 1000],
      ['buy', 'B', 10, 500],
      ['buy', 'C', 20, 500],
    ]);
  });

  it('buys whole shares without ever spending more than there is', () => {
    // A 60 × 100, B 40 × 30, C 100 × 7, cash 100: V = 8000; targets A 4000, B 2400, C 1600.
    const awkward: PortfolioPosition = { ...drifted, holdings: map({ A: 60, B: 40, C: 100, CASH: 100 }), prices: map({ A: 100, B: 30, C: 7, CASH: 1 }) };
    // Sell 20 A (2000); buy B 1200 / 30 = 40, C 900 / 7 = 128.57 → 128 (896): 2096 of 2100.
    assert.deepEqual(orders(awkward, 'rebalance', { nonFractional: true }), [
      ['sell', 'A', 20, 2000],
      ['buy', 'B', 40, 1200],
      ['buy', 'C', 128, 896],
    ]);
    // Without the cash: 2000 for 2100 of buys, scale 20/21. B 1142.86 / 30 → 38 (1140); C 857.14 / 7 → 122 (854).
    assert.deepEqual(orders(awkward, 'rebalance', { nonFractional: true, useCashAvailable: false }), [
      ['sell', 'A', 20, 2000],
      ['buy', 'B', 38, 1140],
      ['buy', 'C', 122, 854],
    ]);
    // Fractional: C gets 900 / 7 = 128.57142857 shares (eight places, rounded down).
    assert.deepEqual(orders(awkward, 'rebalance').at(-1), ['buy', 'C', 128.57142857, 900]);
  });

  it('drops trades under the buy and sell thresholds', () => {
    // The 1000 sale of A is under 1500: only the 1000 of cash funds 2000 of buys.
    assert.deepEqual(orders(drifted, 'rebalance', { sellThreshold: d(1500) }), [
      ['buy', 'B', 10, 500],
      ['buy', 'C', 20, 500],
    ]);
    assert.deepEqual(orders(drifted, 'rebalance', { sellThreshold: d(1500), buyThreshold: d(600) }), []);
  });

  it('leaves a portfolio alone while no weight drifts past the port threshold', () => {
    // Weights are A 60, B 20, C 10, cash 10 against 50, 30, 20, 0: ten points at most.
    assert.deepEqual(orders(drifted, 'rebalance', { portThreshold: d(10) }), []);
    assert.equal(orders(drifted, 'rebalance', { portThreshold: d('9.99') }).length, 3);
  });

  it('keeps restricted securities out of buys or sells', () => {
    assert.deepEqual(orders({ ...drifted, noBuy: new Set(['B']) }, 'rebalance'), [
      ['sell', 'A', 10, 1000],
      ['buy', 'C', 40, 1000],
    ]);
    // Without the sale, the 1000 of cash is split over the 2000 of buys.
    assert.deepEqual(orders({ ...drifted, noSell: new Set(['A']) }, 'rebalance'), [
      ['buy', 'B', 10, 500],
      ['buy', 'C', 20, 500],
    ]);
  });

  it('buys only, sells only or sells everything', () => {
    assert.deepEqual(orders(drifted, 'buy_only', { useCashAvailable: false }), [
      ['buy', 'B', 10, 500],
      ['buy', 'C', 20, 500],
    ]);
    assert.deepEqual(orders(drifted, 'sell_only'), [['sell', 'A', 10, 1000]]);
    assert.deepEqual(orders(drifted, 'sell_all'), [
      ['sell', 'A', 60, 6000],
      ['sell', 'B', 40, 2000],
      ['sell', 'C', 40, 1000],
    ]);
  });

  it('keeps the cash a model holds, and does nothing for an empty portfolio', () => {
    // The model keeps 10 % in cash: targets A 4500, B 2700, C 1800, cash 1000.
    const withCash = { ...drifted, targets: map({ A: 45, B: 27, C: 18, CASH: 10 }) };
    assert.deepEqual(orders(withCash, 'rebalance'), [
      ['sell', 'A', 15, 1500],
      ['buy', 'B', 14, 700],
      ['buy', 'C', 32, 800],
    ]);
    assert.deepEqual(orders({ ...drifted, holdings: new Map() }, 'rebalance'), []);
  });
});
