import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startServer, type TestServer } from '../../support/server.ts';
import { post } from './world.ts';

describe('subscriptions and decision trees over HTTP', () => {
  let server: TestServer;
  const ids: Record<string, string> = {};
  before(async () => {
    server = await startServer();
    const p = (entity: string, body: object) => post(server, entity, body);
    const type = await p('account_type', { name: 'Managed' });
    ids.account = await p('account', { name: 'Managed', account_type_id: type });
    ids.growth = await p('model', { name: 'Growth' });
    ids.income = await p('model', { name: 'Income' });
    ids.allocation = await p('allocation', { name: 'Balanced' });
    await p('allocation_composition', { allocation_id: ids.allocation, model_id: ids.growth, date: '2024-01-01', current_weight: 60, strategic_weight: 50 });
    await p('allocation_composition', { allocation_id: ids.allocation, model_id: ids.income, date: '2024-01-01', current_weight: 40, strategic_weight: 50 });
  });
  after(() => server.close());

  it('subscribes an account: the mapping and one portfolio per model, at the model\'s weight', async () => {
    const result = await server.request('POST', `/nucleus/v1/account/${ids.account}/subscribe`, {
      body: { allocation_id: ids.allocation, current_weight: 100, strategic_weight: 100, date: '2024-07-01' },
    });
    assert.equal(result.status, 201, JSON.stringify(result.body));
    assert.deepEqual(result.body.map((p: { name: string; model_id: string; percentage: number; account_id: string }) => [p.name, p.model_id, p.percentage, p.account_id]).sort(), [
      ['Growth', ids.growth, 60, ids.account],
      ['Income', ids.income, 40, ids.account],
    ]);
    const mappings = await server.request('GET', `/nucleus/v1/account_allocation?filter=${encodeURIComponent(`account_id==${ids.account}`)}`);
    assert.deepEqual(mappings.body.content.map((m: { allocation_id: string }) => m.allocation_id), [ids.allocation]);
    // Half the account on the allocation: the portfolios get half the weights.
    const half = await server.request('POST', `/nucleus/v1/account/${ids.account}/subscribe`, {
      body: { account_id: ids.account, allocation_id: ids.allocation, current_weight: 50, strategic_weight: 50, date: '2024-07-02' },
    });
    assert.deepEqual(half.body.map((p: { percentage: number }) => p.percentage).sort(), [20, 30]);
  });

  it('refuses a subscription it cannot make, and makes none of it', async () => {
    const before = (await server.request('GET', '/nucleus/v1/portfolio')).body.total_elements;
    const cases: [object, string][] = [
      [{ allocation_id: randomUUID(), current_weight: 100, strategic_weight: 100, date: '2024-07-01' }, 'allocation_id'],
      [{ account_id: randomUUID(), allocation_id: ids.allocation, current_weight: 100, strategic_weight: 100, date: '2024-07-01' }, 'account_id'],
      [{ allocation_id: ids.allocation, strategic_weight: 100, date: '2024-07-01' }, 'current_weight'],
      [{ allocation_id: ids.allocation, current_weight: 100, strategic_weight: 100, date: 'July' }, 'date'],
    ];
    for (const [body, field] of cases) {
      const result = await server.request('POST', `/nucleus/v1/account/${ids.account}/subscribe`, { body });
      assert.equal(result.status, 400, field);
      assert.equal(result.body.field, field);
    }
    const unknown = await server.request('POST', `/nucleus/v1/account/${randomUUID()}/subscribe`, {
      body: { allocation_id: ids.allocation, current_weight: 100, strategic_weight: 100, date: '2024-07-01' },
    });
    assert.equal(unknown.status, 404);
    assert.equal((await server.request('GET', '/nucleus/v1/portfolio')).body.total_elements, before);
  });

  it('walks a decision tree with the answers given to the leaf\'s model', async () => {
    const p = (entity: string, body: object) => post(server, entity, body);
    const questionId = await p('question', { title: 'How much risk?' });
    const low = await p('answer', { value: 'low', question_id: questionId });
    const high = await p('answer', { value: 'high', question_id: questionId });
    const long = await p('answer', { value: 'long', question_id: questionId });
    const tree = await p('decision_tree', { name: 'Pick a model' });
    const risk = await p('node', { name: 'Risk', question_id: questionId, is_first: true });
    const horizon = await p('node', { name: 'Horizon', question_id: questionId });
    await p('node_relationship', { decision_tree_id: tree, node_parent_id: risk, answer_id: low, value: ids.income, is_leaf: true });
    await p('node_relationship', { decision_tree_id: tree, node_parent_id: risk, answer_id: high, node_child_id: horizon, value: 'horizon' });
    await p('node_relationship', { decision_tree_id: tree, node_parent_id: horizon, answer_id: long, value: ids.growth, is_leaf: true });
    const walk = async (answers: string[]) => {
      const result = await server.request('POST', '/nucleus/v1/decision_tree_result', { body: { answers: answers.map((answer_id) => ({ answer_id })), entity_type: 'model' } });
      assert.equal(result.status, 200, JSON.stringify(result.body));
      return result.body;
    };
    assert.deepEqual(await walk([low]), { entity_type: 'model', entity_id: [ids.income] });
    assert.deepEqual(await walk([high, long]), { entity_type: 'model', entity_id: [ids.growth] });
    assert.deepEqual(await walk([high]), { entity_type: 'model', entity_id: [] }, 'stopped before a leaf');
    assert.deepEqual(await walk([long]), { entity_type: 'model', entity_id: [] }, 'not from the first node');
    const bad = await server.request('POST', '/nucleus/v1/decision_tree_result', { body: { answers: [] } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.field, 'entity_type');
  });
});
