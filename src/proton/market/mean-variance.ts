import { CalculationError } from '../calculation-error.ts';
import { QuadraticForm, sparseConstraint, type SparseConstraint } from './quadratic-program.ts';
import { minimiseWarm } from './warm-start.ts';
import { weightedMean, weightedRisk } from './statistics.ts';

/** Where an asset's weight may lie, and the groups (asset classes) whose total is capped. */
export interface WeightLimits {
  lower: number[];
  upper: number[];
  /** Σ of the members' weights ≤ max. */
  caps: { members: number[]; max: number; field: string }[];
  /** Σ of the members' weights = total (cash held at a fixed weight). */
  fixed?: { members: number[]; total: number };
}

export interface MeanVarianceProblem {
  /** Expected return of each asset (annual). */
  mean: ArrayLike<number>;
  /** Covariance of the assets' returns (annual). */
  covariance: readonly ArrayLike<number>[];
  limits: WeightLimits;
}

export interface Allocation {
  weights: number[];
  return: number;
  risk: number;
}

/** A weight below this counts as not held. */
export const HELD_WEIGHT = 1e-4;
/** The weight an asset is forced to hold when the cardinality heuristic brings it in. */
export const CARDINALITY_FLOOR = 0.01;
/** Small multiple of the identity added to the covariance, so that the program stays strictly convex when assets are collinear or outnumber the periods. */
const RIDGE = 1e-10;
/** Weight of the variance beside the return when finding the highest attainable return; it only breaks ties. */
const TIE_BREAK = 1e-6;
const BISECTION_STEPS = 40;

function ridged(covariance: readonly ArrayLike<number>[], scale: number): Float64Array[] {
  const n = covariance.length;
  let trace = 0;
  for (let i = 0; i < n; i++) trace += covariance[i][i];
  const ridge = RIDGE * Math.max(trace / Math.max(n, 1), 1e-12);
  return covariance.map((row, i) => {
    const out = new Float64Array(n);
    for (let j = 0; j < n; j++) out[j] = row[j] * scale + (i === j ? ridge : 0);
    return out;
  });
}

/** The constraint Σᵢ∈members wᵢ·coefficient ≥ b (or = b), stored sparsely as the solver reads it. */
function over(members: Iterable<number>, coefficient: number, b: number): SparseConstraint {
  const index = Int32Array.from(new Set(members)).sort();
  return { index, value: new Float64Array(index.length).fill(coefficient), b, norm: Math.abs(coefficient) * Math.sqrt(index.length) };
}

interface Constraints {
  equalities: SparseConstraint[];
  inequalities: SparseConstraint[];
  /** Each weight's lower and upper limit among the inequalities. */
  bounds: { lower: SparseConstraint; upper: SparseConstraint }[];
}

function constraints(limits: WeightLimits, n: number): Constraints {
  const equalities = [over(Array.from({ length: n }, (_, i) => i), 1, 1)];
  if (limits.fixed && limits.fixed.members.length > 0) equalities.push(over(limits.fixed.members, 1, limits.fixed.total));
  const bounds = Array.from({ length: n }, (_, i) => ({ lower: over([i], 1, limits.lower[i]), upper: over([i], -1, -limits.upper[i]) }));
  const inequalities = bounds.flatMap(({ lower, upper }) => [lower, upper]);
  for (const cap of limits.caps) inequalities.push(over(cap.members, -1, -cap.max));
  return { equalities, inequalities, bounds };
}

function allocation(problem: MeanVarianceProblem, x: number[]): Allocation {
  // Solver round-off can leave a weight a hair outside [0, 1].
  const weights = x.map((w) => (w < 1e-12 ? 0 : Math.min(w, 1)));
  return { weights, return: weightedMean(weights, problem.mean), risk: weightedRisk(weights, problem.covariance) };
}

/**
 * The optimiser over one set of weight limits. Each method solves one quadratic program:
 * least variance (optionally at a return of at least r) or, with the variance only breaking
 * ties, the highest return. The covariance is factored once and shared by every program
 * and by the optimisers derived with other limits; the constraints are built once per limits.
 */
export class MeanVarianceOptimizer {
  private readonly n: number;
  private readonly base: Constraints;
  private readonly noLinearTerm: Float64Array;
  /** The return constraint μᵀw ≥ r without its r. */
  private readonly returnTerms: Omit<SparseConstraint, 'b'>;

