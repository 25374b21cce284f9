import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, freshDatabase, startServer, type TestServer } from '../../support/server.ts';
import { runCli } from '../../../src/cli/run.ts';
import { migrate } from '../../../src/platform/db/migrations.ts';
import { allMigrations } from '../../../src/platform/db/prepare.ts';
import { Program } from '../../electron/program.ts';

const PASSWORD = 'Admin-password-1';

describe('sandbox and production tenants', () => {
  let server: TestServer;
  let program: Program;
  let tenantId: string;
  before(async () => {
    server = await startServer();
    program = new Program(server);
    tenantId = (await server.db.query<{ id: string }>("SELECT id FROM tenant WHERE name = 'default'"))[0].id;
  });
  after(() => server.close());

  const setEnvironment = (environment: string) => server.db.query('UPDATE tenant SET environment = $2 WHERE id = $1', [tenantId, environment]);
  const count = async (path: string) => (await server.request('GET', path)).body.total_elements as number;

  it('says which environment a tenant is in the token response and GET /admin/v1/tenant', async () => {
    const token = await server.token(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, { grant_type: 'client_credentials' });
    assert.equal(token.body.environment, 'sandbox', 'a new tenant is a sandbox');
    const tenant = await server.request('GET', '/admin/v1/tenant');
    assert.equal(tenant.status, 200);
    assert.deepEqual([tenant.body.name, tenant.body.environment, tenant.body.id], ['default', 'sandbox', tenantId]);
    await setEnvironment('production');
    try {
      assert.equal((await server.token(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, { grant_type: 'client_credentials' })).body.environment, 'production');
      assert.equal((await server.request('GET', '/admin/v1/tenant')).body.environment, 'production');
    } finally {
      await setEnvironment('sandbox');
    }
    const { clientId, clientSecret } = await server.credential(['ROLE_SUPPORT']);
    const support = (await server.token(clientId, clientSecret, { grant_type: 'client_credentials' })).body.access_token;
    assert.equal((await server.request('GET', '/admin/v1/tenant', { token: support })).status, 403);
  });

  it('refuses the sandbox purchase and the sandbox processor in a production tenant', async () => {
    const { card } = await program.activeCard();
    await program.load(card, 50);
    await setEnvironment('production');
    try {
      const purchase = await program.electron('POST', '/sandbox/card/purchase', { nucleus_card_id: card, amount: 5 });
      assert.equal(purchase.status, 403);
      assert.equal(purchase.body.code, 'sandbox_only');
      assert.match(purchase.body.message, /Simulating card activity is for sandbox tenants only/);
      const load = await program.electron('POST', '/card/load', program.fundingBody(card, 5, true));
      assert.deepEqual([load.status, load.body.code], [403, 'sandbox_only']);
      assert.equal((await program.electron('GET', '/card/reserve')).status, 403);
      assert.equal((await program.get(`/nucleus/v1/card/${card}/transaction`)).body.content.length, 1, 'nothing moved');
    } finally {
      await setEnvironment('sandbox');
    }
    const approved = await program.ok('POST', '/sandbox/card/purchase', { nucleus_card_id: card, amount: 5 });
    assert.equal(approved.status, 'approved');
  });

  it('resets a sandbox tenant: its data goes, its credentials, admin users and other tenants stay', async () => {
    const { card } = await program.activeCard();
    await program.load(card, 20);
    const webhook = await server.request('POST', '/nucleus/v1/webhook', { body: { url: 'https://example.com/hook', atom_service: ['client'] } });
    assert.equal(webhook.status, 201, JSON.stringify(webhook.body));
    const credential = await server.credential(['ROLE_ADMIN']);
    const admin = await server.request('POST', '/admin/v1/client', { body: { username: 'keeper', password: PASSWORD, authorities: 'ROLE_ADMIN' } });
    assert.equal(admin.status, 201);
    const other = await server.otherTenant();
    const foreign = await server.request('POST', '/nucleus/v1/client', { token: other.token, body: { username: 'elsewhere@example.com', client_type: 'individual' } });
    assert.equal(foreign.status, 201);
    assert.ok((await count('/nucleus/v1/client')) > 0);

    const missing = await server.request('POST', '/admin/v1/tenant/reset');
    assert.equal(missing.status, 400);
    assert.equal(missing.body.field, 'confirm');
    const wrong = await server.request('POST', '/admin/v1/tenant/reset?confirm=Default');
    assert.equal(wrong.status, 400);
    assert.equal(wrong.body.field, 'confirm');
    const adminToken = (await server.token(credential.clientId, credential.clientSecret, { grant_type: 'client_credentials' })).body.access_token;
    assert.equal((await server.request('POST', '/admin/v1/tenant/reset?confirm=default', { token: adminToken })).status, 403, 'ROLE_ADMIN may not');
    const narrow = (await server.token(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, { grant_type: 'client_credentials', scope: 'read create' })).body.access_token;
    const unscoped = await server.request('POST', '/admin/v1/tenant/reset?confirm=default', { token: narrow });
    assert.deepEqual([unscoped.status, unscoped.body.code], [403, 'insufficient_scope']);

    const reset = await server.request('POST', '/admin/v1/tenant/reset?confirm=default');
    assert.equal(reset.status, 200, JSON.stringify(reset.body));
    assert.equal(reset.body.tenant.environment, 'sandbox');
    assert.ok(reset.body.removed.nucleus_client >= 1, JSON.stringify(reset.body.removed));
    assert.ok(reset.body.removed.nucleus_card >= 1);
    assert.ok(reset.body.removed.webhook >= 1 || reset.body.removed.nucleus_webhook >= 1, JSON.stringify(reset.body.removed));
    assert.ok(reset.body.removed.sandbox_ledger_account >= 1);
    assert.equal(reset.body.total, Object.values(reset.body.removed as Record<string, number>).reduce((a, b) => a + b, 0));
    for (const kept of ['api_credential', 'admin_user', 'access_token']) assert.equal(reset.body.removed[kept], undefined, kept);

    assert.equal(await count('/nucleus/v1/client'), 0);
    assert.equal(await count('/nucleus/v1/card'), 0);
    assert.equal(await count('/nucleus/v1/audit_log'), 0);
    assert.equal((await server.request('GET', '/nucleus/v1/client', { token: other.token })).body.total_elements, 1, 'another tenant keeps its data');
    assert.equal((await server.request('GET', '/admin/v1/client', { token: adminToken })).status, 200, 'live tokens still work');
    const fresh = await server.token(credential.clientId, credential.clientSecret, { grant_type: 'client_credentials' });
    assert.equal(fresh.status, 200, 'the credential still works');
    assert.equal((await server.token(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, { grant_type: 'password', username: 'keeper', password: PASSWORD })).status, 200, 'so does the admin user');

    // The sandbox program opens again, funded, for the next card.
    const renewed = new Program(server);
    const next = await renewed.activeCard();
    await renewed.load(next.card, 10);
    assert.equal((await renewed.ok('POST', '/sandbox/card/purchase', { nucleus_card_id: next.card, amount: 4 })).status, 'approved');
  });

  it('refuses to reset a production tenant', async () => {
    await new Program(server).cardOwner();
    await setEnvironment('production');
    try {
      const refused = await server.request('POST', '/admin/v1/tenant/reset?confirm=default');
      assert.equal(refused.status, 403);
      assert.equal(refused.body.code, 'sandbox_only');
      assert.ok((await count('/nucleus/v1/client')) > 0, 'nothing removed');
    } finally {
      await setEnvironment('sandbox');
    }
  });
});

