import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, startServer, type HttpResult, type TestServer } from '../../support/server.ts';

const BASE = '/admin/v1/api_credential';

/**
 * The credential management API over real HTTP: the secret shown once, rotation with a grace
 * period, revocation, apps, who may manage what, and the audit trail. Every secret the test
 * sees is kept, to prove none ever comes back.
 */
describe('API credential management (/admin/v1/api_credential)', () => {
  let server: TestServer;
  const secrets: string[] = [ADMIN_CLIENT_SECRET];
  const tokens: Record<'admin' | 'support' | 'manager' | 'client' | 'readOnly', string> = { admin: '', support: '', manager: '', client: '', readOnly: '' };

  async function tokenOf(clientId: string, clientSecret: string): Promise<HttpResult> {
    return server.token(clientId, clientSecret, { grant_type: 'client_credentials' });
  }

  async function create(body: Record<string, unknown>, token?: string): Promise<any> {
    const created = await server.request('POST', BASE, { body, token });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    secrets.push(created.body.client_secret);
    return created.body;
  }

  function refused(result: HttpResult, status: number, code: string, what: string): void {
    assert.equal(result.status, status, `${what}: ${JSON.stringify(result.body)}`);
    assert.equal(result.body.code, code, what);
  }

  function withoutSecrets(value: unknown, what: string): void {
    const text = JSON.stringify(value);
    for (const secret of secrets) assert.ok(!text.includes(secret), `${what} shows a secret`);
    assert.ok(!/\$2[aby]\$/.test(text), `${what} shows a bcrypt hash`);
    assert.ok(!text.includes('client_secret') && !text.includes('secret_hash'), `${what} names a secret field`);
  }

  before(async () => {
    server = await startServer();
    tokens.admin = await server.adminToken();
    const support = await server.credential(['ROLE_SUPPORT']);
    tokens.support = (await tokenOf(support.clientId, support.clientSecret)).body.access_token;
    const manager = await server.credential(['ROLE_PORTFOLIO_MANAGER']);
    tokens.manager = (await tokenOf(manager.clientId, manager.clientSecret)).body.access_token;
    const password = 'a-client-with-a-long-password';
    const client = await server.request('POST', '/nucleus/v1/client', {
      body: { username: 'cora@keys.test', client_type: 'individual', password, authorities: ['ROLE_CLIENT'] },
    });
    assert.equal(client.status, 201, JSON.stringify(client.body));
    tokens.client = (await server.token(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, { grant_type: 'password', username: 'cora@keys.test', password })).body.access_token;
    tokens.readOnly = (await server.token(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, { grant_type: 'client_credentials', scope: 'read' })).body.access_token;
  });
  after(() => server.close());

  it('shows the secret once, in the create answer, and never in a read or list', async () => {
    const created = await create({ name: 'backend', authorities: ['ROLE_ADMIN'] });
    assert.match(created.client_secret, /^[A-Za-z0-9_-]{43}$/);
    assert.match(created.client_id, /^dt_[0-9a-f]{24}$/);
    assert.deepEqual(created.authorities, ['ROLE_ADMIN']);
    assert.deepEqual(created.apps, ['nucleus', 'proton', 'electron', 'hydro']);
    assert.deepEqual(created.allowed_ips, []);
    assert.equal(created.is_active, true);
    assert.equal(created.previous_secret, null);
    assert.equal(created.tokens_issued, 0);

    const [row] = await server.db.query<{ secret_hash: string }>('SELECT secret_hash FROM api_credential WHERE id = $1', [created.id]);
    assert.match(row.secret_hash, /^\$2[aby]\$10\$/, 'stored as a bcrypt hash');

    const token = await tokenOf(created.client_id, created.client_secret);
    assert.equal(token.status, 200, JSON.stringify(token.body));
    assert.equal(token.body.apps, 'nucleus,proton,electron,hydro');

    const read = await server.request('GET', `${BASE}/${created.id}`);
    assert.equal(read.status, 200);
    withoutSecrets(read.body, 'a read');
    assert.equal(read.body.tokens_issued, 1);
    assert.equal(read.body.active_tokens, 1);
    assert.equal(read.body.last_used_ip, '127.0.0.1');
    assert.ok(Date.now() - Date.parse(read.body.last_used_at) < 60_000);
    assert.equal(read.body.secret.last_used_ip, '127.0.0.1');

    const list = await server.request('GET', `${BASE}?size=100`);
    assert.equal(list.status, 200);
    withoutSecrets(list.body, 'a list');
    assert.ok(list.body.content.some((c: { id: string }) => c.id === created.id));
  });

  it('lists in pages, ordered and filtered', async () => {
    for (const name of ['page-b', 'page-a', 'page-c']) await create({ name, authorities: ['ROLE_SUPPORT'] });
    const page = await server.request('GET', `${BASE}?filter=name=like=page-*&order_by=name&ascending=true&size=2`);
    assert.equal(page.status, 200, JSON.stringify(page.body));
    assert.deepEqual(page.body.content.map((c: { name: string }) => c.name), ['page-a', 'page-b']);
    assert.equal(page.body.total_elements, 3);
    assert.equal(page.body.total_pages, 2);
    assert.equal(page.body.sort[0].property, 'name');
    const second = await server.request('GET', `${BASE}?filter=name=like=page-*&order_by=name&ascending=true&size=2&page=1`);
    assert.deepEqual(second.body.content.map((c: { name: string }) => c.name), ['page-c']);
    const newest = await server.request('GET', `${BASE}?filter=name=like=page-*`);
    assert.deepEqual(newest.body.content.map((c: { name: string }) => c.name), ['page-c', 'page-a', 'page-b'], 'newest first by default');
    const byHash = await server.request('GET', `${BASE}?order_by=secret_hash`);
    assert.equal(byHash.status, 400, 'ordering by the hash');
    assert.equal(byHash.body.field, 'order_by');
  });

  it('updates the name, authorities and apps; new authorities end the tokens issued to the credential', async () => {
    const created = await create({ name: 'to change', authorities: ['ROLE_ADMIN'] });
    const old = (await tokenOf(created.client_id, created.client_secret)).body.access_token;
    const updated = await server.request('PUT', `${BASE}/${created.id}`, { body: { name: 'changed', authorities: ['ROLE_SUPPORT'], apps: ['proton', 'nucleus'] } });
    assert.equal(updated.status, 200, JSON.stringify(updated.body));
    assert.equal(updated.body.name, 'changed');
    assert.deepEqual(updated.body.authorities, ['ROLE_SUPPORT']);
    assert.deepEqual(updated.body.apps, ['nucleus', 'proton'], 'kept in the usual order');
    withoutSecrets(updated.body, 'an update');
    refused(await server.request('GET', '/nucleus/v1/client', { token: old }), 401, 'unauthorized', 'a token with the old authorities');

    const fresh = await tokenOf(created.client_id, created.client_secret);
    assert.equal(fresh.body.apps, 'nucleus,proton', "the token response's apps");
    assert.equal((await server.request('GET', '/nucleus/v1/client', { token: fresh.body.access_token })).status, 200);
    refused(await server.request('GET', '/electron/v1/card/reserve', { token: fresh.body.access_token }), 403, 'app_not_allowed', 'an app the credential lacks');

    // Apps are read with the token, so a change reaches tokens already issued.
    await server.request('PUT', `${BASE}/${created.id}`, { body: { apps: ['proton'] } });
    refused(await server.request('GET', '/nucleus/v1/client', { token: fresh.body.access_token }), 403, 'app_not_allowed', 'nucleus, taken away');

    refused(await server.request('PUT', `${BASE}/${created.id}`, { body: { apps: ['mercury'] } }), 400, 'invalid_request', 'an unknown app');
    refused(await server.request('PUT', `${BASE}/${created.id}`, { body: { allowed_ips: ['10.0.0.1', '10.0.0.300'] } }), 400, 'invalid_field', 'a bad address');
    const bad = await server.request('PUT', `${BASE}/${created.id}`, { body: { allowed_ips: ['10.0.0.0/33'] } });
    assert.equal(bad.body.field, 'allowed_ips[0]');
    const ownSecret = await server.request('PUT', `${BASE}/${created.id}`, { body: { client_secret: 'a secret of my own' } });
    assert.equal(ownSecret.headers.get('deuterium-ignored-fields'), 'client_secret', 'a secret cannot be chosen');
    refused(await tokenOf(created.client_id, 'a secret of my own'), 401, 'invalid_client', 'the secret sent');
  });

  it('accepts a rotated-out secret during its grace period and refuses it after; both uses are visible', async () => {
    const created = await create({ name: 'rotating', authorities: ['ROLE_SUPPORT'] });
    assert.equal((await tokenOf(created.client_id, created.client_secret)).status, 200);
    const rotated = await server.request('POST', `${BASE}/${created.id}/rotate`, { body: { grace_period_seconds: 3 } });
    assert.equal(rotated.status, 200, JSON.stringify(rotated.body));
    secrets.push(rotated.body.client_secret);
    assert.notEqual(rotated.body.client_secret, created.client_secret);
    assert.equal(rotated.body.previous_secret.is_accepted, true);
    assert.equal(rotated.body.previous_secret.last_used_ip, '127.0.0.1', "the old secret's last use moves with it");
    assert.equal(rotated.body.secret.last_used_at, null);
    const expires = Date.parse(rotated.body.previous_secret.expires_at);
    assert.ok(expires - Date.now() > 1000 && expires - Date.now() <= 3000);

    const during = await tokenOf(created.client_id, created.client_secret);
    assert.equal(during.status, 200, 'the old secret during the grace period');
    assert.equal((await tokenOf(created.client_id, rotated.body.client_secret)).status, 200, 'the new secret');
    const seen = (await server.request('GET', `${BASE}/${created.id}`)).body;
    assert.ok(seen.secret.last_used_at && seen.previous_secret.last_used_at, 'both secrets show their last use');

    await sleep(expires - Date.now() + 100);
    refused(await tokenOf(created.client_id, created.client_secret), 401, 'invalid_client', 'the old secret after its grace period');
    assert.equal((await tokenOf(created.client_id, rotated.body.client_secret)).status, 200);
    assert.equal((await server.request('GET', '/nucleus/v1/client', { token: during.body.access_token })).status, 200, 'tokens outlive a rotation');
    assert.equal((await server.request('GET', `${BASE}/${created.id}`)).body.previous_secret.is_accepted, false);

    const now = await server.request('POST', `${BASE}/${created.id}/rotate`, { body: { grace_period_seconds: 0 } });
    assert.equal(now.status, 200);
    secrets.push(now.body.client_secret);
    refused(await tokenOf(created.client_id, rotated.body.client_secret), 401, 'invalid_client', 'a secret rotated with no grace');
    assert.equal((await tokenOf(created.client_id, now.body.client_secret)).status, 200);

    const byDefault = await server.request('POST', `${BASE}/${created.id}/rotate`);
    assert.equal(byDefault.status, 200, JSON.stringify(byDefault.body));
    secrets.push(byDefault.body.client_secret);
    const day = Date.parse(byDefault.body.previous_secret.expires_at) - Date.now();
    assert.ok(Math.abs(day - 86_400_000) < 60_000, 'a day by default');
    refused(await server.request('POST', `${BASE}/${created.id}/rotate`, { body: { grace_period_seconds: 31 * 86400 } }), 400, 'invalid_request', 'a grace of a month');
  });

  it('revokes a credential and every token issued with it at once', async () => {
    const created = await create({ name: 'doomed', authorities: ['ROLE_SUPPORT'] });
    const live = (await tokenOf(created.client_id, created.client_secret)).body.access_token;
    assert.equal((await server.request('GET', '/nucleus/v1/client', { token: live })).status, 200);
    const revoked = await server.request('POST', `${BASE}/${created.id}/revoke`);
    assert.equal(revoked.status, 200, JSON.stringify(revoked.body));
    assert.equal(revoked.body.is_active, false);
    assert.ok(revoked.body.revoked_at);
    assert.equal(revoked.body.active_tokens, 0);
    refused(await server.request('GET', '/nucleus/v1/client', { token: live }), 401, 'unauthorized', 'its token');
    refused(await tokenOf(created.client_id, created.client_secret), 401, 'invalid_client', 'its secret');
    refused(await server.request('POST', `${BASE}/${created.id}/rotate`), 409, 'credential_revoked', 'rotating it');
    const again = await server.request('POST', `${BASE}/${created.id}/revoke`);
    assert.equal(again.status, 200, 'revoking twice changes nothing');
    assert.equal(again.body.revoked_at, revoked.body.revoked_at);
  });

  it('deletes a credential and its tokens', async () => {
    const created = await create({ name: 'deleted', authorities: ['ROLE_SUPPORT'] });
    const live = (await tokenOf(created.client_id, created.client_secret)).body.access_token;
    assert.equal((await server.request('DELETE', `${BASE}/${created.id}`)).status, 204);
    refused(await server.request('GET', '/nucleus/v1/client', { token: live }), 401, 'unauthorized', 'its token');
    refused(await server.request('GET', `${BASE}/${created.id}`), 404, 'not_found', 'reading it');
    refused(await server.request('DELETE', `${BASE}/${created.id}`), 404, 'not_found', 'deleting it again');
    refused(await server.request('GET', `${BASE}/not-a-uuid`), 404, 'not_found', 'a malformed id');
  });

  it("lets ROLE_ADMIN manage credentials without super-admin authority only; other tenants' are 404; other roles 403", async () => {
    const admin = await create({ name: 'an admin', authorities: ['ROLE_ADMIN'] });
    const adminToken = (await tokenOf(admin.client_id, admin.client_secret)).body.access_token;
    const superAdmin = await create({ name: 'a super admin', authorities: ['ROLE_SUPER_ADMIN'] });

    const mine = await create({ name: 'made by an admin', authorities: ['ROLE_SUPPORT'] }, adminToken);
    assert.equal((await server.request('PUT', `${BASE}/${mine.id}`, { body: { name: 'renamed' }, token: adminToken })).status, 200);
    const rotated = await server.request('POST', `${BASE}/${mine.id}/rotate`, { token: adminToken, body: { grace_period_seconds: 0 } });
    assert.equal(rotated.status, 200);
    secrets.push(rotated.body.client_secret);
    assert.equal((await server.request('GET', `${BASE}/${superAdmin.id}`, { token: adminToken })).status, 200, 'an admin may see a super admin');

    const forbidden = (result: HttpResult, what: string) => refused(result, 403, 'forbidden', what);
    forbidden(await server.request('POST', BASE, { token: adminToken, body: { name: 'x', authorities: ['ROLE_SUPER_ADMIN'] } }), 'an admin making a super admin');
    forbidden(await server.request('PUT', `${BASE}/${mine.id}`, { token: adminToken, body: { authorities: ['ROLE_ADMIN', 'ROLE_SUPER_ADMIN'] } }), 'an admin granting super admin');
    for (const [method, path] of [['PUT', ''], ['POST', '/rotate'], ['POST', '/revoke'], ['DELETE', '']]) {
      forbidden(await server.request(method, `${BASE}/${superAdmin.id}${path}`, { token: adminToken, body: method === 'PUT' ? { name: 'mine now' } : undefined }), `an admin: ${method} ${path}`);
    }
    forbidden(await server.request('GET', '/admin/v1/audit_trail', { token: adminToken }), 'an admin reading the audit trail');
    assert.equal((await server.request('GET', `${BASE}/${superAdmin.id}`)).body.name, 'a super admin', 'unchanged');

    const other = await server.otherTenant();
    for (const [method, path] of [['GET', ''], ['PUT', ''], ['POST', '/rotate'], ['POST', '/revoke'], ['DELETE', '']]) {
      const result = await server.request(method, `${BASE}/${mine.id}${path}`, { token: other.token, body: method === 'PUT' ? { name: 'stolen' } : undefined });
      refused(result, 404, 'not_found', `another tenant: ${method} ${path}`);
    }
    const theirs = await server.request('GET', BASE, { token: other.token });
    assert.deepEqual(theirs.body.content.map((c: { name: string }) => c.name), ['other admin'], 'another tenant lists its own only');
    const theirAudit = await server.request('GET', '/admin/v1/audit_trail', { token: other.token });
    assert.equal(theirAudit.body.total_elements, 0);

    for (const role of ['support', 'manager', 'client'] as const) {
      const token = tokens[role];
      for (const [method, path, body] of [
        ['GET', BASE, undefined],
        ['POST', BASE, { name: 'x', authorities: ['ROLE_SUPPORT'] }],
        ['GET', `${BASE}/${mine.id}`, undefined],
        ['PUT', `${BASE}/${mine.id}`, { name: 'x' }],
        ['POST', `${BASE}/${mine.id}/rotate`, undefined],
        ['POST', `${BASE}/${mine.id}/revoke`, undefined],
        ['DELETE', `${BASE}/${mine.id}`, undefined],
        ['GET', '/admin/v1/audit_trail', undefined],
      ] as const) {
        forbidden(await server.request(method, path, { token, body }), `${role}: ${method} ${path}`);
      }
    }
    assert.equal((await server.request('GET', `${BASE}/${mine.id}`)).body.name, 'renamed', 'nothing changed');
  });

  it('needs the update scope to rotate or revoke', async () => {
    const created = await create({ name: 'scoped', authorities: ['ROLE_SUPPORT'] });
    const createOnly = (await server.token(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, { grant_type: 'client_credentials', scope: 'create' })).body.access_token;
    for (const action of ['rotate', 'revoke']) {
      const result = await server.request('POST', `${BASE}/${created.id}/${action}`, { token: createOnly });
      refused(result, 403, 'insufficient_scope', action);
      assert.match(result.headers.get('www-authenticate') ?? '', /scope="update"/);
    }
    assert.equal((await server.request('GET', BASE, { token: tokens.readOnly })).status, 200);
    refused(await server.request('POST', BASE, { token: tokens.readOnly, body: { name: 'x', authorities: ['ROLE_SUPPORT'] } }), 403, 'insufficient_scope', 'creating with read');
  });

  it('records every management action in the audit trail, filterable, without a secret', async () => {
    const started = new Date().toISOString();
    const created = await create({ name: 'audited', authorities: ['ROLE_SUPPORT'], allowed_ips: ['10.1.0.0/16'] });
    await server.request('PUT', `${BASE}/${created.id}`, { body: { name: 'audited again' } });
    await server.request('PUT', `${BASE}/${created.id}`, { body: { allowed_ips: ['10.2.0.0/16', '2001:db8::/32'] } });
    await server.request('PUT', `${BASE}/${created.id}`, { body: { name: 'audited again' } });
    const rotated = await server.request('POST', `${BASE}/${created.id}/rotate`, { body: { grace_period_seconds: 60 } });
    secrets.push(rotated.body.client_secret);
    await server.request('POST', `${BASE}/${created.id}/revoke`);
    await server.request('DELETE', `${BASE}/${created.id}`);

    const trail = await server.request('GET', `/admin/v1/audit_trail?credential_id=${created.id}&ascending=true`);
    assert.equal(trail.status, 200, JSON.stringify(trail.body));
    assert.deepEqual(
      trail.body.content.map((r: { action: string }) => r.action),
      ['credential_created', 'credential_updated', 'credential_allowlist_changed', 'credential_rotated', 'credential_revoked', 'credential_deleted'],
      'an update that changes nothing records nothing',
    );
    const [made, renamed, allowlist, rotation, revocation, deletion] = trail.body.content;
    assert.deepEqual(made.details, { name: 'audited', authorities: ['ROLE_SUPPORT'], apps: ['nucleus', 'proton', 'electron', 'hydro'], allowed_ips: ['10.1.0.0/16'], rate_limit: null });
    assert.deepEqual(renamed.details, { changes: { name: { from: 'audited', to: 'audited again' } } });
    assert.deepEqual(allowlist.details, { from: ['10.1.0.0/16'], to: ['10.2.0.0/16', '2001:db8::/32'] });
    assert.equal(rotation.details.grace_period_seconds, 60);
    assert.equal(revocation.details.tokens_revoked, 0);
    assert.equal(deletion.details.name, 'audited again');
    for (const record of trail.body.content) {
      assert.equal(record.credential_client_id, created.client_id);
      assert.equal(record.actor.via, 'api');
      assert.equal(record.actor.ip, '127.0.0.1');
      assert.match(record.actor.credential_id, /^[0-9a-f-]{36}$/);
    }

    const rotations = await server.request('GET', `/admin/v1/audit_trail?action=credential_rotated&from=${encodeURIComponent(started)}`);
    assert.deepEqual(rotations.body.content.map((r: { credential_id: string }) => r.credential_id), [created.id]);
    const before = await server.request('GET', `/admin/v1/audit_trail?credential_id=${created.id}&to=${encodeURIComponent(started)}`);
    assert.equal(before.body.total_elements, 0);
    const paged = await server.request('GET', `/admin/v1/audit_trail?credential_id=${created.id}&size=4&page=1`);
    assert.equal(paged.body.total_elements, 6);
    assert.deepEqual(paged.body.content.map((r: { action: string }) => r.action), ['credential_updated', 'credential_created'], 'newest first');
    refused(await server.request('GET', '/admin/v1/audit_trail?action=credential_stolen'), 400, 'invalid_request', 'an unknown action');
    refused(await server.request('GET', `/admin/v1/audit_trail?from=${encodeURIComponent(started)}&to=2000-01-01T00:00:00Z`), 400, 'invalid_field', 'an empty range');

    const everything = await server.request('GET', '/admin/v1/audit_trail?size=1000');
    assert.ok(everything.body.total_elements >= 6);
    withoutSecrets(everything.body, 'the audit trail');
    const rows = await server.db.query<{ row: string }>('SELECT row_to_json(a)::text AS row FROM admin_audit a');
    const hashes = await server.db.query<{ h: string | null }>('SELECT secret_hash AS h FROM api_credential UNION SELECT previous_secret_hash FROM api_credential');
    for (const { row } of rows) {
      for (const secret of secrets) assert.ok(!row.includes(secret), 'a secret in the audit table');
      for (const { h } of hashes) if (h) assert.ok(!row.includes(h), 'a hash in the audit table');
      assert.ok(!/\$2[aby]\$/.test(row), 'a bcrypt hash in the audit table');
    }
  });
});
