/**
 * Order statistics of simulated balances. Percentiles interpolate linearly between order
 * statistics (Hyndman and Fan's type 7, the default of R and NumPy), so the 0th and 100th
 * are the smallest and largest values and the 50th is the usual median.
 */

/** The p-th percentile (0 to 100) of values already sorted ascending. */
export function percentileOfSorted(sorted: ArrayLike<number>, p: number): number {
  const last = sorted.length - 1;
  if (last < 0) return Number.NaN;
  const position = (p / 100) * last;
  const below = Math.floor(position);
  const above = Math.min(below + 1, last);
  const weight = position - below;
  return sorted[below] + (sorted[above] - sorted[below]) * weight;
}

/**
 * Moves the k-th smallest of a[lo..hi] to a[k], smaller ones before it and larger ones after
 * (Hoare's quickselect, median-of-three pivot): linear on average, where a sort is n log n.
 */
function select(a: Float64Array, k: number, lo: number, hi: number): void {
  while (hi > lo) {
    const x = a[lo];
    const y = a[(lo + hi) >>> 1];
    const z = a[hi];
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i++] = a[j];
        a[j--] = t;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

/**
 * The given percentiles of the values at the kept indices (all of them when `kept` is null).
 * Each needs two neighbouring order statistics; they are selected in increasing order, each
 * search starting where the previous one left off, instead of sorting every value.
 */
export function percentiles(values: Float64Array, kept: Uint32Array | null, ps: readonly number[]): number[] {
  const a = kept ? Float64Array.from(kept, (i) => values[i]) : Float64Array.from(values);
  const last = a.length - 1;
  if (last < 0) return ps.map(() => Number.NaN);
  const order = ps.map((p, index) => ({ p, index })).sort((u, v) => u.p - v.p);
  const out = new Array<number>(ps.length);
  let from = 0;
  for (const { p, index } of order) {
    const position = (p / 100) * last;
    const below = Math.floor(position);
    select(a, below, from, last);
    from = below;
    let next = a[below];
    if (below < last) {
      next = a[below + 1];
      for (let i = below + 2; i <= last; i++) if (a[i] < next) next = a[i];
    }
    out[index] = a[below] + (next - a[below]) * (position - below);
  }
  return out;
}

export function meanOf(values: Float64Array, kept: Uint32Array | null): number {
  let sum = 0;
  if (kept) {
    for (let k = 0; k < kept.length; k++) sum += values[kept[k]];
    return sum / kept.length;
  }
  for (let i = 0; i < values.length; i++) sum += values[i];
  return sum / values.length;
}

/**
 * How far from the median, in scaled median absolute deviations, a path's final value may lie
 * before it counts as an outlier: 2.5, the moderately conservative cut-off Leys et al. (2013)
 * recommend. The MAD is scaled by 1.4826 so that it estimates the standard deviation of
 * normal data; unlike a cut-off in standard deviations it is not dragged by the outliers.
 */
export const OUTLIER_CUTOFF = 2.5;
const MAD_SCALE = 1.4826;

/**
 * Indices of the paths whose final value is not an outlier, in path order. When over half the
 * paths end on the same value (a riskless run, or most paths of a decumulation depleted) the
 * MAD is 0 and says nothing about spread, so every path is kept.
 */
export function keptPaths(finals: Float64Array): Uint32Array {
  const sorted = Float64Array.from(finals).sort();
  const median = percentileOfSorted(sorted, 50);
  const deviations = Float64Array.from(finals, (x) => Math.abs(x - median)).sort();
  const limit = OUTLIER_CUTOFF * MAD_SCALE * percentileOfSorted(deviations, 50);
  if (limit === 0) return Uint32Array.from(finals, (_, i) => i);
  const kept: number[] = [];
  for (let i = 0; i < finals.length; i++) if (Math.abs(finals[i] - median) <= limit) kept.push(i);
  return Uint32Array.from(kept);
}
