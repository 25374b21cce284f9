import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, startServer, type TestServer } from '../../support/server.ts';

describe('a refusal is answered in the error shape also where the route documents its own error shape', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  it('a NUL in the token endpoint query string is a 400, not a failed serialization', async () => {
    const basic = `Basic ${Buffer.from(`${ADMIN_CLIENT_ID}:${ADMIN_CLIENT_SECRET}`).toString('base64')}`;
    const answer = await server.request('POST', '/authorization/v1/oauth/token?grant_type=client_credentials&username=%00', {
      token: null,
      headers: { authorization: basic },
    });
    assert.equal(answer.status, 400);
    assert.equal(answer.body.status, 400);
    assert.equal(answer.body.field, 'username');
  });

  it("a Hydro verification asked without a token is a 401 in the error shape, not a 500 for lacking Hydro's own 401 fields", async () => {
    for (const path of ['/hydro/v1/authenticate?hydro_address_id=17cc8de8-1f58-492e-95d2-ea692b4340ca', '/hydro/v1/verify_signature?message=x&application_id=6a46a9dc-2bbb-438d-9e8c-c1f40e5a8ad7']) {
      const answer = await server.request('GET', path, { token: null });
      assert.equal(answer.status, 401, path);
      assert.equal(answer.body.code, 'unauthorized');
      assert.match(answer.body.request_id, /^req_/);
    }
  });
});
