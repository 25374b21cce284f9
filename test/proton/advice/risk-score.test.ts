import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { startServer, type TestServer } from '../../support/server.ts';
import { dimensionalRiskScore, riskScore } from '../../../src/proton/advice/risk-score.ts';
import { CalculationError } from '../../../src/proton/calculation-error.ts';
import { checkEndpoint } from '../calculators/endpoint-checks.ts';

const close = (actual: number, expected: number) => assert.ok(Math.abs(actual - expected) < 1e-9, `expected ${expected}, got ${actual}`);

describe('risk score math', () => {
  test('weighted average of answers on their own scales', () => {
    // 3/4, 2/4, 4/4, 1/2 → 75, 50, 100, 50; weights 2:1:1:1 → (150 + 50 + 100 + 50) / 5.
    const result = riskScore({ answers: [3, 2, 4, 1], maxAnswers: [4, 4, 4, 2], weights: [2, 1, 1, 1], weightsField: 'weights' });
    close(result.score, 70);
    close(result.answers[0].weight, 0.4);
    close(riskScore({ answers: [3, 2, 4, 1], maxAnswers: [4, 4, 4, 2], weights: null, weightsField: 'weights' }).score, 68.75);
  });

  test('dimensions scored from their answers, then combined by dimension weight', () => {
    // 75, 25, 50; tolerance = (75 + 50) / 2, capacity = (25 + 50) / 2; 0.75 × 62.5 + 0.25 × 37.5.
    const result = dimensionalRiskScore({
      answers: [3, 1, 2],
      maxAnswers: [4, 4, 4],
      weights: null,
      weightsField: 'answer_weights',
      dims: ['tolerance', 'capacity'],
      answerDims: [['tolerance'], ['capacity'], ['tolerance', 'capacity']],
      dimWeights: [3, 1],
    });
    close(result.dimensions[0].score, 62.5);
    close(result.dimensions[1].score, 37.5);
    close(result.score, 56.25);
  });

  test('answers outside their scale are refused by field', () => {
    const fieldOf = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        return (error as CalculationError).field;
      }
      return undefined;
    };
    assert.equal(fieldOf(() => riskScore({ answers: [5], maxAnswers: [4], weights: null, weightsField: 'weights' })), 'answers[0]');
    assert.equal(fieldOf(() => riskScore({ answers: [0], maxAnswers: [0], weights: null, weightsField: 'weights' })), 'max_answers[0]');
    assert.equal(fieldOf(() => riskScore({ answers: [1], maxAnswers: [4], weights: [0], weightsField: 'weights' })), 'weights');
    assert.equal(fieldOf(() => riskScore({ answers: [1, 2], maxAnswers: [4], weights: null, weightsField: 'weights' })), 'answers');
    assert.equal(fieldOf(() => riskScore({ answers: [], maxAnswers: [], weights: null, weightsField: 'weights' })), 'max_answers');
  });
});

describe('risk score endpoints', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server.close();
  });

  const post = async (entity: string, body: Record<string, unknown>) => {
    const result = await server.request('POST', `/nucleus/v1/${entity}`, { body });
    assert.equal(result.status, 201, JSON.stringify(result.body));
    return result.body.id as string;
  };

  test('risk_score', async () => {
    const request = { answers: [3, 2, 4, 1], max_answers: [4, 4, 4, 2], weights: [2, 1, 1, 1] };
    const body = await checkEndpoint(server, '/risk_score', request, { body: { ...request, answers: [3, 2, 5, 1] }, field: 'answers[2]' });
    close(body.risk_score, 70);
    assert.equal(body.answers.length, 4);
    const negative = await server.request('POST', '/proton/v1/risk_score', { body: { ...request, weights: [1, -1, 1, 1] } });
    assert.equal(negative.status, 400);
    assert.equal(negative.body.field, 'weights[1]');
    const unknownQuestionnaire = await server.request('POST', '/proton/v1/risk_score', { body: { ...request, questionnaire_id: randomUUID() } });
    assert.equal(unknownQuestionnaire.status, 404);
    const missing = await server.request('POST', '/proton/v1/risk_score', { body: { max_answers: [4] } });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.field, 'answers');
  });

  test('dimensional_risk_score', async () => {
    const request = { dims: ['tolerance', 'capacity'], answers: [3, 1, 2], max_answers: [4, 4, 4], answer_dims: [['tolerance'], ['capacity'], ['tolerance', 'capacity']], dim_weights: [0.75, 0.25] };
    const body = await checkEndpoint(server, '/dimensional_risk_score', request, { body: { ...request, answer_dims: [['tolerance'], ['nerve'], []] }, field: 'answer_dims[1][0]' });
    close(body.dimensional_risk_score, 56.25);
    close(body.dimension_scores.tolerance, 62.5);
    close(body.dimension_weights.capacity, 0.25);
    const unmeasured = await server.request('POST', '/proton/v1/dimensional_risk_score', { body: { ...request, answer_dims: [['tolerance'], ['tolerance'], []] } });
    assert.equal(unmeasured.status, 400);
    assert.equal(unmeasured.body.field, 'answer_dims');
  });

  test("answers read from a client's responses, for the client only", async () => {
    const questionnaire = await post('questionnaire', { name: 'Risk profile' });
    // order_index "10" sorts after "2": question order is numeric where the indexes are.
    const late = await post('question', { questionnaire_id: questionnaire, title: 'Horizon', order_index: '10', weight: 3 });
    const early = await post('question', { questionnaire_id: questionnaire, title: 'Drawdown', order_index: '2', weight: 1 });
    const earlyAnswer = await post('answer', { question_id: early, value: '4' });
    const lateAnswer = await post('answer', { question_id: late, value: '5' });
    const people: Record<string, string> = {};
    for (const name of ['owner', 'outsider']) {
      people[name] = await post('client', { username: `${name}@risk.test`, client_type: 'individual', password: `${name}-Pass-word-1`, authorities: ['ROLE_CLIENT'] });
    }
    await post('client_response', { client_id: people.owner, answer_id: earlyAnswer, answer_value: '1' });
    // The later response to a question replaces the earlier one.
    await post('client_response', { client_id: people.owner, answer_id: earlyAnswer, answer_value: '4' });
    await post('client_response', { client_id: people.owner, answer_id: lateAnswer, answer_value: 'five' });
    const request = { questionnaire_id: questionnaire, client_id: people.owner, max_answers: [5, 10] };
    // 4/5 → 80 (weight 1), the answer's value 5/10 → 50 (weight 3): (80 + 150) / 4.
    const scored = await server.request('POST', '/proton/v1/risk_score', { body: request });
    assert.equal(scored.status, 200, JSON.stringify(scored.body));
    close(scored.body.risk_score, 57.5);
    const unanswered = await server.request('POST', '/proton/v1/risk_score', { body: { ...request, client_id: people.outsider } });
    assert.equal(unanswered.status, 400);
    assert.equal(unanswered.body.field, 'answers');

    const login = await server.token('test-admin', 'test-admin-secret', { grant_type: 'password', username: 'outsider@risk.test', password: 'outsider-Pass-word-1' });
    const foreign = await server.request('POST', '/proton/v1/risk_score', { token: login.body.access_token, body: request });
    assert.equal(foreign.status, 404);
    const other = await server.otherTenant();
    const otherTenant = await server.request('POST', '/proton/v1/dimensional_risk_score', {
      token: other.token,
      body: { ...request, dims: ['all'], answer_dims: [['all'], ['all']] },
    });
    assert.equal(otherTenant.status, 404);
  });
});
