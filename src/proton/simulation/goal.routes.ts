import type { FastifyInstance } from 'fastify';
import type { TSchema } from 'typebox';
import { EntityReader } from '../../platform/read/entity-reader.ts';
import type { NucleusAccess } from '../nucleus-records.ts';
import { registerOperation } from '../operation-route.ts';
import { CalculationError } from '../calculation-error.ts';
import { goalProblem, recommendationBounds, type GoalBody } from './goal-request.ts';
import { goalAnswer } from './goal-answer.ts';
import {
  AccumulationRecommendationRequest,
  AccumulationStatusRequest,
  DecumulationRecommendationRequest,
  DecumulationStatusRequest,
  goalResponse,
} from './goal.schema.ts';

const METHOD =
  'Simulates n paths of the goal with log-normal returns of annual mean p_ret and deviation p_risk, one step per horizon period: each step takes its withdrawals, grows, then credits its deposits. Recommendations search with the same shocks for every candidate (common random numbers), by bisection to the cent or the period.';

function statedReturns(body: GoalBody) {
  if (!body.p_ret) throw new CalculationError('p_ret', 'is required');
  if (!body.p_risk) throw new CalculationError('p_risk', 'is required');
  return { annualReturns: body.p_ret, annualRisks: body.p_risk };
}

function goalOperation(app: FastifyInstance, nucleus: NucleusAccess, kind: 'accumulation' | 'decumulation', action: 'status' | 'recommendation', body: TSchema) {
  const name = kind === 'accumulation' ? 'Accumulation' : 'Decumulation';
  const what = kind === 'accumulation' ? 'reaching the goal amount by the end of the horizon' : 'paying every withdrawal through the decumulation horizon';
  registerOperation<GoalBody>(app, nucleus, {
    path: `/goal_${kind}/${action}`,
    operationId: `goal${name}${action === 'status' ? 'Status' : 'Recommendation'}`,
    tag: 'Goals',
    summary: action === 'status' ? `Probability of ${what}` : `Change that makes ${what} likely enough`,
    description:
      action === 'status'
        ? `The probability of ${what}, the projected balance percentiles, and (unless recommendation_config.recommend is false) the change of recommend_type that reaches conf_tgt. ${METHOD}`
        : `The smallest change of recommend_type (recurring deposit, one-time investment, both, or horizon) for which the probability of ${what} reaches conf_tgt, with the status before and after. ${METHOD}`,
    body,
    response: goalResponse(body),
    solve: async (request, auth) => {
      const problem = await goalProblem(EntityReader.asCaller(nucleus, auth), request, kind, statedReturns(request));
      const wanted = action === 'recommendation' || request.recommendation_config.recommend !== false;
      return { ...goalAnswer(problem, request.recommend_type, wanted ? recommendationBounds(request) : null), inputs: request };
    },
  });
}

export function goalRoutes(app: FastifyInstance, nucleus: NucleusAccess): void {
  goalOperation(app, nucleus, 'accumulation', 'status', AccumulationStatusRequest);
  goalOperation(app, nucleus, 'accumulation', 'recommendation', AccumulationRecommendationRequest);
  goalOperation(app, nucleus, 'decumulation', 'status', DecumulationStatusRequest);
  goalOperation(app, nucleus, 'decumulation', 'recommendation', DecumulationRecommendationRequest);
}
