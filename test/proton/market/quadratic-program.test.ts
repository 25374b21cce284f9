import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { QuadraticForm, solveQuadratic, sparseConstraint, type LinearConstraint, type QuadraticProgram } from '../../../src/proton/market/quadratic-program.ts';
import { minimiseWarm } from '../../../src/proton/market/warm-start.ts';
import { seededRandom } from '../../support/seeded-random.ts';

function near(actual: number, expected: number, tolerance: number, what: string) {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: expected ${expected}, got ${actual}`);
}

const dot = (a: ArrayLike<number>, x: ArrayLike<number>) => Array.from(a).reduce((sum, v, i) => sum + v * x[i], 0);

/** Optimality of x with its multipliers: Dx − d = Σ λᵢaᵢ, constraints met, λ ≥ 0 on inequalities, λ = 0 where one is slack. */
function assertKkt(program: QuadraticProgram, x: number[], multipliers: number[], tolerance: number) {
  const constraints = [...program.equalities, ...program.inequalities];
  const scale = Math.max(1, ...x.map(Math.abs));
  for (let i = 0; i < x.length; i++) {
    const gradient = dot(program.D[i], x) - program.d[i];
    const pull = constraints.reduce((sum, c, k) => sum + multipliers[k] * c.a[i], 0);
    near(gradient, pull, tolerance * scale, `stationarity in x${i}`);
  }
  program.equalities.forEach((c, k) => near(dot(c.a, x), c.b, tolerance * scale, `equality ${k}`));
  program.inequalities.forEach((c, k) => {
    const slack = dot(c.a, x) - c.b;
    const multiplier = multipliers[program.equalities.length + k];
    assert.ok(slack >= -tolerance * scale, `inequality ${k} violated by ${-slack}`);
    assert.ok(multiplier >= -tolerance, `inequality ${k} has multiplier ${multiplier}`);
    assert.ok(Math.abs(multiplier * slack) <= tolerance * scale, `inequality ${k}: multiplier ${multiplier} on slack ${slack}`);
  });
}

/** A seeded generator, so every run checks the same programs. */
function generator(seed: number) {
  const { next: uniform } = seededRandom(seed);
  return { uniform, normal: () => Math.sqrt(-2 * Math.log(uniform() + 1e-300)) * Math.cos(2 * Math.PI * uniform()) };
}

/** A strictly convex program with a known feasible point: bounds, a budget equality, dense equalities and inequalities, some tight there. */
function randomProgram(seed: number): QuadraticProgram {
  const { uniform, normal } = generator(seed);
  const n = 2 + Math.floor(uniform() * 20);
  const factor = Array.from({ length: n + 2 }, () => Array.from({ length: n }, normal));
  const D = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => factor.reduce((sum, row) => sum + row[i] * row[j], 0) + (i === j ? 0.1 : 0)));
  const d = Array.from({ length: n }, normal);
  const point = Array.from({ length: n }, uniform);
  const equalities: LinearConstraint[] = [{ a: Array(n).fill(1), b: dot(Array(n).fill(1), point) }];
  if (uniform() < 0.5) {
    const a = Array.from({ length: n }, normal);
    equalities.push({ a, b: dot(a, point) });
  }
  const inequalities: LinearConstraint[] = [];
  for (let i = 0; i < n; i++) {
    const lower = Array(n).fill(0);
    lower[i] = 1;
    inequalities.push({ a: lower, b: uniform() < 0.3 ? point[i] : point[i] - uniform() });
    const upper = Array(n).fill(0);
    upper[i] = -1;
    inequalities.push({ a: upper, b: -(point[i] + uniform()) });
  }
  for (let k = 0; k < 3; k++) {
    const a = Array.from({ length: n }, normal);
    inequalities.push({ a, b: dot(a, point) - (uniform() < 0.3 ? 0 : uniform()) });
  }
  return { D, d, equalities, inequalities };
}

describe('quadratic program (Goldfarb–Idnani dual method)', () => {
  test('without constraints it is the unconstrained minimum D⁻¹d', () => {
    const solved = solveQuadratic({ D: [[2, 1], [1, 2]], d: [1, 1], equalities: [], inequalities: [] });
    assert.ok(solved.feasible);
    near(solved.x[0], 1 / 3, 1e-15, 'x0');
    near(solved.x[1], 1 / 3, 1e-15, 'x1');
  });

  test('a budget and a binding lower limit: the known optimum and its multipliers', () => {
    // min ½(x₀² + x₁²) subject to x₀ + x₁ = 1 and x₀ ≥ 0.8: x = (0.8, 0.2), and x − λ(1, 1) − μ(1, 0) = 0 gives λ = 0.2, μ = 0.6.
    const program = { D: [[1, 0], [0, 1]], d: [0, 0], equalities: [{ a: [1, 1], b: 1 }], inequalities: [{ a: [1, 0], b: 0.8 }, { a: [0, 1], b: 0 }] };
    const solved = solveQuadratic(program);
    assert.ok(solved.feasible);
    near(solved.x[0], 0.8, 1e-15, 'x0');
    near(solved.x[1], 0.2, 1e-15, 'x1');
    near(solved.multipliers[0], 0.2, 1e-15, 'budget multiplier');
    near(solved.multipliers[1], 0.6, 1e-15, 'lower limit multiplier');
    assert.equal(solved.multipliers[2], 0);
  });

  test('an equality violated from above keeps its sign in the multiplier', () => {
    // The unconstrained minimum (1, 1) sums to 2 > 1; x = (0.5, 0.5) with x − d = λ(1, 1), so λ = −0.5.
    const solved = solveQuadratic({ D: [[1, 0], [0, 1]], d: [1, 1], equalities: [{ a: [1, 1], b: 1 }], inequalities: [] });
    assert.ok(solved.feasible);
    near(solved.x[0], 0.5, 1e-15, 'x0');
    near(solved.multipliers[0], -0.5, 1e-15, 'multiplier');
  });

  test('the KKT conditions hold on random programs with equalities, limits and dense constraints', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const program = randomProgram(seed);
      const solved = solveQuadratic(program);
      assert.ok(solved.feasible, `seed ${seed}: a program with a feasible point was found infeasible`);
      assertKkt(program, solved.x, solved.multipliers, 1e-8);
    }
  });

  test('constraints the active ones already imply do not make a feasible program infeasible', () => {
    // Lower limits that add up to the budget leave one feasible point, and the budget is implied by the limits.
    const lower = [0.2, 0.3, 0.1, 0.4];
    const n = lower.length;
    const unit = (i: number) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0));
    const program = {
      D: Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 2 : 0.5))),
      d: [0.3, -0.2, 0.1, 0],
      equalities: [{ a: Array(n).fill(1), b: 1 }, { a: [0, 1, 1, 0], b: 0.4 }],
      inequalities: lower.map((b, i) => ({ a: unit(i), b })),
    };
    const solved = solveQuadratic(program);
    assert.ok(solved.feasible);
    lower.forEach((b, i) => near(solved.x[i], b, 1e-12, `x${i}`));
    // A budget stated twice: once the first is met, the second misses by round-off alone (here by more than 8ε).
    const twice = solveQuadratic({
      D: [[1, 0, 0], [0, 2, 0], [0, 0, 3]],
      d: [-0.7, 0.3, -0.7],
      equalities: [{ a: [1, 1, 1], b: 4.77 }, { a: [1, 1, 1], b: 4.77 }],
      inequalities: [],
    });
    assert.ok(twice.feasible);
    near(twice.x.reduce((a, b) => a + b, 0), 4.77, 1e-12, 'budget');
  });

  test('contradictory constraints, and a D that is not positive definite, are infeasible', () => {
    const contradictory = solveQuadratic({ D: [[1, 0], [0, 1]], d: [0, 0], equalities: [], inequalities: [{ a: [1, 1], b: 1 }, { a: [-1, -1], b: 0 }] });
    assert.equal(contradictory.feasible, false);
    const contradictoryEqualities = solveQuadratic({ D: [[1, 0], [0, 1]], d: [0, 0], equalities: [{ a: [1, 0], b: 1 }, { a: [2, 0], b: 1 }], inequalities: [] });
    assert.equal(contradictoryEqualities.feasible, false);
    assert.equal(solveQuadratic({ D: [[1, 2], [2, 1]], d: [0, 0], equalities: [], inequalities: [] }).feasible, false);
    assert.equal(QuadraticForm.factor([[1, 0], [0, Number.NaN]]), undefined);
  });

  test('one factored form solves many programs, each as if factored afresh', () => {
    const program = randomProgram(7);
    const form = QuadraticForm.factor(program.D);
    assert.ok(form);
    const equalities = program.equalities.map(sparseConstraint);
    const inequalities = program.inequalities.map(sparseConstraint);
    const opposite = Array.from(program.d, (v) => -v);
    const first = form.minimise(program.d, equalities, inequalities);
    const other = form.minimise(opposite, equalities, []);
    const again = form.minimise(program.d, equalities, inequalities);
    assert.deepEqual(again, first);
    assert.deepEqual(first, solveQuadratic(program));
    assert.deepEqual(other, solveQuadratic({ ...program, d: opposite, inequalities: [] }));
  });

  test('a warm start from the bounds that bind reaches the same optimum, releasing those guessed wrongly', () => {
    let corrected = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const program = randomProgram(seed);
      const form = QuadraticForm.factor(program.D)!;
      const equalities = program.equalities.map(sparseConstraint);
      const inequalities = program.inequalities.map(sparseConstraint);
      const cold = form.minimise(program.d, equalities, inequalities);
      assert.ok(cold.feasible);
      const bounds = inequalities.filter((c) => c.index.length === 1);
      const binding = bounds.filter((c) => cold.multipliers[equalities.length + inequalities.indexOf(c)] > 0);
      // The right guess, and the right guess with the slack lower limit of a free variable added.
      const wrong = bounds.filter((c) => !binding.some((b) => b.index[0] === c.index[0]) && c.value[0] > 0).slice(0, 1);
      for (const guess of [binding, [...binding, ...wrong]]) {
        const warm = minimiseWarm(form, program.d, equalities, inequalities, new Set(guess));
        if (!warm) continue;
        if (guess.length > binding.length) corrected++;
        warm.x.forEach((v, i) => near(v, cold.x[i], 1e-9 * Math.max(1, Math.abs(cold.x[i])), `seed ${seed}: x${i}`));
        assertKkt(program, warm.x, warm.multipliers, 1e-8);
      }
      if (binding.length > 0 && binding.length < program.D.length) assert.ok(minimiseWarm(form, program.d, equalities, inequalities, new Set(binding)), `seed ${seed}: the right guess did not stand`);
    }
    assert.ok(corrected > 0, 'no wrong guess was ever corrected');
  });

  test('a warm start gives up on a guess that leaves the program infeasible', () => {
    // x₀ + x₁ = 1 cannot hold with both weights fixed at 0.
    const form = QuadraticForm.factor([[1, 0], [0, 1]])!;
    const lower = [sparseConstraint({ a: [1, 0], b: 0 }), sparseConstraint({ a: [0, 1], b: 0 })];
    const budget = [sparseConstraint({ a: [1, 1], b: 1 })];
    assert.equal(minimiseWarm(form, [0, 0], budget, lower, new Set(lower)), undefined);
    assert.equal(minimiseWarm(form, [0, 0], budget, lower, new Set(lower.slice(0, 1))), undefined, 'held at 0, x₀ has a negative multiplier; the optimum (0.5, 0.5) is left to the whole program');
  });
});
