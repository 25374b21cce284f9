import quadprog from 'quadprog';

/** One linear constraint aᵀx = b (equality) or aᵀx ≥ b. */
export interface LinearConstraint {
  a: ArrayLike<number>;
  b: number;
}

export interface QuadraticProgram {
  /** Symmetric positive definite matrix of the objective ½xᵀDx − dᵀx. */
  D: readonly ArrayLike<number>[];
  d: ArrayLike<number>;
  equalities: readonly LinearConstraint[];
  inequalities: readonly LinearConstraint[];
}

export type QuadraticSolution = { feasible: true; x: number[]; multipliers: number[] } | { feasible: false };

/**
 * Minimises ½xᵀDx − dᵀx under the constraints with Goldfarb and Idnani's dual method (the
 * quadprog package). Its arrays start at 1 and it overwrites D and d, so fresh copies are
 * passed on every call. Multipliers come in the order equalities, then inequalities.
 */
export function solveQuadratic(program: QuadraticProgram): QuadraticSolution {
  const n = program.d.length;
  const constraints = [...program.equalities, ...program.inequalities];
  const D: number[][] = [[]];
  for (let i = 0; i < n; i++) D.push([0, ...Array.from(program.D[i])]);
  const d = [0, ...Array.from(program.d)];
  const A: number[][] = [[]];
  for (let i = 0; i < n; i++) {
    const row = [0];
    for (const constraint of constraints) row.push(constraint.a[i]);
    A.push(row);
  }
  const b = [0, ...constraints.map((c) => c.b)];
  const result = quadprog.solveQP(D, d, A, b, program.equalities.length);
  if (result.message !== '' || result.solution.slice(1).some((v) => !Number.isFinite(v))) return { feasible: false };
  return { feasible: true, x: result.solution.slice(1), multipliers: result.Lagrangian.slice(1) };
}