describe('environments of tenants created before and after', () => {
  it('makes tenants that existed before environments production, and new ones sandbox unless told', async () => {
    const { db, url, drop } = await freshDatabase('empty');
    try {
      await migrate(db, allMigrations.filter((m) => m.version < 20));
      await db.query("INSERT INTO tenant (id, name) VALUES ('00000000-0000-4000-8000-000000000001', 'old')");
      await migrate(db, allMigrations);
      assert.equal((await db.query<{ environment: string }>("SELECT environment FROM tenant WHERE name = 'old'"))[0].environment, 'production');
      await db.close();

      const run = async (...argv: string[]) => {
        const out: string[] = [];
        const err: string[] = [];
        const code = await runCli(argv, { out: (line) => out.push(line), err: (line) => err.push(line) }, { DATABASE_URL: url });
        return { code, out: out.join('\n'), err: err.join('\n') };
      };
      assert.equal((await run('tenant', 'create', 'new')).code, 0);
      const live = await run('tenant', 'create', 'live', '--environment', 'production', '--json');
      assert.equal(JSON.parse(live.out).environment, 'production');
      assert.equal((await run('tenant', 'create', 'odd', '--environment', 'staging')).code, 2);
      const switched = await run('tenant', 'set-environment', 'old', 'sandbox');
      assert.equal(switched.code, 0, switched.err);
      assert.match(switched.out, /"old" is now sandbox/);
      const listed = JSON.parse((await run('tenant', 'list', '--json')).out) as { name: string; environment: string }[];
      assert.deepEqual(
        listed.map((t) => [t.name, t.environment]),
        [['old', 'sandbox'], ['new', 'sandbox'], ['live', 'production']],
      );
    } finally {
      await drop();
    }
  });
});
