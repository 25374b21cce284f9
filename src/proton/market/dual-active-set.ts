import type { QuadraticSolution, SparseConstraint } from './quadratic-program.ts';

/** Slacks, weights and step norms below this are round-off and count as zero. */
const NEGLIGIBLE = 8 * Number.EPSILON;

/** One run of Goldfarb and Idnani's dual method (see QuadraticForm.minimise); J and R are column-major n × n. */
export class DualActiveSet {
  private readonly constraints: readonly SparseConstraint[];
  private readonly equalityCount: number;
  private readonly R: Float64Array;
  private readonly x: Float64Array;
  /** Multipliers of the active constraints, then of the one being added. */
  private readonly u: Float64Array;
  private readonly active: Int32Array;
  private readonly isActive: Uint8Array;
  /** −1 where an equality is held as −aᵀx ≥ −b, the side it was violated from. */
  private readonly orientation: Float64Array;
  private readonly step: Float64Array;
  private readonly primal: Float64Array;
  private readonly dual: Float64Array;
  private activeCount = 0;

  constructor(
    private readonly n: number,
    private readonly J: Float64Array,
    equalities: readonly SparseConstraint[],
    inequalities: readonly SparseConstraint[],
  ) {
    this.constraints = equalities.length === 0 ? inequalities : [...equalities, ...inequalities];
    this.equalityCount = equalities.length;
    this.R = new Float64Array(n * n);
    this.x = new Float64Array(n);
    this.u = new Float64Array(n + 1);
    this.active = new Int32Array(n);
    this.isActive = new Uint8Array(this.constraints.length);
    this.orientation = new Float64Array(this.constraints.length).fill(1);
    this.step = new Float64Array(n);
    this.primal = new Float64Array(n);
    this.dual = new Float64Array(n);
  }

  solve(d: ArrayLike<number>): QuadraticSolution {
    const { n, J, x, u } = this;
    // The unconstrained minimum D⁻¹d = J Jᵀ d.
    for (let j = 0; j < n; j++) {
      let t = 0;
      for (let i = 0; i <= j; i++) t += J[j * n + i] * d[i];
      for (let i = 0; i <= j; i++) x[i] += J[j * n + i] * t;
    }
    // Each added constraint raises the dual objective; the cap only guards against cycling on degenerate programs.
    let budget = 10 * (n + this.constraints.length) + 100;
    for (;;) {
      const chosen = this.mostViolated();
      if (chosen.index < 0) return this.solution();
      const p = chosen.index;
      let slack = chosen.slack;
      u[this.activeCount] = 0;
      for (;;) {
        if (--budget < 0) return { feasible: false };
        const outcome = this.advance(p, slack);
        if (outcome === 'infeasible') return { feasible: false };
        if (outcome === 'added') break;
        if (outcome === 'dropped after step') slack = this.slackOf(p);
      }
    }
  }

  /** The slack of constraint c on the side it is held from; an equality violated from above turns to −aᵀx ≥ −b. */
  private slackOf(c: number): number {
    const { index, value, b } = this.constraints[c];
    let t = 0;
    for (let k = 0; k < index.length; k++) t += value[k] * this.x[index[k]];
    return this.oriented(c, this.orientation[c] * (t - b));
  }

  private oriented(c: number, slack: number): number {
    if (c >= this.equalityCount || slack <= 0) return slack;
    this.orientation[c] = -this.orientation[c];
    return -slack;
  }

  /** The inactive constraint of largest violation per unit of ‖a‖, or index −1 when none is violated. */
  private mostViolated(): { index: number; slack: number } {
    const { constraints, x } = this;
    let chosen = -1;
    let worst = 0;
    let slack = 0;
    for (let c = 0; c < constraints.length; c++) {
      if (this.isActive[c]) continue;
      const { index, value, b, norm } = constraints[c];
      let t = 0;
      let size = Math.abs(b);
      for (let k = 0; k < index.length; k++) {
        const term = value[k] * x[index[k]];
        t += term;
        size += Math.abs(term);
      }
      let s = this.orientation[c] * (t - b);
      // A violation within the round-off of computing it is none; taking it up could make a constraint that the active ones already imply look impossible to meet.
      if (Math.abs(s) < Math.max(NEGLIGIBLE, (index.length + 1) * Number.EPSILON * size)) s = 0;
      s = this.oriented(c, s);
      if (s < worst * norm) {
        chosen = c;
        worst = s / norm;
        slack = s;
      }
    }
    return { index: chosen, slack };
  }

