import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import { CalculationError } from '../calculation-error.ts';
import { EntityReader } from '../../platform/read/entity-reader.ts';
import type { NucleusAccess } from '../nucleus-records.ts';
import { registerOperation } from '../operation-route.ts';
import type { AuthContext } from '../../platform/auth/tokens.ts';
import { dimensionalRiskScore, riskScore } from './risk-score.ts';
import { storedAnswers } from './questionnaire-answers.ts';
import { requireNamed } from './named-records.ts';
import { DimensionalRiskScoreRequest, DimensionalRiskScoreResponse, RiskScoreRequest, RiskScoreResponse } from './risk-score.schema.ts';

type RiskBody = Static<typeof RiskScoreRequest>;
type DimensionalBody = Static<typeof DimensionalRiskScoreRequest>;

const SCALE =
  'Each answer is scored on its own scale as 100 × answer / max_answer, so 0 is the least and 100 the most risk-taking answer; ' +
  'an answer above its max_answer, or a max_answer of 0, is refused.';

/** The answers stated, or the client's stored responses to the questionnaire. */
async function answersOf(nucleus: NucleusAccess, auth: AuthContext, body: RiskBody | DimensionalBody, weights: number[] | null) {
  await requireNamed(nucleus, auth, { questionnaire: body.questionnaire_id });
  if (body.answers) return { answers: body.answers, weights };
  if (!body.questionnaire_id || !body.client_id) throw new CalculationError('answers', 'give the answers, or a questionnaire_id and client_id to read them from');
  const stored = await storedAnswers(EntityReader.asCaller(nucleus, auth), body.questionnaire_id, body.client_id);
  return { answers: stored.answers, weights: weights ?? stored.weights };
}

export function riskScoreRoutes(app: FastifyInstance, nucleus: NucleusAccess): void {
  registerOperation<RiskBody>(app, nucleus, {
    path: '/risk_score',
    operationId: 'riskScore',
    tag: 'Risk Scoring',
    summary: 'Risk score of questionnaire answers',
    description: `The weighted average of the answers' scores, from 0 to 100: 100 × Σ wᵢ·aᵢ/mᵢ / Σ wᵢ. ${SCALE}`,
    body: RiskScoreRequest,
    response: RiskScoreResponse,
    solve: async (body, auth) => {
      const { answers, weights } = await answersOf(nucleus, auth, body, body.weights);
      const result = riskScore({ answers, maxAnswers: body.max_answers, weights, weightsField: 'weights' });
      return { risk_score: result.score, answers: result.answers };
    },
  });

  registerOperation<DimensionalBody>(app, nucleus, {
    path: '/dimensional_risk_score',
    operationId: 'dimensionalRiskScore',
    tag: 'Risk Scoring',
    summary: 'Risk score of questionnaire answers along several dimensions',
    description:
      'Each dimension is scored as the answer_weights-weighted average of the answers that measure it (answer_dims); the overall score is ' +
      `the dim_weights-weighted average of the dimension scores. ${SCALE}`,
    body: DimensionalRiskScoreRequest,
    response: DimensionalRiskScoreResponse,
    solve: async (body, auth) => {
      const { answers, weights } = await answersOf(nucleus, auth, body, body.answer_weights);
      const result = dimensionalRiskScore({
        answers,
        maxAnswers: body.max_answers,
        weights,
        weightsField: 'answer_weights',
        dims: body.dims,
        answerDims: body.answer_dims,
        dimWeights: body.dim_weights,
      });
      return {
        dimensional_risk_score: result.score,
        dimension_scores: Object.fromEntries(result.dimensions.map((d) => [d.dim, d.score])),
        dimension_weights: Object.fromEntries(result.dimensions.map((d) => [d.dim, d.weight])),
        answers: result.answers,
      };
    },
  });
}
