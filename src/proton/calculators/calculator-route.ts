import type { FastifyInstance } from 'fastify';
import type { NucleusAccess } from '../nucleus-records.ts';
import { registerOperation, type ProtonOperation } from '../operation-route.ts';
import { total, type ScheduleRow } from './cash-flows.ts';
import { cents } from '../money.ts';

export const CONVENTIONS =
  'Conventions: rates are annual fractions, compounded as effective annual rates ((1 + r)^(1/12) - 1 a month); ' +
  'deposits are made at the end of their period, withdrawals and payouts at its start; inflation adjustments step once a year; ' +
  'money is computed exactly and rounded to the cent only in the response.';

/** A calculator is a Proton operation whose description ends with the shared conventions. */
export function registerCalculator<Body extends object>(app: FastifyInstance, nucleus: NucleusAccess, route: ProtonOperation<Body>): void {
  registerOperation(app, nucleus, { ...route, description: `${route.description}\n\n${CONVENTIONS}` });
}

/** Column totals of a schedule, in cents. */
export function scheduleTotals(rows: ScheduleRow[]) {
  return {
    total_deposits: cents(total(rows, (row) => row.deposits)),
    total_withdrawals: cents(total(rows, (row) => row.withdrawals)),
    total_earnings: cents(total(rows, (row) => row.earnings)),
    total_taxes: cents(total(rows, (row) => row.taxes)),
  };
}
