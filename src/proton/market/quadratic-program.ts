import { DualActiveSet } from './dual-active-set.ts';

/** One linear constraint aᵀx = b (equality) or aᵀx ≥ b. */
export interface LinearConstraint {
  a: ArrayLike<number>;
  b: number;
}

/**
 * A constraint as the solver reads it: only the nonzero entries of a. Most constraints of a
 * portfolio bound a single weight, so reading them costs O(1) instead of O(n).
 */
export interface SparseConstraint {
  index: Int32Array;
  value: Float64Array;
  b: number;
  /** ‖a‖, which scales the violations that are compared. */
  norm: number;
}

export interface QuadraticProgram {
  /** Symmetric positive definite matrix of the objective ½xᵀDx − dᵀx. */
  D: readonly ArrayLike<number>[];
  d: ArrayLike<number>;
  equalities: readonly LinearConstraint[];
  inequalities: readonly LinearConstraint[];
}

export type QuadraticSolution = { feasible: true; x: number[]; multipliers: number[] } | { feasible: false };

export function sparseConstraint({ a, b }: LinearConstraint): SparseConstraint {
  const index: number[] = [];
  const value: number[] = [];
  let squares = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === 0) continue;
    index.push(i);
    value.push(a[i]);
    squares += a[i] * a[i];
  }
  return { index: Int32Array.from(index), value: Float64Array.from(value), b, norm: Math.sqrt(squares) };
}

/**
 * The quadratic part of ½xᵀDx − dᵀx, factored once (D = UᵀU) so that every program sharing D
 * — each point of an efficient frontier — starts from the same inverse factor U⁻¹.
 */
export class QuadraticForm {
  private constructor(
    readonly matrix: readonly ArrayLike<number>[],
    readonly size: number,
    /** U⁻¹, upper triangular, column-major: entry (i, j) at j·n + i. */
    private readonly inverseFactor: Float64Array,
  ) {}

  /** Undefined when D is not positive definite. */
  static factor(D: readonly ArrayLike<number>[]): QuadraticForm | undefined {
    const n = D.length;
    const u = new Float64Array(n * n);
    for (let j = 0; j < n; j++) {
      let squares = 0;
      for (let k = 0; k < j; k++) {
        let t = D[k][j];
        for (let i = 0; i < k; i++) t -= u[k * n + i] * u[j * n + i];
        t /= u[k * n + k];
        u[j * n + k] = t;
        squares += t * t;
      }
      const pivot = D[j][j] - squares;
      if (!(pivot > 0)) return undefined;
      u[j * n + j] = Math.sqrt(pivot);
    }
    const inverse = new Float64Array(n * n);
    for (let j = 0; j < n; j++) {
      inverse[j * n + j] = 1 / u[j * n + j];
      for (let i = j - 1; i >= 0; i--) {
        let t = 0;
        for (let k = i + 1; k <= j; k++) t += u[k * n + i] * inverse[j * n + k];
        inverse[j * n + i] = -t / u[i * n + i];
      }
    }
    return new QuadraticForm(D, n, inverse);
  }

  /**
   * Minimises ½xᵀDx − dᵀx under the constraints by Goldfarb and Idnani's dual method: start
   * at the unconstrained minimum and repeatedly add the most violated constraint, dropping
   * any whose multiplier would turn negative. J = U⁻¹Qᵀ and the triangular R with
   * Jᵀ(active normals) = [R; 0] are updated by a reflection when a constraint is added and by
   * plane rotations when one is dropped, so each step costs O(n²).
   * Multipliers come in the order equalities, then inequalities.
   */
  minimise(d: ArrayLike<number>, equalities: readonly SparseConstraint[], inequalities: readonly SparseConstraint[]): QuadraticSolution {
    return new DualActiveSet(this.size, this.inverseFactor.slice(), equalities, inequalities).solve(d);
  }
}

/** Factors D and solves one program; for a D shared by several programs, factor it once with QuadraticForm. */
export function solveQuadratic(program: QuadraticProgram): QuadraticSolution {
  const form = QuadraticForm.factor(program.D);
  if (!form) return { feasible: false };
  return form.minimise(program.d, program.equalities.map(sparseConstraint), program.inequalities.map(sparseConstraint));
}
