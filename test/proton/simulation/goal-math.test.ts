import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { goalFlows, type FlowStream, type GoalPlanInput } from '../../../src/proton/simulation/goal-plan.ts';
import { noChange, type GoalProblem } from '../../../src/proton/simulation/goal-problem.ts';
import { evaluate } from '../../../src/proton/simulation/goal-status.ts';
import { recommend, type RecommendationBounds } from '../../../src/proton/simulation/goal-recommendation.ts';

const yearly = (amount: number, extra: Partial<FlowStream> = {}): FlowStream => ({
  amount,
  perYear: 1,
  inflation: 0,
  start: 'a_start',
  startPeriod: 0,
  end: 'a_end',
  endPeriod: 0,
  ...extra,
});

const plan: GoalPlanInput = { perYear: 1, accumulation: 2, decumulation: 3, deposits: [], withdrawals: [], withdrawalTax: 0, compoundingRate: null };

const accumulation: GoalProblem = {
  kind: 'accumulation',
  n: 2000,
  seed: 5,
  removeOutliers: false,
  confidenceTarget: 0.9,
  perYear: 1,
  returnPerYear: 1,
  annualReturns: [0.06],
  annualRisks: [0],
  initialBalance: 10000,
  accumulation: 10,
  decumulation: 0,
  deposits: [yearly(500)],
  withdrawals: [],
  withdrawalTax: 0,
  compoundingRate: null,
  goalAmount: 0,
  goalInflation: 0,
  threshold: 0,
  thresholdType: 'perc',
};

const bounds: RecommendationBounds = { depositMin: 0, depositMax: null, investmentMin: 0, investmentMax: null, horizonMin: 1, horizonMax: 64, inflation: 0 };

/** Φ, from the complementary error function of Numerical Recipes (erfc to 1.2e-7 everywhere). */
function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + z / 2);
  const erfc =
    t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? 1 - erfc / 2 : erfc / 2;
}

describe('goal cash flows', () => {
  test('monthly deposits land in their year, carried to its end at the compounding rate when asked', () => {
    const monthly = yearly(100, { perYear: 12 });
    const plain = goalFlows({ ...plan, deposits: [monthly] });
    assert.deepEqual([...plain.deposits], [0, 1200, 1200, 0, 0, 0]);
    const carried = goalFlows({ ...plan, deposits: [monthly], compoundingRate: 0.12 });
    let expected = 0;
    for (let k = 1; k <= 12; k++) expected += 100 * 1.12 ** ((12 - k) / 12);
    assert.ok(Math.abs(carried.deposits[1] - expected) < 1e-9, `${carried.deposits[1]} vs ${expected}`);
    assert.equal(carried.totalDeposits, 2400);
  });

  test('deposits grow once a year with inflation; withdrawals are taken at the start of decumulation years, grossed up for tax', () => {
    const flows = goalFlows({
      ...plan,
      deposits: [yearly(100, { inflation: 0.1 })],
      withdrawals: [yearly(1000, { start: 'a_end', end: 'd_end' })],
      withdrawalTax: 0.2,
    });
    assert.deepEqual([...flows.deposits], [0, 100, 110, 0, 0, 0]);
    assert.deepEqual([...flows.withdrawals], [0, 0, 0, 1250, 1250, 1250]);
    assert.equal(flows.totalWithdrawals, 3000);
  });
});

