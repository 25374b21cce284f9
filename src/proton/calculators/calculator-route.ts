import type { FastifyInstance } from 'fastify';
import type { TSchema } from 'typebox';
import { ApiError } from '../../platform/http/api-error.ts';
import { errorResponses } from '../../platform/openapi/shared-schemas.ts';
import { requireReferences, type NucleusAccess, type NucleusReferences } from '../nucleus-records.ts';
import { CalculationError } from './calculation-error.ts';
import { total, type ScheduleRow } from './cash-flows.ts';
import { cents } from './money.ts';

export const CONVENTIONS =
  'Conventions: rates are annual fractions, compounded as effective annual rates ((1 + r)^(1/12) - 1 a month); ' +
  'deposits are made at the end of their period, withdrawals and payouts at its start; inflation adjustments step once a year; ' +
  'money is computed exactly and rounded to the cent only in the response.';

export interface CalculatorRoute<Body> {
  path: string;
  operationId: string;
  tag: string;
  summary: string;
  description: string;
  body: TSchema;
  response: TSchema;
  solve(body: Body): object;
}

/**
 * Registers one calculator: checks the Nucleus ids it names, runs the pure calculation and
 * turns an input the calculation rejects into a 400 naming the field.
 */
export function registerCalculator<Body extends object>(app: FastifyInstance, nucleus: NucleusAccess, route: CalculatorRoute<Body>): void {
  app.post(route.path, {
    schema: {
      tags: [route.tag],
      summary: route.summary,
      description: `${route.description}\n\n${CONVENTIONS}`,
      operationId: route.operationId,
      body: route.body,
      response: { 200: route.response, ...errorResponses },
    },
    handler: async (request) => {
      const body = request.body as Body;
      await requireReferences(nucleus, request.auth, body as NucleusReferences);
      try {
        return route.solve(body);
      } catch (error) {
        if (error instanceof CalculationError) throw ApiError.invalidField(error.field, error.problem);
        throw error;
      }
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
