import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startServer, type TestServer } from '../../support/server.ts';
import { finished, pollUntil, type BulkStatus } from './support.ts';

describe('bulk requests', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  const status = async (id: string, token?: string) => server.request<BulkStatus>('GET', `/nucleus/v1/bulk/status/${id}`, { token });
  const settled = async (id: string) => (await pollUntil(() => status(id), (r) => finished(r.body))).body;

  async function submit(method: string, entity: string, items: unknown): Promise<string> {
    const answer = await server.request(method, `/nucleus/v1/bulk/${entity}`, { body: items });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.equal(answer.body.status, 'Queued');
    assert.deepEqual(Object.keys(answer.body).sort(), ['create_date', 'id', 'status', 'update_date']);
    return answer.body.id;
  }

  it('creates the valid items and reports each refused one as its single request would', async () => {
    const id = await submit('POST', 'client', [
      { username: 'bulk-a@example.com', client_type: 'individual', password: 'correct horse battery' },
      { client_type: 'individual' },
      { username: 'bulk-b@example.com', client_type: 'individual', email: 'not an email' },
      { username: 'bulk-a@example.com', client_type: 'individual' },
      { username: 'bulk-c@example.com', client_type: 'individual', business_id: randomUUID() },
      { username: 'bulk-d@example.com', client_type: 'firm' },
    ]);
    const result = await settled(id);
    assert.equal(result.status, 'Complete');
    assert.deepEqual(result.progress, { total: 6, processed: 6, succeeded: 2, failed: 4 });
    assert.deepEqual(Object.keys(result.success), ['0', '5']);
    assert.deepEqual(Object.keys(result.error), ['1', '2', '3', '4']);
    assert.deepEqual(
      Object.values(result.error).map((e) => [e.status, e.code, e.field]),
      [
        [400, 'invalid_request', 'username'],
        [400, 'invalid_request', 'email'],
        [409, 'duplicate', 'username'],
        [400, 'reference_not_found', 'business_id'],
      ],
    );
    assert.ok(Object.values(result.error).every((e) => typeof e.message === 'string' && e.request_id.startsWith('req_')));
    assert.deepEqual(Object.values(result.error).map((e) => e.type), Array(4).fill('invalid_request_error'));
    // Items refused before error bodies had a type were stored without one, and still answer with it.
    await server.db.query(`UPDATE bulk_item SET error = error - 'type' WHERE bulk_id = $1 AND error IS NOT NULL`, [id]);
    const stored = await status(id);
    assert.equal(stored.status, 200);
    assert.deepEqual(Object.values(stored.body.error).map((e) => [e.code, e.type]), [
      ['invalid_request', 'invalid_request_error'],
      ['invalid_request', 'invalid_request_error'],
      ['duplicate', 'invalid_request_error'],
      ['reference_not_found', 'invalid_request_error'],
    ]);
    const created = await server.request('GET', `/nucleus/v1/client/${result.success['0'].id}`);
    assert.equal(created.body.username, 'bulk-a@example.com');
    assert.equal(created.body.password, undefined, 'secrets are stored hashed, as for a single create');
    const leftovers = await server.db.query(`SELECT 1 FROM bulk_item WHERE bulk_id = $1 AND input IS NOT NULL`, [id]);
    assert.equal(leftovers.length, 0, 'item inputs (and the secrets in them) are dropped once settled');
  });

  it('updates and deletes by the id each item carries', async () => {
    const ids: string[] = [];
    for (const name of ['one', 'two', 'three']) {
      ids.push((await server.request('POST', '/nucleus/v1/account_type', { body: { name } })).body.id);
    }
    const missing = randomUUID();
    const updated = await settled(
      await submit('PUT', 'account_type', [
        { id: ids[0], name: 'ONE' },
        { id: missing, name: 'nobody' },
        { name: 'no id' },
        { id: 'not-a-uuid', name: 'bad id' },
        { id: ids[1], is_taxable: 'yes' },
        { id: ids[2], code: 'T3' },
      ]),
    );
    assert.deepEqual(updated.success, { 0: { id: ids[0] }, 5: { id: ids[2] } });
    assert.deepEqual(
      Object.entries(updated.error).map(([at, e]) => [at, e.status, e.field]),
      [
        ['1', 404, undefined],
        ['2', 400, 'id'],
        ['3', 400, 'id'],
        ['4', 400, 'is_taxable'],
      ],
    );
    assert.equal((await server.request('GET', `/nucleus/v1/account_type/${ids[0]}`)).body.name, 'ONE');
    assert.equal((await server.request('GET', `/nucleus/v1/account_type/${ids[2]}`)).body.code, 'T3');

    const deleted = await settled(await submit('DELETE', 'account_type', [{ id: ids[0] }, { id: missing }, { id: ids[1] }]));
    assert.deepEqual(deleted.success, { 0: { id: ids[0] }, 2: { id: ids[1] } });
    assert.equal(deleted.error['1'].status, 404);
    assert.equal((await server.request('GET', `/nucleus/v1/account_type/${ids[0]}`)).status, 404);
    assert.equal((await server.request('GET', `/nucleus/v1/account_type/${ids[1]}`)).status, 404);
    assert.equal((await server.request('GET', `/nucleus/v1/account_type/${ids[2]}`)).status, 200);
  });

  it('refuses at once a body that is not a list of 1 to 100 records, naming it', async () => {
    const item = { name: 'x' };
    const stored = async () => Number((await server.db.query<{ n: string }>('SELECT count(*) AS n FROM bulk_transaction'))[0].n);
    const before = await stored();
    const cases: [unknown, string][] = [
      [[], 'data'],
      [Array.from({ length: 101 }, () => item), 'data'],
      ['just text', 'data'],
      [[item, 'x'], 'data[1]'],
    ];
    for (const [body, field] of cases) {
      const answer = await server.request('POST', '/nucleus/v1/bulk/account_type', { body });
      assert.equal(answer.status, 400, JSON.stringify(body).slice(0, 40));
      assert.equal(answer.body.field, field);
    }
    const single = await server.request('POST', '/nucleus/v1/bulk/account_type', { body: item });
    assert.equal(single.status, 200, 'one object, as the specification types the PUT body, is a bulk of one');
    const none = await server.request('DELETE', '/nucleus/v1/bulk/account_type');
    assert.equal(none.status, 400);
    assert.equal(none.body.field, 'data');
    assert.equal(await stored(), before + 1, 'a refused request stores nothing');
    const accepted = await server.request('POST', '/nucleus/v1/bulk/account_type', { body: Array.from({ length: 100 }, () => item) });
    assert.equal(accepted.status, 200);
    assert.equal((await settled(accepted.body.id)).progress.succeeded, 100);
  });

  it('answers 404 for an entity that does not exist and for an unknown bulk', async () => {
    const unknown = await server.request('POST', '/nucleus/v1/bulk/no_such_thing', { body: [{}] });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.code, 'not_found');
    assert.equal((await status(randomUUID())).status, 404);
    assert.equal((await status('not-a-uuid')).status, 400);
  });

  it('shows a bulk to its own tenant only', async () => {
    const id = await submit('POST', 'account_type', [{ name: 'mine' }]);
    const other = await server.otherTenant();
    const seen = await status(id, other.token);
    assert.equal(seen.status, 404);
    assert.equal((await settled(id)).status, 'Complete');
  });

  it("hides the tenant's other bulks from a token acting for a client", async () => {
    const id = await submit('POST', 'account_type', [{ name: 'admin only' }]);
    await server.request('POST', '/nucleus/v1/client', {
      body: { username: 'bulk-user@example.com', client_type: 'individual', password: 'a-strong-password' },
    });
    const login = await server.token('test-admin', 'test-admin-secret', {
      grant_type: 'password',
      username: 'bulk-user@example.com',
      password: 'a-strong-password',
    });
    assert.equal(login.status, 200);
    assert.equal((await status(id, login.body.access_token)).status, 404);
    assert.equal((await status(id)).status, 200);
    const listed = await server.request('GET', '/nucleus/v1/bulk/status', { token: login.body.access_token });
    assert.equal(listed.status, 200);
    assert.equal(listed.body.total_elements, 0, "the client's list holds none of the tenant's other bulks");
  });

  it('lists the bulks newest first with their progress, filtered by status, to their own tenant only', async () => {
    const done = await submit('POST', 'account_type', [{ name: 'listed one' }, {}]);
    await settled(done);
    const list = await server.request('GET', '/nucleus/v1/bulk/status', { token: undefined });
    assert.equal(list.status, 200, JSON.stringify(list.body));
    const first = list.body.content[0];
    assert.equal(first.id, done);
    assert.deepEqual(
      { entity: first.entity, action: first.action, status: first.status, item_count: first.item_count, progress: first.progress },
      { entity: 'account_type', action: 'create', status: 'Complete', item_count: 2, progress: { total: 2, processed: 2, succeeded: 1, failed: 1 } },
    );
    const queued = await server.request('GET', '/nucleus/v1/bulk/status?status=Queued');
    assert.ok(queued.body.content.every((b: { status: string }) => b.status === 'Queued'));
    const filtered = await server.request('GET', `/nucleus/v1/bulk/status?filter=${encodeURIComponent(`id==${done}`)}`);
    assert.deepEqual(filtered.body.content.map((b: { id: string }) => b.id), [done]);
    assert.equal((await server.request('GET', '/nucleus/v1/bulk/status?status=Done')).status, 400);
    const other = await server.otherTenant();
    assert.equal((await server.request('GET', '/nucleus/v1/bulk/status', { token: other.token })).body.total_elements, 0);
  });

  it('refuses at once a caller whose roles may not write the entity at all', async () => {
    const support = await server.credential(['ROLE_SUPPORT']);
    const issued = await server.token(support.clientId, support.clientSecret, { grant_type: 'client_credentials' });
    const answer = await server.request('POST', '/nucleus/v1/bulk/account_type', { body: [{ name: 'x' }], token: issued.body.access_token });
    assert.equal(answer.status, 403);
    assert.equal(answer.body.code, 'forbidden');
  });

  it('needs a bearer token', async () => {
    assert.equal((await server.request('POST', '/nucleus/v1/bulk/account_type', { body: [{ name: 'x' }], token: null })).status, 401);
  });
});