  /**
   * One step towards satisfying constraint p: a full step adds it to the active set; a
   * partial one (or a step in the multipliers alone) drops the active constraint whose
   * multiplier reaches zero first.
   */
  private advance(p: number, slack: number): 'added' | 'dropped after step' | 'dropped' | 'infeasible' {
    const { n, J, R, x, u, step, primal, dual } = this;
    const m = this.activeCount;
    const { index, value } = this.constraints[p];
    const sign = this.orientation[p];
    for (let j = 0; j < n; j++) {
      let t = 0;
      for (let k = 0; k < index.length; k++) t += value[k] * J[j * n + index[k]];
      step[j] = sign * t;
    }
    primal.fill(0);
    // Two columns per pass halve the traffic through `primal`; the sums keep their order.
    let j = m;
    for (; j + 1 < n; j += 2) {
      const t0 = step[j];
      const t1 = step[j + 1];
      const c0 = j * n;
      const c1 = c0 + n;
      for (let i = 0; i < n; i++) primal[i] = primal[i] + J[c0 + i] * t0 + J[c1 + i] * t1;
    }
    if (j < n) for (let i = 0; i < n; i++) primal[i] += J[j * n + i] * step[j];
    for (let i = 0; i < m; i++) dual[i] = step[i];
    for (let j = m - 1; j >= 0; j--) {
      dual[j] /= R[j * n + j];
      const t = dual[j];
      for (let i = 0; i < j; i++) dual[i] -= R[j * n + i] * t;
    }
    let partial = Infinity;
    let drop = -1;
    for (let i = 0; i < m; i++) {
      if (this.active[i] < this.equalityCount || dual[i] <= 0) continue;
      const t = u[i] / dual[i];
      if (t < partial) {
        partial = t;
        drop = i;
      }
    }
    let squares = 0;
    for (let i = 0; i < n; i++) squares += primal[i] * primal[i];
    if (squares <= NEGLIGIBLE) {
      // No primal direction left: only the multipliers move, and a constraint must go.
      if (drop < 0) return 'infeasible';
      for (let i = 0; i < m; i++) u[i] -= partial * dual[i];
      u[m] += partial;
      this.dropActive(drop);
      return 'dropped';
    }
    let curvature = 0;
    for (let k = 0; k < index.length; k++) curvature += value[k] * primal[index[k]];
    const full = -slack / (sign * curvature);
    const length = partial < full ? partial : full;
    for (let i = 0; i < n; i++) {
      x[i] += length * primal[i];
      if (Math.abs(x[i]) < NEGLIGIBLE) x[i] = 0;
    }
    for (let i = 0; i < m; i++) u[i] -= length * dual[i];
    u[m] += length;
    if (partial < full) {
      this.dropActive(drop);
      return 'dropped after step';
    }
    this.addActive(p);
    return 'added';
  }

  /**
   * Reflects the free columns of J so that Jᵀa (in `step`) keeps only its first m + 1
   * entries, which become R's new column. The Householder vector v = d₂ + σe₁ needs J₂v =
   * z + σ·J[:, m], and z = J₂d₂ is the primal step already at hand, so the reflection costs
   * one pass over J₂.
   */
  private addActive(p: number): void {
    const { n, J, R, step, primal } = this;
    const m = this.activeCount;
    let tail = 0;
    for (let j = m + 1; j < n; j++) tail += step[j] * step[j];
    if (tail > 0) {
      const head = step[m];
      const sigma = head < 0 ? -Math.sqrt(head * head + tail) : Math.sqrt(head * head + tail);
      const v0 = head + sigma;
      const w = primal;
      for (let i = 0; i < n; i++) w[i] += sigma * J[m * n + i];
      const scale = 1 / (sigma * v0);
      for (let i = 0; i < n; i++) J[m * n + i] -= v0 * scale * w[i];
      let j = m + 1;
      for (; j + 1 < n; j += 2) {
        const f0 = step[j] * scale;
        const f1 = step[j + 1] * scale;
        const c0 = j * n;
        const c1 = c0 + n;
        for (let i = 0; i < n; i++) {
          const wi = w[i];
          J[c0 + i] -= f0 * wi;
          J[c1 + i] -= f1 * wi;
        }
      }
      if (j < n) for (let i = 0; i < n; i++) J[j * n + i] -= step[j] * scale * w[i];
      step[m] = -sigma;
    }
    for (let i = 0; i <= m; i++) R[m * n + i] = step[i];
    this.active[m] = p;
    this.isActive[p] = 1;
    this.activeCount = m + 1;
  }

  /** Removes the k-th active constraint: R's later columns shift left, and rotations make it triangular again. */
  private dropActive(k: number): void {
    const { n, J, R, u, active } = this;
    const m = this.activeCount;
    this.isActive[active[k]] = 0;
    for (let c = k; c < m - 1; c++) {
      R.copyWithin(c * n, (c + 1) * n, (c + 1) * n + c + 2);
      active[c] = active[c + 1];
      u[c] = u[c + 1];
    }
    u[m - 1] = u[m];
    u[m] = 0;
    for (let c = k; c < m - 1; c++) {
      const b = R[c * n + c + 1];
      if (b === 0) continue;
      const a = R[c * n + c];
      const h = a < 0 ? -Math.hypot(a, b) : Math.hypot(a, b);
      const cos = a / h;
      const sin = b / h;
      for (let col = c + 1; col < m - 1; col++) {
        const top = R[col * n + c];
        const bottom = R[col * n + c + 1];
        R[col * n + c] = cos * top + sin * bottom;
        R[col * n + c + 1] = cos * bottom - sin * top;
      }
      R[c * n + c] = h;
      R[c * n + c + 1] = 0;
      rotate(J, c * n, (c + 1) * n, n, cos, sin);
    }
    this.activeCount = m - 1;
  }

  private solution(): QuadraticSolution {
    const x = Array.from(this.x);
    if (x.some((v) => !Number.isFinite(v))) return { feasible: false };
    const multipliers = new Array<number>(this.constraints.length).fill(0);
    for (let i = 0; i < this.activeCount; i++) multipliers[this.active[i]] = this.orientation[this.active[i]] * this.u[i];
    return { feasible: true, x, multipliers };
  }
}

/** Columns (a, b) ← (cos·a + sin·b, cos·b − sin·a) of a column-major matrix. */
function rotate(M: Float64Array, a: number, b: number, rows: number, cos: number, sin: number): void {
  for (let i = 0; i < rows; i++) {
    const p = M[a + i];
    const q = M[b + i];
    M[a + i] = cos * p + sin * q;
    M[b + i] = cos * q - sin * p;
  }
}
