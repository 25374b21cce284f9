/** The quadprog package (a port of R's quadprog) ships no types; its arrays start at index 1. */
declare module 'quadprog' {
  export function solveQP(
    Dmat: number[][],
    dvec: number[],
    Amat: number[][],
    bvec: number[],
    meq?: number,
  ): { solution: number[]; Lagrangian: number[]; value: number[]; iterations: number[]; iact: number[]; message: string };
}
