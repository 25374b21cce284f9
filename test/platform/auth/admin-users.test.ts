import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../../support/server.ts';
import type { Authority } from '../../../src/platform/auth/authorities.ts';

const PASSWORD = 'Admin-password-1';

describe('admin API: /admin/v1/client', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  async function tokenOf(authorities: Authority[]): Promise<string> {
    const { clientId, clientSecret } = await server.credential(authorities);
    const result = await server.token(clientId, clientSecret, { grant_type: 'client_credentials' });
    return result.body.access_token;
  }

  async function create(username: string, extra: Record<string, unknown> = {}, token?: string) {
    return server.request('POST', '/admin/v1/client', { body: { username, password: PASSWORD, authorities: 'ROLE_ADMIN', ...extra }, token });
  }

  it('creates an admin user and never returns or stores its password in clear', async () => {
    const created = await create('ada', { authorities: 'ROLE_ADMIN, ROLE_SUPPORT', is_2fa: true });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(typeof created.body.id, 'number');
    assert.equal(created.body.username, 'ada');
    assert.equal(created.body.authorities, 'ROLE_ADMIN,ROLE_SUPPORT');
    assert.equal(created.body.tenant, 'default');
    assert.equal(created.body.is_enabled, true);
    assert.equal(created.body.is_account_non_locked, true);
    assert.equal(created.body.is_account_non_expired, true);
    assert.equal(created.body.is_credentials_non_expired, true);
    assert.equal(created.body.is_2fa, true);
    assert.equal(created.body.is_2fa_verified, false);
    assert.ok(!Number.isNaN(Date.parse(created.body.create_date)));
    assert.ok(!Number.isNaN(Date.parse(created.body.update_date)));
    assert.equal(created.body.password, undefined);
    const rows = await server.db.query<{ password_hash: string }>('SELECT password_hash FROM admin_user WHERE id = $1', [created.body.id]);
    assert.match(rows[0].password_hash, /^\$2[aby]\$10\$/);
  });

  it('gets, updates and deletes one', async () => {
    const created = await create('grace');
    const id = created.body.id;
    const got = await server.request('GET', `/admin/v1/client/${id}`);
    assert.equal(got.status, 200);
    assert.deepEqual(got.body, created.body);

    const updated = await server.request('PUT', `/admin/v1/client/${id}`, {
      body: { ...got.body, username: 'grace.h', authorities: 'ROLE_SUPPORT', is_enabled: false },
    });
    assert.equal(updated.status, 200, JSON.stringify(updated.body));
    assert.equal(updated.body.id, id);
    assert.equal(updated.body.username, 'grace.h');
    assert.equal(updated.body.authorities, 'ROLE_SUPPORT');
    assert.equal(updated.body.is_enabled, false);
    assert.equal(updated.body.create_date, created.body.create_date);

    const removed = await server.request('DELETE', `/admin/v1/client/${id}`);
    assert.equal(removed.status, 204);
    assert.equal((await server.request('GET', `/admin/v1/client/${id}`)).status, 404);
    assert.equal((await server.request('PUT', `/admin/v1/client/${id}`, { body: { is_2fa: true } })).status, 404);
    assert.equal((await server.request('DELETE', `/admin/v1/client/${id}`)).status, 404);
  });

  it('lists them in Hydrogen pages, by username, with filters', async () => {
    await create('list-b', { authorities: 'ROLE_SUPPORT' });
    await create('list-a', { is_enabled: false });
    await create('list-c');
    const page = await server.request('GET', '/admin/v1/client?filter=username=like=list-*&ascending=true');
    assert.equal(page.status, 200, JSON.stringify(page.body));
    assert.deepEqual(page.body.content.map((u: { username: string }) => u.username), ['list-a', 'list-b', 'list-c']);
    assert.equal(page.body.total_elements, 3);
    assert.equal(page.body.number, 0);
    assert.equal(page.body.size, 25);
    assert.equal(page.body.sort[0].property, 'username');
    assert.ok(page.body.content.every((u: Record<string, unknown>) => u.password === undefined));

    const byDefault = await server.request('GET', '/admin/v1/client?filter=username=like=list-*');
    assert.deepEqual(byDefault.body.content.map((u: { username: string }) => u.username), ['list-c', 'list-b', 'list-a']);
    const disabled = await server.request('GET', '/admin/v1/client?filter=is_enabled==false;username=like=list-*');
    assert.deepEqual(disabled.body.content.map((u: { username: string }) => u.username), ['list-a']);
    const support = await server.request('GET', '/admin/v1/client?filter=authorities=like=*SUPPORT*;username=like=list-*');
    assert.deepEqual(support.body.content.map((u: { username: string }) => u.username), ['list-b']);
    const paged = await server.request('GET', '/admin/v1/client?filter=username=like=list-*&order_by=id&ascending=true&size=2&page=1');
    assert.deepEqual(paged.body.content.map((u: { username: string }) => u.username), ['list-c']);
    assert.equal(paged.body.total_pages, 2);
    const byId = await server.request('GET', `/admin/v1/client?filter=id==${paged.body.content[0].id}`);
    assert.equal(byId.body.total_elements, 1);

    const badField = await server.request('GET', '/admin/v1/client?filter=password==x');
    assert.equal(badField.status, 400);
    assert.equal(badField.body.field, 'filter');
    const badOrder = await server.request('GET', '/admin/v1/client?order_by=password_hash');
    assert.equal(badOrder.status, 400);
    assert.equal(badOrder.body.field, 'order_by');
  });

  it('answers 400 naming the field', async () => {
    for (const field of ['username', 'password', 'authorities']) {
      const body: Record<string, unknown> = { username: 'someone', password: PASSWORD, authorities: 'ROLE_ADMIN' };
      delete body[field];
      const result = await server.request('POST', '/admin/v1/client', { body });
      assert.equal(result.status, 400, field);
      assert.equal(result.body.field, field);
    }
    const cases: [Record<string, unknown>, string, string][] = [
      [{ password: 'Short-1' }, 'password', 'weak_password'],
      [{ password: 'alllowercaseletters' }, 'password', 'weak_password'],
      [{ username: 'Same-As-Name-1', password: 'same-as-name-1' }, 'password', 'weak_password'],
      [{ authorities: 'ROLE_ADMIN,ROLE_KING' }, 'authorities', 'invalid_field'],
      [{ authorities: 'ROLE_ADMIN,' }, 'authorities', 'invalid_field'],
      [{ is_enabled: 'yes' }, 'is_enabled', 'invalid_request'],
      [{ username: null }, 'username', 'invalid_request'],
    ];
    for (const [change, field, code] of cases) {
      const result = await create('someone', change);
      assert.equal(result.status, 400, JSON.stringify(change));
      assert.equal(result.body.field, field, JSON.stringify(result.body));
      assert.equal(result.body.code, code);
    }
    const weak = await create('someone', { password: 'abcdefghij' });
    assert.match(weak.body.message, /^password: must mix at least two of/);

    const target = await create('validated');
    const weakUpdate = await server.request('PUT', `/admin/v1/client/${target.body.id}`, { body: { password: 'validated' } });
    assert.equal(weakUpdate.status, 400);
    assert.equal(weakUpdate.body.field, 'password');
    const sameAsName = await server.request('PUT', `/admin/v1/client/${target.body.id}`, { body: { password: 'VALIDATED-1', username: 'validated-1' } });
    assert.equal(sameAsName.body.field, 'password', 'checked against the new username');
    const badId = await server.request('GET', '/admin/v1/client/abc');
    assert.equal(badId.status, 400);
    assert.equal(badId.body.field, 'client_id');
  });

  it('refuses a username already taken in the tenant, but not in another', async () => {
    await create('taken');
    const again = await create('taken');
    assert.equal(again.status, 409);
    assert.equal(again.body.field, 'username');
    const other = await server.otherTenant();
    const elsewhere = await create('taken', {}, other.token);
    assert.equal(elsewhere.status, 201);
    const mine = await server.request('GET', '/admin/v1/client?filter=username==taken');
    assert.equal(mine.body.total_elements, 1);
    const cross = await server.request('GET', `/admin/v1/client/${elsewhere.body.id}`);
    assert.equal(cross.status, 404, "another tenant's admin user does not exist here");
    assert.equal((await server.request('DELETE', `/admin/v1/client/${elsewhere.body.id}`)).status, 404);
  });

  it('answers 401 without a token and 403 to callers who are not administrators', async () => {
    const created = await create('guarded');
    const support = await tokenOf(['ROLE_SUPPORT']);
    const calls: [string, string, unknown?][] = [
      ['GET', '/admin/v1/client'],
      ['POST', '/admin/v1/client', { username: 'x', password: PASSWORD, authorities: 'ROLE_ADMIN' }],
      ['GET', `/admin/v1/client/${created.body.id}`],
      ['PUT', `/admin/v1/client/${created.body.id}`, { is_enabled: false }],
      ['DELETE', `/admin/v1/client/${created.body.id}`],
    ];
    for (const [method, path, body] of calls) {
      const anonymous = await server.request(method, path, { token: null, body });
      assert.equal(anonymous.status, 401, `${method} ${path}`);
      const refused = await server.request(method, path, { token: support, body });
      assert.equal(refused.status, 403, `${method} ${path}`);
      assert.equal(refused.body.code, 'forbidden');
    }
    // The validation of a body comes after the role check: a non-administrator learns nothing from it.
    const invalid = await server.request('POST', '/admin/v1/client', { token: support, body: { nonsense: true } });
    assert.equal(invalid.status, 403);
    const anonymousChange = await server.request('POST', '/admin/v1/client_credentials', {
      token: null,
      body: { username: 'guarded', current_password: PASSWORD, new_password: 'Another-password-2' },
    });
    assert.equal(anonymousChange.status, 401);
    assert.equal((await server.request('GET', `/admin/v1/client/${created.body.id}`)).body.is_enabled, true, 'unchanged');
  });

  it('lets only a super admin grant ROLE_SUPER_ADMIN or touch a super admin', async () => {
    const admin = await tokenOf(['ROLE_ADMIN']);
    const grant = await create('would-be-super', { authorities: 'ROLE_SUPER_ADMIN' }, admin);
    assert.equal(grant.status, 403);
    const plain = await create('plain-admin', {}, admin);
    assert.equal(plain.status, 201);
    const promote = await server.request('PUT', `/admin/v1/client/${plain.body.id}`, { token: admin, body: { authorities: 'ROLE_SUPER_ADMIN' } });
    assert.equal(promote.status, 403);
    const superUser = await create('real-super', { authorities: 'ROLE_SUPER_ADMIN' });
    assert.equal(superUser.status, 201);
    const demote = await server.request('PUT', `/admin/v1/client/${superUser.body.id}`, { token: admin, body: { is_enabled: false } });
    assert.equal(demote.status, 403);
    assert.equal((await server.request('DELETE', `/admin/v1/client/${superUser.body.id}`, { token: admin })).status, 403);
    assert.equal((await server.request('GET', `/admin/v1/client/${superUser.body.id}`, { token: admin })).status, 200);
  });
});
