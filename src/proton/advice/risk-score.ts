import { CalculationError } from '../calculation-error.ts';

/**
 * Questionnaire scoring. Each answer is placed on its question's scale as answer / max
 * (0 for the least risk-taking answer, 1 for the most) and the scores are averaged with the
 * weights, then put on 0 to 100:
 *
 *   score = 100 × Σ wᵢ·(aᵢ / mᵢ) / Σ wᵢ
 *
 * A score is a statistic, not money, so doubles are exact enough.
 */

export interface AnswerScore {
  /** aᵢ / mᵢ × 100. */
  score: number;
  /** wᵢ / Σ w: how much of the total score this answer carries. */
  weight: number;
}

export interface QuestionnaireScale {
  answers: readonly number[];
  maxAnswers: readonly number[];
  /** Null for equal weights. */
  weights: readonly number[] | null;
  /** The request field holding the weights, named by a rejection. */
  weightsField: string;
}

function sameLength(field: string, values: readonly unknown[] | null, expected: number): void {
  if (values && values.length !== expected) throw new CalculationError(field, `has ${values.length} entries for ${expected} entries of max_answers`);
}

/** Each answer's place on its scale, checked against the scale. */
export function answerScores({ answers, maxAnswers, weights, weightsField }: QuestionnaireScale): AnswerScore[] {
  if (maxAnswers.length === 0) throw new CalculationError('max_answers', 'give the scale of at least one question');
  sameLength('answers', answers, maxAnswers.length);
  sameLength(weightsField, weights, maxAnswers.length);
  const given = weights ?? maxAnswers.map(() => 1);
  return maxAnswers.map((max, i) => {
    if (!(max > 0)) throw new CalculationError(`max_answers[${i}]`, 'must be above 0: it is the most risk-taking answer of the question');
    if (answers[i] > max) throw new CalculationError(`answers[${i}]`, `is ${answers[i]}, above its max_answers of ${max}`);
    return { score: (100 * answers[i]) / max, weight: given[i] };
  });
}

/** Σ wᵢ·sᵢ / Σ wᵢ over the scores given; the weights must not all be 0. */
export function weightedScore(scores: readonly AnswerScore[], field: string): number {
  const total = scores.reduce((sum, s) => sum + s.weight, 0);
  if (!(total > 0)) throw new CalculationError(field, 'must not all be 0');
  return scores.reduce((sum, s) => sum + s.weight * s.score, 0) / total;
}

/** The scores with their weights as shares of all the weights. */
function asShares(scores: readonly AnswerScore[]): AnswerScore[] {
  const total = scores.reduce((sum, s) => sum + s.weight, 0);
  return scores.map((s) => ({ score: s.score, weight: total > 0 ? s.weight / total : 0 }));
}

/** The 0 to 100 risk score of a questionnaire's answers, with each answer's part in it. */
export function riskScore(scale: QuestionnaireScale): { score: number; answers: AnswerScore[] } {
  const scores = answerScores(scale);
  return { score: weightedScore(scores, scale.weightsField), answers: asShares(scores) };
}

export interface DimensionalScale extends QuestionnaireScale {
  dims: readonly string[];
  /** For each answer, the dimensions it measures. */
  answerDims: readonly (readonly string[])[];
  /** Null for equal weights. */
  dimWeights: readonly number[] | null;
}

/**
 * One score per dimension, from the answers that measure it (an answer may measure several,
 * and counts in each with its own weight), then the dimension scores averaged with the
 * dimension weights.
 */
export function dimensionalRiskScore(scale: DimensionalScale): { score: number; dimensions: { dim: string; score: number; weight: number }[]; answers: AnswerScore[] } {
  const { dims, answerDims, dimWeights } = scale;
  if (new Set(dims).size !== dims.length) throw new CalculationError('dims', 'names a dimension twice');
  if (answerDims.length !== scale.maxAnswers.length) throw new CalculationError('answer_dims', `has ${answerDims.length} entries for ${scale.maxAnswers.length} entries of max_answers`);
  if (dimWeights && dimWeights.length !== dims.length) throw new CalculationError('dim_weights', `has ${dimWeights.length} weights for ${dims.length} dims`);
  answerDims.forEach((names, i) =>
    names.forEach((name, j) => {
      if (!dims.includes(name)) throw new CalculationError(`answer_dims[${i}][${j}]`, `names ${name}, which is not one of dims`);
    }),
  );
  const scores = answerScores(scale);
  const dimensions = dims.map((dim, k) => {
    const measuring = scores.filter((_, i) => answerDims[i].includes(dim));
    if (measuring.length === 0) throw new CalculationError('answer_dims', `no answer measures the dimension ${dim}`);
    return { dim, score: weightedScore(measuring, scale.weightsField), weight: dimWeights ? dimWeights[k] : 1 };
  });
  const score = weightedScore(dimensions, 'dim_weights');
  const total = dimensions.reduce((sum, d) => sum + d.weight, 0);
  return { score, dimensions: dimensions.map((d) => ({ ...d, weight: d.weight / total })), answers: asShares(scores) };
}
