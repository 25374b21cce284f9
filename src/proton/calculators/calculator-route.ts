import type { FastifyInstance } from 'fastify';
import { EntityReader } from '../../platform/read/entity-reader.ts';
import type { NucleusAccess } from '../nucleus-records.ts';
import { namedBalances, type NamedAccounts } from '../named-balances.ts';
import { registerOperation, type ProtonOperation } from '../operation-route.ts';
import { total, type ScheduleRow } from './cash-flows.ts';
import { cents, dec } from '../money.ts';

export const CONVENTIONS =
  'Conventions: rates are annual fractions, compounded as effective annual rates ((1 + r)^(1/12) - 1 a month); ' +
  'deposits are made at the end of their period, withdrawals and payouts at its start; inflation adjustments step once a year; ' +
  'money is computed exactly and rounded to the cent only in the response.';

export interface CalculatorRoute<Body> extends ProtonOperation<Body> {
  /**
   * The balance-today field that the latest balances of the request's account_ids and
   * aggregation_account_ids are added to; none where the balance is what is solved for.
   */
  startingBalance?: keyof Body & string;
}

/**
 * A calculator is a Proton operation whose description ends with the shared conventions and
 * whose starting balance includes the balances of the Nucleus accounts it names.
 */
export function registerCalculator<Body extends object>(app: FastifyInstance, nucleus: NucleusAccess, route: CalculatorRoute<Body>): void {
  const field = route.startingBalance;
  registerOperation<Body>(app, nucleus, {
    ...route,
    description: `${route.description}\n\n${CONVENTIONS}`,
    solve: async (body, auth, requestId) => {
      const accounts: NamedAccounts = body;
      if (!field || !(accounts.account_ids?.length || accounts.aggregation_account_ids?.length)) return route.solve(body, auth, requestId);
      const named = await namedBalances(EntityReader.asCaller(nucleus, auth), accounts);
      const stated = dec(body[field] as number);
      return route.solve({ ...body, [field]: cents(stated.plus(named)) }, auth, requestId);
    },
  });
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
