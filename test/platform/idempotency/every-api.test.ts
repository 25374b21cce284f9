import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type HttpResult, type TestServer } from '../../support/server.ts';
import { Program } from '../../electron/program.ts';

describe('Idempotency-Key on every API', () => {
  let server: TestServer;
  let program: Program;

  before(async () => {
    server = await startServer({ hydroChainDir: null });
    program = new Program(server);
  });
  after(() => server.close());

  const withKey = (method: string, path: string, key: string, body?: unknown): Promise<HttpResult> =>
    server.request(method, path, { body, headers: { 'idempotency-key': key } });
  const replayed = (result: HttpResult): boolean => result.headers.get('idempotent-replayed') === 'true';

  it('moves money once on Electron however often a purchase is retried', async () => {
    const { card } = await program.activeCard();
    await program.load(card, 50);
    const body = { nucleus_card_id: card, amount: 12.5 };
    const first = await withKey('POST', '/electron/v1/sandbox/card/purchase', 'coffee-1', body);
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal(first.body.balance, 37.5);
    const retries = await Promise.all([1, 2, 3].map(() => withKey('POST', '/electron/v1/sandbox/card/purchase', 'coffee-1', body)));
    for (const retry of retries) {
      assert.equal(retry.status, 200);
      assert.ok(replayed(retry));
      assert.deepEqual(retry.body, first.body);
    }
    const transactions = (await program.get(`/nucleus/v1/card/${card}/transaction`)).body.content;
    assert.equal(transactions.length, 2, 'the load and one purchase');
    const reused = await withKey('POST', '/electron/v1/sandbox/card/purchase', 'coffee-1', { ...body, amount: 13 });
    assert.equal(reused.status, 422);
    assert.equal(reused.body.code, 'idempotency_key_reused');
  });

  it('replays on Proton, the admin API and Hydro', async () => {
    const calculation = { emergency_fund_duration: 6, housing_cost: 1500, other_expenses: { childcare: 300 } };
    const proton = await withKey('POST', '/proton/v1/emergency_fund_calculator', 'fund-1', calculation);
    assert.equal(proton.status, 200, JSON.stringify(proton.body));
    const protonAgain = await withKey('POST', '/proton/v1/emergency_fund_calculator', 'fund-1', calculation);
    assert.ok(replayed(protonAgain));
    assert.deepEqual(protonAgain.body, proton.body);

    const credential = await server.request('POST', '/admin/v1/api_credential', { body: { name: 'renamed', authorities: ['ROLE_ADMIN'] } });
    const rename = await withKey('PUT', `/admin/v1/api_credential/${credential.body.id}`, 'rename-1', { name: 'first name' });
    assert.equal(rename.status, 200);
    await server.request('PUT', `/admin/v1/api_credential/${credential.body.id}`, { body: { name: 'later name' } });
    const renameAgain = await withKey('PUT', `/admin/v1/api_credential/${credential.body.id}`, 'rename-1', { name: 'first name' });
    assert.ok(replayed(renameAgain));
    assert.equal((await server.request('GET', `/admin/v1/api_credential/${credential.body.id}`)).body.name, 'later name', 'not run again');

    const application = await withKey('POST', '/hydro/v1/application', 'app-1', { name: 'idempotent bank' });
    assert.equal(application.status, 201, JSON.stringify(application.body));
    const applicationAgain = await withKey('POST', '/hydro/v1/application', 'app-1', { name: 'idempotent bank' });
    assert.ok(replayed(applicationAgain));
    assert.equal(applicationAgain.body.id, application.body.id);
  });

  it('ignores the key where keeping the answer or the request would keep a secret', async () => {
    const body = { name: 'twice', authorities: ['ROLE_ADMIN'] };
    const first = await withKey('POST', '/admin/v1/api_credential', 'secret-1', body);
    const second = await withKey('POST', '/admin/v1/api_credential', 'secret-1', body);
    assert.equal(first.status, 201);
    assert.equal(second.status, 201);
    assert.ok(!replayed(second));
    assert.notEqual(first.body.client_secret, second.body.client_secret, 'two credentials: the answer was not kept');
    const rotated = await withKey('POST', `/admin/v1/api_credential/${first.body.id}/rotate`, 'secret-2', { grace_period_seconds: 0 });
    assert.equal(rotated.status, 200);
    const password = 'Correct-Horse-Battery-9';
    const user = await withKey('POST', '/admin/v1/client', 'secret-3', { username: `keyed-${Date.now()}`, password, authorities: 'ROLE_ADMIN' });
    assert.equal(user.status, 201, JSON.stringify(user.body));
    const kept = JSON.stringify(await server.db.query('SELECT * FROM idempotency_key'));
    for (const secret of [first.body.client_secret, second.body.client_secret, rotated.body.client_secret, password]) {
      assert.ok(!kept.includes(secret), 'no secret among the kept answers');
    }
    assert.ok(!kept.includes('secret-1') && !kept.includes('secret-2') && !kept.includes('secret-3'), 'the keys were not even claimed');
  });
});
