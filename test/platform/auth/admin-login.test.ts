import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, startServer, type TestServer } from '../../support/server.ts';
import { tokenHash } from '../../../src/platform/auth/tokens.ts';

const PASSWORD = 'Admin-password-1';

describe('password logins of admin users, password changes and token revocation', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  const login = (username: string, password: string) =>
    server.token(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, { grant_type: 'password', username, password });

  async function adminUser(username: string, authorities = 'ROLE_ADMIN', extra: Record<string, unknown> = {}) {
    const created = await server.request('POST', '/admin/v1/client', { body: { username, password: PASSWORD, authorities, ...extra } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    return created.body as { id: number; username: string };
  }

  async function works(token: string): Promise<boolean> {
    const result = await server.request('GET', '/nucleus/v1/client', { token });
    assert.ok(result.status === 200 || result.status === 401, `unexpected ${result.status}`);
    return result.status === 200;
  }

  it('logs an admin user in with the password grant; the token carries its authorities and no client', async () => {
    const user = await adminUser('root', 'ROLE_ADMIN,ROLE_SUPPORT');
    const result = await login('root', PASSWORD);
    assert.equal(result.status, 200, JSON.stringify(result.body));
    assert.deepEqual(Object.keys(result.body).sort(), ['access_token', 'apps', 'environment', 'expires_in', 'scope', 'token_type']);
    const rows = await server.db.query<{ admin_user_id: string; nucleus_client_id: string | null; authorities: string[] }>(
      'SELECT admin_user_id, nucleus_client_id, authorities FROM access_token WHERE token_hash = $1',
      [tokenHash(result.body.access_token)],
    );
    assert.equal(Number(rows[0].admin_user_id), user.id);
    assert.equal(rows[0].nucleus_client_id, null);
    assert.deepEqual(rows[0].authorities, ['ROLE_ADMIN', 'ROLE_SUPPORT']);
    assert.equal(await works(result.body.access_token), true);
    const admin = await server.request('GET', '/admin/v1/client', { token: result.body.access_token });
    assert.equal(admin.status, 200, 'an admin user with ROLE_ADMIN manages admin users');

    assert.equal((await login('root', 'Wrong-password-1')).body.error, 'invalid_grant');
  });

  it('refuses an admin user the account flags bar, and one with a non-admin role gets 403 on /admin/v1', async () => {
    await adminUser('disabled', 'ROLE_ADMIN', { is_enabled: false });
    await adminUser('expired', 'ROLE_ADMIN', { is_credentials_non_expired: false });
    assert.equal((await login('disabled', PASSWORD)).body.error, 'invalid_grant');
    assert.equal((await login('expired', PASSWORD)).body.error, 'invalid_grant');
    await adminUser('helpdesk', 'ROLE_SUPPORT');
    const support = await login('helpdesk', PASSWORD);
    assert.equal(support.status, 200);
    assert.equal((await server.request('GET', '/admin/v1/client', { token: support.body.access_token })).status, 403);
  });

  it('looks for an admin user first, then a Nucleus client of the same username', async () => {
    const client = await server.request('POST', '/nucleus/v1/client', {
      body: { username: 'shared-name', client_type: 'individual', password: 'Client-password-1' },
    });
    assert.equal(client.status, 201);
    assert.equal((await login('shared-name', 'Client-password-1')).status, 200, 'only the client exists yet');
    await adminUser('shared-name');
    assert.equal((await login('shared-name', PASSWORD)).status, 200);
    assert.equal((await login('shared-name', 'Client-password-1')).body.error, 'invalid_grant', 'the admin user shadows the client');
  });

  it('changes a password with the current one (client_credentials) and revokes the old tokens', async () => {
    const user = await adminUser('changer');
    const first = (await login('changer', PASSWORD)).body.access_token;
    const second = (await login('changer', PASSWORD)).body.access_token;
    assert.equal(await works(first), true);
    await server.db.query('UPDATE admin_user SET is_credentials_non_expired = false WHERE id = $1', [user.id]);

    // Any token of the tenant may call it; knowing the current password is the proof.
    const { clientId, clientSecret } = await server.credential(['ROLE_CLIENT']);
    const caller = (await server.token(clientId, clientSecret, { grant_type: 'client_credentials' })).body.access_token;
    const change = (body: Record<string, unknown>) => server.request('POST', '/admin/v1/client_credentials', { token: caller, body });

    const wrong = await change({ username: 'changer', current_password: 'Not-the-password-1', new_password: 'Brand-new-password-2' });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.body.code, 'invalid_credentials');
    const unknown = await change({ username: 'nobody-here', current_password: PASSWORD, new_password: 'Brand-new-password-2' });
    assert.equal(unknown.status, 400);
    assert.deepEqual({ ...unknown.body, request_id: 0 }, { ...wrong.body, request_id: 0 }, 'an unknown username reads as a wrong password');

    const weak = await change({ username: 'changer', current_password: PASSWORD, new_password: 'short' });
    assert.equal(weak.status, 400);
    assert.equal(weak.body.field, 'new_password');
    const sameAsUsername = await change({ username: 'changer', current_password: PASSWORD, new_password: 'CHANGER' });
    assert.equal(sameAsUsername.body.field, 'new_password');
    const unchanged = await change({ username: 'changer', current_password: PASSWORD, new_password: PASSWORD });
    assert.equal(unchanged.status, 400);
    assert.equal(unchanged.body.field, 'new_password');
    const missing = await change({ username: 'changer', new_password: 'Brand-new-password-2' });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.field, 'current_password');

    const done = await change({ username: 'changer', current_password: PASSWORD, new_password: 'Brand-new-password-2' });
    assert.equal(done.status, 200, JSON.stringify(done.body));
    assert.equal(done.body.id, user.id);
    assert.equal(done.body.password, undefined);
    assert.equal(done.body.is_credentials_non_expired, true, 'a new password renews expired credentials');
    assert.equal(await works(first), false, 'revoked');
    assert.equal(await works(second), false, 'revoked');
    assert.equal(await works(caller), true, "the caller's own token is not the changed user's");
    assert.equal((await login('changer', PASSWORD)).body.error, 'invalid_grant');
    const fresh = await login('changer', 'Brand-new-password-2');
    assert.equal(fresh.status, 200);
    assert.equal(await works(fresh.body.access_token), true);
  });

  it("revokes an admin user's tokens when an administrator changes its password, authorities or enablement, or deletes it", async () => {
    const user = await adminUser('managed');
    const changes: Record<string, unknown>[] = [{ password: 'Reset-by-admin-1' }, { authorities: 'ROLE_SUPPORT' }, { is_account_non_locked: false }];
    let password = PASSWORD;
    for (const change of changes) {
      const token = (await login('managed', password)).body.access_token;
      assert.equal(await works(token), true);
      const harmless = await server.request('PUT', `/admin/v1/client/${user.id}`, { body: { is_2fa: false } });
      assert.equal(harmless.status, 200);
      assert.equal(await works(token), true, 'a change to nothing a token rests on keeps it');
      const result = await server.request('PUT', `/admin/v1/client/${user.id}`, { body: change });
      assert.equal(result.status, 200, JSON.stringify(result.body));
      assert.equal(await works(token), false, JSON.stringify(change));
      if (typeof change.password === 'string') password = change.password;
    }
    await server.request('PUT', `/admin/v1/client/${user.id}`, { body: { is_account_non_locked: true } });
    const last = (await login('managed', password)).body.access_token;
    assert.equal(await works(last), true);
    assert.equal((await server.request('DELETE', `/admin/v1/client/${user.id}`)).status, 204);
    assert.equal(await works(last), false);
  });

  it("applies the password policy to Nucleus clients and revokes a client's tokens when its password changes", async () => {
    const weak = await server.request('POST', '/nucleus/v1/client', {
      body: { username: 'weakling', client_type: 'individual', password: 'onlyletters' },
    });
    assert.equal(weak.status, 400);
    assert.equal(weak.body.field, 'password');
    assert.equal(weak.body.code, 'weak_password');

    const created = await server.request('POST', '/nucleus/v1/client', {
      body: { username: 'Pat.Client-1', client_type: 'individual', password: 'Client-password-1' },
    });
    assert.equal(created.status, 201);
    const id = created.body.id;
    const sameAsUsername = await server.request('PUT', `/nucleus/v1/client/${id}`, { body: { password: 'pat.client-1' } });
    assert.equal(sameAsUsername.status, 400, 'checked against the stored username when the body has none');
    assert.equal(sameAsUsername.body.field, 'password');

    const token = (await login('Pat.Client-1', 'Client-password-1')).body.access_token;
    assert.equal((await server.request('GET', `/nucleus/v1/client/${id}`, { token })).status, 200);
    const rename = await server.request('PUT', `/nucleus/v1/client/${id}`, { body: { first_name: 'Pat' } });
    assert.equal(rename.status, 200);
    assert.equal((await server.request('GET', `/nucleus/v1/client/${id}`, { token })).status, 200, 'other changes keep the token');
    const change = await server.request('PUT', `/nucleus/v1/client/${id}`, { body: { password: 'Client-password-2' } });
    assert.equal(change.status, 200);
    assert.equal((await server.request('GET', `/nucleus/v1/client/${id}`, { token })).status, 401, 'revoked');
    assert.equal((await login('Pat.Client-1', 'Client-password-1')).body.error, 'invalid_grant');
    const again = (await login('Pat.Client-1', 'Client-password-2')).body.access_token;
    assert.equal((await server.request('GET', `/nucleus/v1/client/${id}`, { token: again })).status, 200);
    const demote = await server.request('PUT', `/nucleus/v1/client/${id}`, { body: { is_active: false } });
    assert.equal(demote.status, 200);
    assert.equal((await server.request('GET', `/nucleus/v1/client/${id}`, { token: again })).status, 401, 'deactivated');
  });
});
