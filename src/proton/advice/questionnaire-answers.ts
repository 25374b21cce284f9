import { CalculationError } from '../calculation-error.ts';
import type { EntityReader, Row } from '../../platform/read/entity-reader.ts';

export interface StoredAnswers {
  /** One numeric answer per question of the questionnaire, in question order. */
  answers: number[];
  /** The questions' weights, when every question has one. */
  weights: number[] | null;
}

const byOrderIndex = (a: Row<'question'>, b: Row<'question'>) => String(a.doc.order_index ?? '').localeCompare(String(b.doc.order_index ?? ''), 'en', { numeric: true });

/**
 * A client's answers to a questionnaire, from the client's stored responses: for each
 * question (in order_index order) the latest response naming one of its answers, valued by
 * the response's answer_value or, when that is not a number, by the answer's value.
 */
export async function storedAnswers(reader: EntityReader, questionnaireId: string, clientId: string): Promise<StoredAnswers> {
  await reader.doc('questionnaire', questionnaireId);
  const questions = (await reader.rows('question', { where: { questionnaire_id: questionnaireId }, order: (f) => `${f.column('create_date')}, ${f.column('id')}` })).sort(byOrderIndex);
  if (questions.length === 0) throw new CalculationError('questionnaire_id', 'the questionnaire has no questions');
  const choices = await reader.rows('answer', { where: { question_id: { in: questions.map((q) => q.id) } } });
  const questionOf = new Map(choices.map((a) => [a.id, String(a.doc.question_id)]));
  const responses = choices.length === 0 ? [] : await reader.rows('client_response', {
    where: { client_id: clientId, answer_id: { in: choices.map((a) => a.id) } },
    order: (f) => `${f.column('create_date')}, ${f.column('id')}`,
  });
  const latest = new Map<string, Row<'client_response'>>();
  for (const response of responses) latest.set(questionOf.get(String(response.doc.answer_id).toLowerCase()) ?? '', response);
  const choiceById = new Map(choices.map((a) => [a.id, a]));
  const answers = questions.map((question) => {
    const response = latest.get(question.id);
    if (!response) throw new CalculationError('answers', `the client has no response to question ${question.id}; give answers in the request`);
    const stated = String(response.doc.answer_value ?? '').trim() === '' ? NaN : Number(response.doc.answer_value);
    const value = Number.isFinite(stated) ? stated : Number(choiceById.get(String(response.doc.answer_id).toLowerCase())?.doc.value);
    if (!Number.isFinite(value) || value < 0) throw new CalculationError('answers', `the response to question ${question.id} is not a number of 0 or more`);
    return value;
  });
  const weights = questions.map((q) => q.doc.weight);
  return { answers, weights: weights.every((w): w is number => typeof w === 'number' && w >= 0) ? weights : null };
}
