import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../support/server.ts';
import { firstAdminUserHint } from '../../src/console/first-admin-user.ts';

describe('the console guides the first admin user in', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  it("makes an admin user who then signs in, by the sign-in page's own steps with the super-admin credential", async () => {
    const page = await (await fetch(`${server.url}/console/sign-in`)).text();
    assert.match(page, /No admin user yet\?/);
    assert.ok(page.includes(`${server.url}/admin/v1/client`), 'the steps name this server');

    // The two requests the hint's commands make, made here with a real HTTP client.
    const hint = firstAdminUserHint(server.url, 'id', 'secret');
    assert.match(hint, /grant_type=client_credentials/);
    const body = JSON.parse(/-d '(\{.*\})'/.exec(hint)![1]) as Record<string, string>;
    const created = await server.request('POST', '/admin/v1/client', { body });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.authorities, 'ROLE_SUPER_ADMIN');
    const credential = await server.credential(['ROLE_CLIENT']);
    const token = await server.token(credential.clientId, credential.clientSecret, { grant_type: 'password', username: body.username, password: body.password });
    assert.equal(token.status, 200, JSON.stringify(token.body));
  });
});
