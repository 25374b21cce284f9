import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { aggregateHoldings, allocationHoldings, priceLookup, type HoldingLine } from '../../../src/nucleus/views/holdings.ts';
import { snapshotsAsOf } from '../../../src/nucleus/views/snapshots.ts';
import { Decimal, cents } from '../../../src/platform/money/money.ts';

const d = (v: string | number) => new Decimal(v);

function line(source: string, day: string, item: string, shares: number, extra: Partial<HoldingLine> = {}): HoldingLine {
  return { source, day, at: `${day}T16:00:00Z`, item, shares: d(shares), ...extra };
}

// P1 holds S1 and S2 on Jan 1, then only S1 from Feb 1; P2 holds S1 (no amount) and S3 from Jan 10.
const lines = [
  line('P1', '2024-01-01', 'S1', 10, { amount: d(1000), costBasis: d(900) }),
  line('P1', '2024-01-01', 'S2', 5, { amount: d(500) }),
  line('P1', '2024-02-01', 'S1', 12, { amount: d(1300) }),
  line('P2', '2024-01-10', 'S1', 1),
  line('P2', '2024-01-10', 'S3', 2, { amount: d('200.10') }),
];
const priceOf = priceLookup([
  { securityId: 'S1', day: '2024-01-01', at: 'a', price: d(100) },
  { securityId: 'S1', day: '2024-01-20', at: 'a', price: d(105) },
  { securityId: 'S1', day: '2024-02-01', at: 'a', price: d('108.25') },
]);

function plain(result: ReturnType<typeof aggregateHoldings>) {
  return result.map((h) => ({
    date: h.date,
    security: h.securityId,
    shares: h.shares.toNumber(),
    amount: h.amount && cents(h.amount),
    cost_basis: h.costBasis && cents(h.costBasis),
    weight: h.weight && h.weight.toDecimalPlaces(4).toNumber(),
  }));
}

describe('snapshots as of a day', () => {
  it('counts each source with its last snapshot, the day\'s lines replacing the earlier ones', () => {
    const result = snapshotsAsOf(lines);
    assert.deepEqual(result.map((s) => [s.day, s.lines.map((l) => `${l.source}:${l.item}`).sort()]), [
      ['2024-01-01', ['P1:S1', 'P1:S2']],
      ['2024-01-10', ['P1:S1', 'P1:S2', 'P2:S1', 'P2:S3']],
      // P1's Feb 1 snapshot no longer has S2: it was sold.
      ['2024-02-01', ['P1:S1', 'P2:S1', 'P2:S3']],
    ]);
  });

  it('takes the last correction of a line and seeds the range with earlier snapshots', () => {
    const corrected = [line('P1', '2024-01-01', 'S1', 10), { ...line('P1', '2024-01-01', 'S1', 11), at: '2024-01-01T18:00:00Z' }];
    assert.equal(snapshotsAsOf(corrected)[0].lines[0].shares.toNumber(), 11);
    const ranged = snapshotsAsOf(lines, { range: { start: '2024-01-05', end: '2024-01-31' } });
    assert.deepEqual(ranged.map((s) => [s.day, s.lines.length]), [['2024-01-10', 4]]);
    assert.deepEqual(snapshotsAsOf(lines, { latestOnly: true }).map((s) => s.day), ['2024-02-01']);
  });
});

describe('holdings aggregated by security', () => {
  it('adds up shares and amounts, valuing a line without an amount at the price as of the day', () => {
    // Feb 1: S1 = 12 shares for 1300 in P1 + 1 share × 108.25 in P2; S3 = 200.10. Total 1608.35.
    assert.deepEqual(plain(aggregateHoldings(lines, { latestOnly: true, priceOf })), [
      { date: '2024-02-01', security: 'S1', shares: 13, amount: 1408.25, cost_basis: undefined, weight: 87.5587 },
      { date: '2024-02-01', security: 'S3', shares: 2, amount: 200.1, cost_basis: undefined, weight: 12.4413 },
    ]);
  });

  it('reports every day of a range with weights of that day\'s total', () => {
    const january = plain(aggregateHoldings(lines, { range: { start: '2024-01-01', end: '2024-01-31' }, priceOf }));
    assert.deepEqual(january, [
      { date: '2024-01-01', security: 'S1', shares: 10, amount: 1000, cost_basis: 900, weight: 66.6667 },
      { date: '2024-01-01', security: 'S2', shares: 5, amount: 500, cost_basis: undefined, weight: 33.3333 },
      // Jan 10: S1's extra share at Jan 1's price of 100; total 1800.10.
      { date: '2024-01-10', security: 'S1', shares: 11, amount: 1100, cost_basis: 900, weight: 61.1077 },
      { date: '2024-01-10', security: 'S2', shares: 5, amount: 500, cost_basis: undefined, weight: 27.7762 },
      { date: '2024-01-10', security: 'S3', shares: 2, amount: 200.1, cost_basis: undefined, weight: 11.116 },
    ]);
  });

  it('counts portfolios at their share and leaves unpriced lines without amount or weight', () => {
    const halfP2 = plain(aggregateHoldings(lines, { latestOnly: true, priceOf, shares: new Map([['P2', d('0.5')]]) }));
    assert.deepEqual(halfP2.map((h) => [h.security, h.shares, h.amount]), [
      ['S1', 12.5, 1354.13], // 1300 + 0.5 × 108.25 = 1354.125
      ['S3', 1, 100.05],
    ]);
    const unpriced = plain(aggregateHoldings([line('P2', '2024-01-10', 'S9', 3)], {}));
    assert.deepEqual(unpriced, [{ date: '2024-01-10', security: 'S9', shares: 3, amount: undefined, cost_basis: undefined, weight: undefined }]);
  });
});

describe('allocation holdings', () => {
  it('multiplies each security\'s weight in a model by the model\'s weight in the allocation', () => {
    const modelLines = [
      { source: 'M1', day: '2024-01-01', at: 'a', item: 'S1', currentWeight: d(70), strategicWeight: d(60) },
      { source: 'M1', day: '2024-01-01', at: 'a', item: 'S2', currentWeight: d(30), strategicWeight: d(40) },
      { source: 'M2', day: '2024-01-01', at: 'a', item: 'S2', currentWeight: d(100), strategicWeight: d(100) },
      { source: 'MX', day: '2024-01-01', at: 'a', item: 'S3', currentWeight: d(100), strategicWeight: d(100) },
    ];
    const weights = new Map([
      ['M1', { current: d(60), strategic: d(50) }],
      ['M2', { current: d(40), strategic: d(50) }],
    ]);
    const result = allocationHoldings(modelLines, weights).map((h) => [h.securityId, h.currentWeight.toNumber(), h.strategicWeight.toNumber()]);
    // S1: 70 × 60 % = 42 and 60 × 50 % = 30; S2: 30 × 60 % + 100 × 40 % = 58 and 40 × 50 % + 100 × 50 % = 70.
    assert.deepEqual(result, [
      ['S1', 42, 30],
      ['S2', 58, 70],
    ]);
  });
});