describe('goal probability', () => {
  const growth = 1.06 ** 10;
  const deterministic = 10000 * growth + (500 * (growth - 1)) / 0.06;

  test('without volatility the probability is 1 on the deterministic final balance and 0 a cent above it', () => {
    assert.equal(evaluate({ ...accumulation, goalAmount: deterministic }, noChange(accumulation)).probability, 1);
    assert.equal(evaluate({ ...accumulation, goalAmount: deterministic + 0.01 }, noChange(accumulation)).probability, 0);
    // A threshold of 10% lets a goal 10% above the reachable amount (less a cent) succeed.
    assert.equal(evaluate({ ...accumulation, goalAmount: deterministic / 0.9 - 0.01, threshold: 0.1 }, noChange(accumulation)).probability, 1);
  });

  test('a decumulation is sustained exactly up to the withdrawal the balance can annuitise', () => {
    let annuityDue = 0;
    for (let k = 0; k < 10; k++) annuityDue += 1.05 ** -k;
    const sustainable = 100000 / annuityDue;
    const decumulation: GoalProblem = { ...accumulation, kind: 'decumulation', annualReturns: [0.05], initialBalance: 100000, accumulation: 0, decumulation: 10, deposits: [] };
    const paying = (amount: number) => ({ ...decumulation, withdrawals: [yearly(amount, { start: 'a_end', end: 'd_end' })] });
    assert.equal(evaluate(paying(sustainable - 0.001), noChange(decumulation)).probability, 1);
    assert.equal(evaluate(paying(sustainable + 0.01), noChange(decumulation)).probability, 0);
  });

  test('with volatility and no deposits the probability matches the log-normal closed form', () => {
    const mu = 0.07;
    const sigma = 0.18;
    const problem: GoalProblem = { ...accumulation, n: 20000, annualReturns: [mu], annualRisks: [sigma], deposits: [], goalAmount: 18000 };
    const s2 = Math.log(1 + sigma ** 2 / (1 + mu) ** 2);
    const m = Math.log(1 + mu) - s2 / 2;
    const exact = normalCdf((10 * m - Math.log(18000 / 10000)) / Math.sqrt(10 * s2));
    const simulated = evaluate(problem, noChange(problem)).probability;
    assert.ok(Math.abs(simulated - exact) < 4 * Math.sqrt((exact * (1 - exact)) / problem.n), `${simulated} vs ${exact}`);
  });
});

describe('goal recommendations', () => {
  const risky: GoalProblem = { ...accumulation, annualRisks: [0.15], goalAmount: 30000, removeOutliers: true };

  test('without volatility the recurring deposit is the closed-form one, rounded up to the cent', () => {
    const goal = 30000;
    const growth = 1.06 ** 10;
    const annuity = (growth - 1) / 0.06;
    const exact = (goal - 10000 * growth - 500 * annuity) / annuity;
    const found = recommend({ ...accumulation, goalAmount: goal }, 'recurring', bounds);
    assert.equal(found.reached, true);
    assert.ok(found.change.recurring >= exact - 0.005 / annuity && found.change.recurring - exact < 0.01, `${found.change.recurring} vs ${exact}`);
  });

  for (const type of ['recurring', 'one-time', 'combo', 'horizon'] as const) {
    test(`${type}: the recommendation reaches the target and a cent (or period) less does not`, () => {
      const found = recommend(risky, type, bounds);
      assert.equal(found.reached, true);
      assert.ok(evaluate(risky, found.change).probability >= 0.9);
      const less =
        type === 'horizon'
          ? { ...found.change, accumulation: found.change.accumulation - 1 }
          : type === 'combo'
            ? { ...found.change, recurring: found.change.recurring - 0.01, oneTime: Math.round((found.change.recurring - 0.01) * 100) * 10 / 100 }
            : { ...found.change, recurring: Math.max(0, found.change.recurring - 0.01), oneTime: Math.max(0, found.change.oneTime - (type === 'one-time' ? 0.01 : 0)) };
      assert.ok(evaluate(risky, less).probability < 0.9, JSON.stringify(found));
    });
  }

  test('a bound that cannot reach the target is reported as not reached, at the bound', () => {
    const found = recommend(risky, 'one-time', { ...bounds, investmentMax: 10 });
    assert.equal(found.reached, false);
    assert.equal(found.change.oneTime, 10);
  });
});

describe('percentiles', () => {
  test('selection gives the interpolated order statistics a full sort gives', async () => {
    const { percentiles, percentileOfSorted } = await import('../../../src/proton/simulation/percentiles.ts');
    const values = new Float64Array(1001);
    for (let i = 0; i < values.length; i++) values[i] = Math.sin(i * 12.9898) * 43758.5453 - Math.floor(Math.sin(i * 12.9898) * 43758.5453) + (i % 7 === 0 ? 0.5 : 0);
    const sorted = Float64Array.from(values).sort();
    const ps = [90, 0, 12.5, 50, 50, 99.9, 100, 33.3];
    assert.deepEqual(percentiles(values, null, ps), ps.map((p) => percentileOfSorted(sorted, p)));
    const kept = Uint32Array.from([5, 3, 900, 17]);
    const keptSorted = Float64Array.from(kept, (i) => values[i]).sort();
    assert.deepEqual(percentiles(values, kept, [25, 75]), [25, 75].map((p) => percentileOfSorted(keptSorted, p)));
    assert.deepEqual(percentiles(Float64Array.of(4), null, [0, 50, 100]), [4, 4, 4]);
  });
});
