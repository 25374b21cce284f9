import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildStores } from '../../../src/platform/entity/registry.ts';
import { EntityWriter, type WriteOrigin } from '../../../src/platform/entity/writer.ts';
import { auditHook } from '../../../src/platform/audit/audit-hook.ts';
import { AccessControl } from '../../../src/platform/acl/access-control.ts';
import { nucleusEntities } from '../../../src/nucleus/entities.ts';
import { system } from '../../../src/platform/entity/system-origin.ts';
import { ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, startServer, type TestServer } from '../../support/server.ts';

describe('audit log', () => {
  let server: TestServer;
  let admin: { tenantId: string; credentialId: string };
  let clientId: string;
  before(async () => {
    server = await startServer();
    const rows = await server.db.query<{ tenant_id: string; id: string }>('SELECT tenant_id, id FROM api_credential WHERE client_id = $1', [
      ADMIN_CLIENT_ID,
    ]);
    admin = { tenantId: rows[0].tenant_id, credentialId: rows[0].id };
  });
  after(() => server.close());

  const auditOf = async (filter: string) => (await server.request('GET', `/nucleus/v1/audit_log?filter=${encodeURIComponent(filter)}`)).body;
  const auditCount = async () => (await server.request('GET', '/nucleus/v1/audit_log?size=1')).body.total_elements as number;

  it('records a create: who, the URL, the request without secrets, the status and the ids', async () => {
    const created = await server.request('POST', '/nucleus/v1/client', {
      body: {
        username: 'audited@example.com',
        client_type: 'individual',
        password: 'correct horse battery',
        authorities: ['ROLE_ADMIN'],
        metadata: { api_token: 'tok-123', colour: 'green' },
      },
    });
    assert.equal(created.status, 201);
    clientId = created.body.id;

    const page = await auditOf(`client_ids==${clientId}`);
    assert.equal(page.total_elements, 1);
    const entry = page.content[0];
    assert.equal(entry.request_url, '/nucleus/v1/client');
    assert.equal(entry.response, '201');
    assert.deepEqual(entry.client_ids, [clientId]);
    const request = JSON.parse(entry.request);
    assert.equal(request.method, 'POST');
    assert.equal(request.credential_id, admin.credentialId);
    assert.equal(request.user_client_id, null);
    assert.deepEqual(request.authorities, ['ROLE_SUPER_ADMIN']);
    assert.equal(request.request_id, created.headers.get('x-request-id'));
    assert.equal(request.body.username, 'audited@example.com');
    assert.equal(request.body.password, '[redacted]', 'a declared secret');
    assert.deepEqual(request.body.metadata, { api_token: '[redacted]', colour: 'green' }, 'a secret-looking name at any depth');
    const stored = await server.db.query('SELECT doc::text AS doc FROM nucleus_audit_log');
    assert.ok(stored.every((r) => !String(r.doc).includes('correct horse') && !String(r.doc).includes('tok-123')));
  });

  it('records an update and a delete, with the ids of what they point at', async () => {
    const accountType = await server.request('POST', '/nucleus/v1/account_type', { body: { name: 'Brokerage' } });
    const account = await server.request('POST', '/nucleus/v1/account', {
      body: { name: 'Joint', account_type_id: accountType.body.id, clients: [{ client_id: clientId, client_account_association_type: 'owner' }] },
    });
    const accountId = account.body.id;
    assert.equal((await server.request('PUT', `/nucleus/v1/account/${accountId}`, { body: { name: 'Renamed' } })).status, 200);
    assert.equal((await server.request('DELETE', `/nucleus/v1/account/${accountId}`)).status, 204);

    const page = await auditOf(`account_ids==${accountId}`);
    assert.equal(page.total_elements, 4, "one record per write, and one for the account's permission list the server wrote with it");
    const bySystem = page.content.filter((e: { request: string }) => JSON.parse(e.request).actor === 'system');
    assert.equal(bySystem.length, 1, 'the rename left the clients as they were, so the list was not written again');
    assert.equal(bySystem[0].request_url, '/nucleus/v1/account');
    assert.match(JSON.parse(bySystem[0].request).reason, new RegExp(`permission list follows the clients named on account ${accountId}`));
    const byCaller = page.content.filter((e: { request: string }) => JSON.parse(e.request).actor !== 'system');
    const byStatus = Object.fromEntries(byCaller.map((e: { response: string }) => [e.response, e]));
    assert.deepEqual(Object.keys(byStatus).sort(), ['200', '201', '204']);
    for (const entry of byCaller) {
      assert.deepEqual(entry.account_ids, [accountId]);
      assert.deepEqual(entry.client_ids, [clientId], 'from the reference field clients[].client_id');
    }
    assert.equal(byStatus['201'].request_url, '/nucleus/v1/account');
    assert.equal(byStatus['200'].request_url, `/nucleus/v1/account/${accountId}`);
    assert.deepEqual(JSON.parse(byStatus['200'].request).body, { name: 'Renamed' });
    assert.equal(JSON.parse(byStatus['204'].request).method, 'DELETE');

    const deletes = await auditOf(`account_ids==${accountId};response==204`);
    assert.equal(deletes.total_elements, 1);
    assert.equal(deletes.content[0].request_url, `/nucleus/v1/account/${accountId}`);
    const byUrl = await auditOf(`request_url==/nucleus/v1/account/${accountId}`);
    assert.equal(byUrl.total_elements, 2);
  });

  it('names the user behind a user token', async () => {
    const login = await server.token(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, {
      grant_type: 'password',
      username: 'audited@example.com',
      password: 'correct horse battery',
    });
    const created = await server.request('POST', '/nucleus/v1/account_type', { token: login.body.access_token, body: { name: 'By a user' } });
    assert.equal(created.status, 201);
    const page = await auditOf(`request=like=*${created.headers.get('x-request-id')}*`);
    assert.equal(page.total_elements, 1);
    const request = JSON.parse(page.content[0].request);
    assert.equal(request.user_client_id, clientId);
    assert.equal(request.credential_id, admin.credentialId);
    assert.deepEqual(request.authorities, ['ROLE_ADMIN']);
  });

  it('records nothing for a refused write, nor for one rolled back after the audit hook ran', async () => {
    const before = await auditCount();
    assert.equal((await server.request('POST', '/nucleus/v1/client', { body: { username: 'audited@example.com', client_type: 'x' } })).status, 409);
    assert.equal((await server.request('POST', '/nucleus/v1/account_type', { body: {} })).status, 400);
    assert.equal(await auditCount(), before);

    const stores = buildStores(nucleusEntities);
    const acl = new AccessControl(new Map(stores.map((s) => [s.declaration.name, s.declaration])));
    const writer = new EntityWriter(server.db, new Map(stores.map((s) => [s.declaration.name, s])), acl, { strictFields: false });
    writer.addHook(auditHook(writer.store('audit_log')));
    writer.addHook(async () => {
      throw new Error('a later hook fails');
    });
    const origin: WriteOrigin = {
      auth: { tenantId: admin.tenantId, credentialId: admin.credentialId, clientId: null, authorities: ['ROLE_SUPER_ADMIN'], scopes: [] },
      method: 'POST',
      url: '/nucleus/v1/account_type',
      requestId: 'rolled-back',
      body: { name: 'Rolled back' },
    };
    await assert.rejects(writer.create('account_type', { name: 'Rolled back' }, origin), /a later hook fails/);
    assert.equal(await auditCount(), before);
    assert.equal((await server.request('GET', '/nucleus/v1/account_type?filter=name=like=Rolled*')).body.total_elements, 0);
  });

  it('does not audit a record written to the audit log itself', async () => {
    const before = await auditCount();
    const created = await server.request('POST', '/nucleus/v1/audit_log', { body: { request_url: '/external', response: 'ok' } });
    assert.equal(created.status, 201);
    assert.equal(await auditCount(), before + 1);
  });

  it("audits the server's own writes as a system actor with their reason and the caller they follow from, reaching what the caller's authorities do not", async () => {
    const stores = buildStores(nucleusEntities);
    const acl = new AccessControl(new Map(stores.map((s) => [s.declaration.name, s.declaration])));
    const writer = new EntityWriter(server.db, new Map(stores.map((s) => [s.declaration.name, s])), acl, { strictFields: false });
    writer.addHook(auditHook(writer.store('audit_log')));
    const onBehalfOf = { tenantId: admin.tenantId, credentialId: admin.credentialId, requestId: 'system-write', method: 'POST', url: '/electron/v1/card/issue' };
    // The same caller without the system actor holds no authority at all, and is refused.
    const caller: WriteOrigin = { auth: { tenantId: admin.tenantId, credentialId: admin.credentialId, clientId: null, authorities: [], scopes: [] }, method: 'POST', url: '/x', requestId: 'refused' };
    await assert.rejects(writer.create('account_type', { name: 'Made by the server' }, caller), /do not allow changing account_type/);

    const before = await auditCount();
    const made = await writer.create('account_type', { name: 'Made by the server' }, system('a test of system writes', onBehalfOf, { why: 'test' }));
    assert.equal(await auditCount(), before + 1);
    const [entry] = (await auditOf('request_url==/electron/v1/card/issue')).content;
    const request = JSON.parse(entry.request);
    assert.equal(request.actor, 'system');
    assert.equal(request.reason, 'a test of system writes');
    assert.equal(request.credential_id, admin.credentialId);
    assert.equal(request.request_id, 'system-write');
    assert.deepEqual(request.authorities, [], 'no authority is borrowed');
    assert.deepEqual(request.body, { why: 'test' });
    assert.equal((await server.request('GET', `/nucleus/v1/account_type/${made.id}`)).body.name, 'Made by the server');
  });
});
