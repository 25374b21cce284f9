import { QuadraticForm, type QuadraticSolution, type SparseConstraint } from './quadratic-program.ts';

/** Rounds of releasing wrongly guessed bounds before giving up on the guess. */
const ATTEMPTS = 3;

type Solved = Extract<QuadraticSolution, { feasible: true }>;

/**
 * A warm start from a solved neighbour (the next point of a frontier, the next step of a
 * bisection). The single-variable constraints in `binding` — the bounds the neighbour sits
 * at — are guessed to bind here too: their variables are fixed at the bound and only the
 * others are solved for, a program of a handful of variables instead of all of them. The
 * optimum being unique, the guess is right exactly when the KKT conditions then hold for the
 * whole program, that is when every guessed bound's multiplier (recovered from stationarity)
 * is nonnegative; bounds whose multiplier is negative are released and it tries again.
 * Undefined when no guess stands: the caller then solves the whole program, which also
 * decides whether it is feasible.
 */
export function minimiseWarm(
  form: QuadraticForm,
  d: ArrayLike<number>,
  equalities: readonly SparseConstraint[],
  inequalities: readonly SparseConstraint[],
  binding: ReadonlySet<SparseConstraint>,
): Solved | undefined {
  let guessed = inequalities.filter((c) => c.index.length === 1 && binding.has(c));
  for (let attempt = 0; attempt < ATTEMPTS && guessed.length > 0; attempt++) {
    const outcome = solveGuessing(form, d, equalities, inequalities, guessed);
    if (!outcome) return undefined;
    if (outcome.released.size === 0) return outcome.solution;
    guessed = guessed.filter((c) => !outcome.released.has(c));
  }
  return undefined;
}

function solveGuessing(
  form: QuadraticForm,
  d: ArrayLike<number>,
  equalities: readonly SparseConstraint[],
  inequalities: readonly SparseConstraint[],
  guessed: readonly SparseConstraint[],
): { solution: Solved; released: Set<SparseConstraint> } | undefined {
  const n = form.size;
  const D = form.matrix;
  const x = new Float64Array(n);
  const isFixed = new Uint8Array(n);
  for (const c of guessed) {
    const i = c.index[0];
    // A variable fixed by both of its bounds leaves their two multipliers undetermined.
    if (isFixed[i]) return undefined;
    isFixed[i] = 1;
    x[i] = c.b / c.value[0];
  }
  const free: number[] = [];
  const position = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    if (isFixed[i]) continue;
    position[i] = free.length;
    free.push(i);
  }
  if (free.length === 0) return undefined;
  const reducedForm = QuadraticForm.factor(free.map((i) => Float64Array.from(free, (j) => D[i][j])));
  if (!reducedForm) return undefined;
  const reducedLinear = Float64Array.from(free, (i) => {
    let t = d[i];
    for (const c of guessed) t -= D[i][c.index[0]] * x[c.index[0]];
    return t;
  });
  const isGuessed = new Set(guessed);
  const all = [...equalities, ...inequalities];
  const origin: number[] = [];
  const reduced: SparseConstraint[] = [];
  let reducedEqualities = 0;
  for (let k = 0; k < all.length; k++) {
    if (isGuessed.has(all[k])) continue;
    const restricted = restrict(all[k], position, x, k < equalities.length);
    if (restricted === 'violated') return undefined;
    if (restricted === 'met') continue;
    origin.push(k);
    reduced.push(restricted);
    if (k < equalities.length) reducedEqualities++;
  }
  const solved = reducedForm.minimise(reducedLinear, reduced.slice(0, reducedEqualities), reduced.slice(reducedEqualities));
  if (!solved.feasible) return undefined;
  free.forEach((i, j) => (x[i] = solved.x[j]));
  const multipliers = new Array<number>(all.length).fill(0);
  origin.forEach((k, r) => (multipliers[k] = solved.multipliers[r]));
  // Stationarity Dx − d = Σ λₖaₖ gives each guessed bound's multiplier from the others'.
  const pull = new Float64Array(n);
  const size = new Float64Array(n);
  all.forEach((c, k) => {
    for (let e = 0; e < c.index.length; e++) {
      pull[c.index[e]] += multipliers[k] * c.value[e];
      size[c.index[e]] += Math.abs(multipliers[k] * c.value[e]);
    }
  });
  const released = new Set<SparseConstraint>();
  for (const c of guessed) {
    const i = c.index[0];
    let residual = -d[i] - pull[i];
    let magnitude = Math.abs(d[i]) + size[i];
    for (let j = 0; j < n; j++) {
      residual += D[i][j] * x[j];
      magnitude += Math.abs(D[i][j] * x[j]);
    }
    const multiplier = residual / c.value[0];
    if (multiplier < (-(n + 2) * Number.EPSILON * magnitude) / Math.abs(c.value[0])) released.add(c);
    multipliers[all.indexOf(c)] = multiplier;
  }
  return { solution: { feasible: true, x: Array.from(x), multipliers }, released };
}

/** The constraint over the free variables, the fixed ones moved into b; or whether it is met or violated when it has no free variable left. */
function restrict(c: SparseConstraint, position: Int32Array, x: Float64Array, equality: boolean): SparseConstraint | 'met' | 'violated' {
  const index: number[] = [];
  const value: number[] = [];
  let b = c.b;
  let size = Math.abs(c.b);
  let squares = 0;
  for (let e = 0; e < c.index.length; e++) {
    const i = c.index[e];
    if (position[i] >= 0) {
      index.push(position[i]);
      value.push(c.value[e]);
      squares += c.value[e] * c.value[e];
    } else {
      b -= c.value[e] * x[i];
      size += Math.abs(c.value[e] * x[i]);
    }
  }
  if (index.length > 0) return { index: Int32Array.from(index), value: Float64Array.from(value), b, norm: Math.sqrt(squares) };
  const roundOff = (c.index.length + 1) * Number.EPSILON * size;
  return (equality ? Math.abs(b) <= roundOff : b <= roundOff) ? 'met' : 'violated';
}
