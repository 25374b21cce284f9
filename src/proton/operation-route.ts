import type { FastifyInstance } from 'fastify';
import type { TSchema } from 'typebox';
import type { AuthContext } from '../platform/auth/tokens.ts';
import { errors } from '../platform/http/errors.ts';
import { errorResponses } from '../platform/openapi/shared-schemas.ts';
import { requireReferences, type NucleusAccess, type NucleusReferences } from './nucleus-records.ts';
import { CalculationError } from './calculation-error.ts';
import { finiteAnswer } from './finite-answer.ts';

export interface ProtonOperation<Body> {
  path: string;
  operationId: string;
  tag: string;
  summary: string;
  description: string;
  body: TSchema;
  response: TSchema;
  /**
   * The analysis. It receives the caller so that any Nucleus record it reads beyond the
   * generic references (client_id, account_ids, aggregation_account_ids) is read with the
   * caller's access rights.
   */
  /** `requestId` names the request in what an operation writes (a card authorization's audit record). */
  solve(body: Body, auth: AuthContext, requestId: string): object | Promise<object>;
}

/**
 * Registers one Proton operation: checks the Nucleus ids it names, runs the analysis, turns an
 * input the analysis rejects (a CalculationError) into a 400 naming the field, and keeps
 * numbers JSON cannot carry out of the answer.
 */
export function registerOperation<Body extends object>(app: FastifyInstance, nucleus: NucleusAccess, route: ProtonOperation<Body>): void {
  app.post(route.path, {
    // A figure too large for JSON (finiteAnswer); the rest follows from the body's schema.
    config: { errors: [errors.outOfRange] },
    schema: {
      tags: [route.tag],
      summary: route.summary,
      description: route.description,
      operationId: route.operationId,
      body: route.body,
      response: { 200: route.response, ...errorResponses },
    },
    handler: async (request) => {
      const body = request.body as Body;
      await requireReferences(nucleus, request.auth, body as NucleusReferences);
      try {
        return finiteAnswer(await route.solve(body, request.auth, String(request.id)), route.response);
      } catch (error) {
        if (error instanceof CalculationError) throw errors.invalidField({ field: error.field, problem: error.problem });
        throw error;
      }
    },
  });
}
