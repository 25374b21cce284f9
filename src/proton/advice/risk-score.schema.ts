import { Type } from 'typebox';
import { defaultsOptional } from '../request-fields.ts';

const nonNegatives = (description: string) => Type.Array(Type.Number({ minimum: 0 }), { description });

const weights = (description: string) =>
  Type.Unsafe<number[] | null>({
    type: ['array', 'null'],
    items: { type: 'number', format: 'float', minimum: 0 },
    minItems: 1,
    default: null,
    description: `${description}; null for equal weights. Only their ratios matter.`,
  });

const QUESTIONNAIRE_SOURCE =
  "Without answers, they are read from Nucleus: the client's latest client_response to each question of the questionnaire, " +
  'questions in order_index order, each valued by its answer_value (or, when that is not a number, its answer\'s value).';

const scoringFields = {
  answers: Type.Optional(nonNegatives(`Each answer as a number from 0 (least risk-taking) to its max_answers entry. ${QUESTIONNAIRE_SOURCE}`)),
  max_answers: nonNegatives('The most risk-taking answer possible for each question, above 0; one per answer'),
  questionnaire_id: Type.Optional(Type.String({ format: 'uuid', description: 'The questionnaire the answers are read from, with client_id, when answers is not given' })),
  client_id: Type.Optional(Type.String({ format: 'uuid', description: 'The client whose responses are read when answers is not given; must be readable by the caller (404 otherwise)' })),
  post_score: Type.Boolean({ default: false, description: 'Accepted for compatibility; Deuterium does not store the score as a Nucleus score record yet' }),
};

export const RiskScoreRequest = defaultsOptional(
  Type.Object(
    {
      ...scoringFields,
      weights: weights('Weight of each answer, one per answer; with answers read from a questionnaire, null takes the questions\' weights when all have one'),
    },
    { additionalProperties: false, examples: [{ answers: [3, 2, 4, 1], max_answers: [4, 4, 4, 2], weights: [2, 1, 1, 1] }] },
  ),
);

export const DimensionalRiskScoreRequest = defaultsOptional(
  Type.Object(
    {
      ...scoringFields,
      dims: Type.Array(Type.String({ minLength: 1 }), { minItems: 1, description: 'The dimensions scored, e.g. risk tolerance and risk capacity; each named once' }),
      answer_dims: Type.Array(Type.Array(Type.String()), { description: 'For each answer, the dimensions (names from dims) it measures' }),
      answer_weights: weights('Weight of each answer within the dimensions it measures, one per answer'),
      dim_weights: weights('Weight of each dimension in the overall score, one per entry of dims'),
    },
    {
      additionalProperties: false,
      examples: [{ dims: ['tolerance', 'capacity'], answers: [3, 1, 2], max_answers: [4, 4, 4], answer_dims: [['tolerance'], ['capacity'], ['tolerance', 'capacity']], dim_weights: [0.75, 0.25] }],
    },
  ),
);

const score = (description: string) => Type.Number({ minimum: 0, maximum: 100, description: `${description}, from 0 (least risk-taking) to 100 (most); unrounded` });

const AnswerScore = Type.Object(
  {
    score: score("The answer on its question's scale: 100 × answer / max_answer"),
    weight: Type.Number({ minimum: 0, maximum: 1, description: 'Its weight as a share of all the weights it is averaged with' }),
  },
  { additionalProperties: false, title: 'RiskScoreAnswer' },
);

export const RiskScoreResponse = Type.Object(
  {
    risk_score: score('The weighted average of the answer scores: 100 × Σ wᵢ·aᵢ/mᵢ / Σ wᵢ'),
    answers: Type.Array(AnswerScore, { description: 'Each answer, in request (or question) order' }),
  },
  { additionalProperties: false, title: 'RiskScoreResult' },
);

export const DimensionalRiskScoreResponse = Type.Object(
  {
    dimensional_risk_score: score('The dimension scores averaged with dim_weights'),
    dimension_scores: Type.Record(Type.String(), score('The score of one dimension: its answers averaged with answer_weights'), {
      description: 'Each dimension of dims, by name',
    }),
    dimension_weights: Type.Record(Type.String(), Type.Number({ minimum: 0, maximum: 1 }), { description: "Each dimension's share of the overall score, by name" }),
    answers: Type.Array(AnswerScore, { description: 'Each answer on its own scale, in order; weight is its share of all answer_weights' }),
  },
  { additionalProperties: false, title: 'DimensionalRiskScoreResult' },
);