describe('bulk job lifecycle', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ bulkItemDelayMs: 40 });
  });
  after(() => server.close());

  it('goes Queued → In Progress → Complete, with the outcomes filling in as it goes', async () => {
    const answer = await server.request('POST', '/nucleus/v1/bulk/account_type', {
      body: Array.from({ length: 20 }, (_, i) => ({ name: `slow ${i}` })),
    });
    assert.equal(answer.body.status, 'Queued');
    const id = answer.body.id;
    const read = async () => (await server.request<BulkStatus>('GET', `/nucleus/v1/bulk/status/${id}`)).body;
    const midway = await pollUntil(read, (s) => s.status === 'In Progress' && s.progress.processed > 0 && s.progress.processed < 20);
    assert.equal(Object.keys(midway.success).length, midway.progress.processed);

    // The job acts as the caller: its stored context names the credential, never the token.
    const [job] = await server.db.query<{ payload: { origin: { auth: Record<string, unknown> } } }>(`SELECT payload FROM job WHERE kind = 'bulk'`);
    const token = await server.adminToken();
    assert.deepEqual(Object.keys(job.payload.origin.auth).sort(), ['authorities', 'clientId', 'credentialId', 'scopes', 'tenantId']);
    assert.ok(!JSON.stringify(job.payload).includes(token));

    const done = await pollUntil(read, finished);
    assert.equal(done.status, 'Complete');
    assert.equal(done.progress.succeeded, 20);
    const jobs = await server.db.query(`SELECT 1 FROM job WHERE kind = 'bulk'`);
    assert.equal(jobs.length, 0, 'a finished job leaves the queue');
  });
});