  constructor(
    private readonly problem: MeanVarianceProblem,
    private readonly limits: WeightLimits = problem.limits,
    /** Undefined when the ridged covariance is not positive definite (non-finite input), as no program can then be solved. */
    private readonly variance: QuadraticForm | undefined = QuadraticForm.factor(ridged(problem.covariance, 1)),
  ) {
    this.n = problem.mean.length;
    this.base = constraints(limits, this.n);
    this.noLinearTerm = new Float64Array(this.n);
    const { index, value, norm } = sparseConstraint({ a: problem.mean, b: 0 });
    this.returnTerms = { index, value, norm };
  }

  /**
   * Least variance; with `atLeast`, among portfolios returning at least that much. Undefined
   * when infeasible. `near`, a portfolio within the limits returning at least `atLeast`,
   * warm-starts the solve: the limits its weights sit at are guessed to bind here too.
   */
  minimumVariance(atLeast?: number, near?: Allocation): Allocation | undefined {
    if (!this.variance) return undefined;
    const { equalities } = this.base;
    const inequalities = atLeast === undefined ? this.base.inequalities : [{ ...this.returnTerms, b: atLeast }, ...this.base.inequalities];
    const warm = near && minimiseWarm(this.variance, this.noLinearTerm, equalities, inequalities, this.limitsAt(near.weights));
    const solved = warm || this.variance.minimise(this.noLinearTerm, equalities, inequalities);
    return solved.feasible ? allocation(this.problem, solved.x) : undefined;
  }

  /**
   * The limits that weights sit at (within round-off). At a vertex, where every weight sits
   * at one (as the highest-return portfolio often does), the guess would leave nothing to
   * solve for and the multipliers undetermined, so there is none.
   */
  private limitsAt(weights: readonly number[]): Set<SparseConstraint> {
    const { lower, upper } = this.limits;
    const at = (w: number, limit: number) => Math.abs(w - limit) <= 1e-12 * Math.max(1, Math.abs(limit));
    const binding = new Set<SparseConstraint>();
    weights.forEach((w, i) => {
      if (at(w, lower[i])) binding.add(this.base.bounds[i].lower);
      else if (at(w, upper[i])) binding.add(this.base.bounds[i].upper);
    });
    return binding.size < weights.length ? binding : new Set();
  }

  /**
   * The highest attainable return. Without caps it is a fractional knapsack, solved exactly
   * by filling the assets in order of mean return; with caps, a quadratic program in which
   * the variance only breaks ties.
   */
  maximumReturn(): Allocation | undefined {
    if (this.limits.caps.length === 0) return this.greedyMaximumReturn();
    const solved = QuadraticForm.factor(ridged(this.problem.covariance, TIE_BREAK))?.minimise(this.problem.mean, this.base.equalities, this.base.inequalities);
    return solved?.feasible ? allocation(this.problem, solved.x) : undefined;
  }

  private greedyMaximumReturn(): Allocation | undefined {
    const { lower, upper, fixed } = this.limits;
    const weights = [...lower];
    const isFixed = new Set(fixed?.members ?? []);
    let room = 1 - lower.reduce((a, b) => a + b, 0);
    if (fixed) {
      // The fixed group's total goes first to its best-returning members, within their limits.
      let left = fixed.total - fixed.members.reduce((sum, i) => sum + lower[i], 0);
      for (const i of [...fixed.members].sort((a, b) => this.problem.mean[b] - this.problem.mean[a])) {
        const add = Math.max(0, Math.min(upper[i] - weights[i], left));
        weights[i] += add;
        left -= add;
      }
      if (left > 1e-12) return undefined;
      room = 1 - weights.reduce((a, b) => a + b, 0);
    }
    const order = [...Array(this.n).keys()].filter((i) => !isFixed.has(i)).sort((a, b) => this.problem.mean[b] - this.problem.mean[a]);
    for (const i of order) {
      const add = Math.max(0, Math.min(upper[i] - weights[i], room));
      weights[i] += add;
      room -= add;
    }
    return room > 1e-12 ? undefined : allocation(this.problem, weights);
  }

  /**
   * The highest-return portfolio whose risk is at most `risk`: along the efficient frontier
   * risk grows with return, so the return target is found by bisection between the
   * least-variance and the highest-return portfolios.
   */
  atRisk(risk: number, ends: { low: Allocation; high: Allocation }): Allocation | undefined {
    if (risk < ends.low.risk - 1e-12) return undefined;
    if (ends.high.risk <= risk) return ends.high;
    let best = ends.low;
    // The last solution above the bracket returns at least every later target, so it warm-starts each step.
    let above = ends.high;
    let lo = ends.low.return;
    let hi = ends.high.return;
    for (let step = 0; step < BISECTION_STEPS && hi - lo > 1e-12 * Math.max(1, Math.abs(hi)); step++) {
      const middle = (lo + hi) / 2;
      const candidate = this.minimumVariance(middle, above);
      if (candidate && candidate.risk <= risk) {
        best = candidate;
        lo = middle;
      } else {
        hi = middle;
        if (candidate) above = candidate;
      }
    }
    return best;
  }

