/**
 * A simulated balance as reported: to the cent. Simulated balances are doubles (the brief of
 * a simulation is a distribution, not a ledger), so rounding them is a display step only.
 */
export function toCents(value: number): number {
  const rounded = Math.round(value * 100) / 100;
  return rounded === 0 ? 0 : rounded;
}
