import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { startServer, type TestServer } from '../../support/server.ts';
import { post } from '../../nucleus/views/world.ts';
import { checkEndpoint } from '../calculators/endpoint-checks.ts';

/**
 * A two-question tree: the first question's "yes" leads to the second question, its "no" to
 * allocation X; the second question's answers lead to allocations Y and Z.
 */
describe('decision_tree_result', () => {
  let server: TestServer;
  const ids: Record<string, string> = {};
  before(async () => {
    server = await startServer();
    const p = (entity: string, body: object) => post(server, entity, body);
    const questionnaire = await p('questionnaire', { name: 'Allocation finder' });
    const tree = await p('decision_tree', { name: 'Allocation finder' });
    for (const q of ['q1', 'q2']) ids[q] = await p('question', { questionnaire_id: questionnaire, title: q });
    for (const [answer, q] of [['yes', 'q1'], ['no', 'q1'], ['short', 'q2'], ['long', 'q2']]) ids[answer] = await p('answer', { question_id: ids[q], value: answer });
    for (const name of ['X', 'Y', 'Z']) ids[name] = await p('allocation', { name });
    ids.n1 = await p('node', { name: 'Start', question_id: ids.q1, is_first: true });
    ids.n2 = await p('node', { name: 'Horizon', question_id: ids.q2 });
    const edge = (parent: string, answer: string, rest: object) => p('node_relationship', { decision_tree_id: tree, node_parent_id: ids[parent], answer_id: ids[answer], ...rest });
    await edge('n1', 'yes', { node_child_id: ids.n2, value: 'go on' });
    await edge('n1', 'no', { is_leaf: true, value: ids.X });
    await edge('n2', 'short', { is_leaf: true, value: ids.Y });
    await edge('n2', 'long', { is_leaf: true, value: ids.Z });
  });
  after(async () => {
    await server.close();
  });

  const answers = (...names: string[]) => names.map((name) => ({ answer_id: ids[name] }));

  test('follows the answers from the first node to a leaf', async () => {
    const request = { entity_type: 'allocation', answers: answers('yes', 'long') };
    const body = await checkEndpoint(server, '/decision_tree_result', request, { body: { ...request, entity_type: 'goal' }, field: 'entity_type' });
    assert.deepEqual(body, { entity_type: 'allocation', entity_id: [ids.Z] });
    const no = await server.request('POST', '/proton/v1/decision_tree_result', { body: { entity_type: 'allocation', answers: answers('no', 'short') } });
    assert.deepEqual(no.body.entity_id, [ids.X]);
    // Leaves naming allocations are no models.
    const models = await server.request('POST', '/proton/v1/decision_tree_result', { body: { entity_type: 'model', answers: answers('yes', 'long') } });
    assert.deepEqual(models.body.entity_id, []);
    const empty = await server.request('POST', '/proton/v1/decision_tree_result', { body: { entity_type: 'model', answers: [] } });
    assert.equal(empty.status, 400);
    assert.equal(empty.body.field, 'answers');
  });

  test("a client login walks the firm's trees", async () => {
    await post(server, 'client', { username: 'walker@tree.test', client_type: 'individual', password: 'walker-Pass-word-1', authorities: ['ROLE_CLIENT'] });
    const login = await server.token('test-admin', 'test-admin-secret', { grant_type: 'password', username: 'walker@tree.test', password: 'walker-Pass-word-1' });
    const walked = await server.request('POST', '/proton/v1/decision_tree_result', { token: login.body.access_token, body: { entity_type: 'allocation', answers: answers('yes', 'short') } });
    assert.equal(walked.status, 200, JSON.stringify(walked.body));
    assert.deepEqual(walked.body.entity_id, [ids.Y]);
  });

  test('answers the caller cannot read are a 404', async () => {
    const unknown = await server.request('POST', '/proton/v1/decision_tree_result', { body: { entity_type: 'allocation', answers: [{ answer_id: randomUUID() }] } });
    assert.equal(unknown.status, 404);
    const other = await server.otherTenant();
    const foreign = await server.request('POST', '/proton/v1/decision_tree_result', { token: other.token, body: { entity_type: 'allocation', answers: answers('yes', 'long') } });
    assert.equal(foreign.status, 404);
  });
});