  /**
   * `points` portfolios of least variance at returns evenly spaced between the two ends. They
   * are solved from the top down, each warm-started from the one above it, which returns
   * enough to meet its target.
   */
  frontier(ends: { low: Allocation; high: Allocation }, points: number): Allocation[] {
    if (ends.high.return - ends.low.return <= 1e-12) return [ends.low];
    const interior: (Allocation | undefined)[] = [];
    let above = ends.high;
    for (let k = points - 2; k >= 1; k--) {
      const target = ends.low.return + ((ends.high.return - ends.low.return) * k) / (points - 1);
      interior[k] = this.minimumVariance(target, above);
      above = interior[k] ?? above;
    }
    return [ends.low, ...interior.filter((point): point is Allocation => point !== undefined), ends.high];
  }

  private cachedEnds?: { low: Allocation; high: Allocation };

  ends(field: string): { low: Allocation; high: Allocation } {
    if (this.cachedEnds) return this.cachedEnds;
    const low = this.minimumVariance();
    const high = this.maximumReturn();
    if (!low || !high) throw new CalculationError(field, 'the weight limits admit no portfolio that sums to 1');
    this.cachedEnds = { low, high: high.return >= low.return ? high : low };
    return this.cachedEnds;
  }

  withLimits(limits: WeightLimits): MeanVarianceOptimizer {
    return new MeanVarianceOptimizer(this.problem, limits, this.variance);
  }
}

export type Target = { type: 'risk' | 'return'; value: number; field: string } | undefined;

/** The optimal portfolio for a target: least variance at a return of at least the target, the highest return within the risk, or least variance without a target. */
export function optimalFor(optimizer: MeanVarianceOptimizer, target: Target, limitsField: string): { optimal: Allocation; ends: { low: Allocation; high: Allocation } } {
  const ends = optimizer.ends(limitsField);
  if (!target) return { optimal: ends.low, ends };
  if (target.type === 'return') {
    if (target.value > ends.high.return + 1e-12) throw new CalculationError(target.field, `no portfolio within the limits returns ${target.value}; the most is ${ends.high.return}`);
    return { optimal: target.value <= ends.low.return ? ends.low : (optimizer.minimumVariance(target.value, ends.high) ?? ends.high), ends };
  }
  const optimal = optimizer.atRisk(target.value, ends);
  if (!optimal) throw new CalculationError(target.field, `no portfolio within the limits has a risk of ${target.value} or less; the least is ${ends.low.risk}`);
  return { optimal, ends };
}

/**
 * Cardinality heuristic for a minimum number of assets (a mixed-integer condition a
 * quadratic program cannot state): solve; while fewer than `minAssets` weights reach
 * HELD_WEIGHT, bring in the missing number of unheld assets with the best stand-alone
 * return per unit of risk by raising their lower limit to CARDINALITY_FLOOR (or their upper
 * limit, if lower), and solve again. Returns the limits that held enough assets.
 */
export function withMinimumAssets(
  optimizer: MeanVarianceOptimizer,
  problem: MeanVarianceProblem,
  minAssets: number,
  solve: (optimizer: MeanVarianceOptimizer) => Allocation,
): { optimizer: MeanVarianceOptimizer; optimal: Allocation } {
  let current = optimizer;
  let limits = problem.limits;
  const n = problem.mean.length;
  const merit = Array.from({ length: n }, (_, i) => {
    const sd = Math.sqrt(Math.max(problem.covariance[i][i], 0));
    return sd > 0 ? problem.mean[i] / sd : problem.mean[i] >= 0 ? Infinity : -Infinity;
  });
  for (let round = 0; round <= n; round++) {
    const optimal = solve(current);
    const held = optimal.weights.filter((w) => w >= HELD_WEIGHT).length;
    if (held >= minAssets) return { optimizer: current, optimal };
    const candidates = [...Array(n).keys()]
      .filter((i) => optimal.weights[i] < HELD_WEIGHT && limits.upper[i] >= HELD_WEIGHT && limits.lower[i] < HELD_WEIGHT)
      .sort((a, b) => merit[b] - merit[a])
      .slice(0, minAssets - held);
    if (candidates.length === 0) break;
    const lower = [...limits.lower];
    for (const i of candidates) lower[i] = Math.min(CARDINALITY_FLOOR, limits.upper[i]);
    limits = { ...limits, lower };
    current = current.withLimits(limits);
  }
  throw new CalculationError('min_assets', `the weight limits do not let ${minAssets} assets be held`);
}
