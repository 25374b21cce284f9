import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, startServer, type HttpResult, type TestServer } from '../../support/server.ts';

describe('OAuth scopes', () => {
  let server: TestServer;
  const tokens = new Map<string, string>();

  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  /** A client_credentials token of the super admin narrowed to the given scopes. */
  async function tokenWith(scope: string): Promise<string> {
    if (!tokens.has(scope)) {
      const result = await server.token(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, { grant_type: 'client_credentials', scope });
      assert.equal(result.status, 200);
      assert.equal(result.body.scope, scope);
      tokens.set(scope, result.body.access_token);
    }
    return tokens.get(scope)!;
  }

  async function as(scope: string, method: string, path: string, body?: unknown): Promise<HttpResult> {
    return server.request(method, path, { token: await tokenWith(scope), body });
  }

  function refused(result: HttpResult, needed: string): void {
    assert.equal(result.status, 403, JSON.stringify(result.body));
    assert.equal(result.body.code, 'insufficient_scope');
    assert.match(result.body.message, new RegExp(`"${needed}" scope`));
    assert.equal(typeof result.body.request_id, 'string');
    assert.match(result.headers.get('www-authenticate') ?? '', new RegExp(`error="insufficient_scope", scope="${needed}"`));
  }

  const count = async (table: string) => Number((await server.db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`))[0].n);

  async function newClient(): Promise<Record<string, unknown>> {
    const created = await server.request('POST', '/nucleus/v1/client', {
      body: { username: `scoped-${randomUUID()}@example.com`, client_type: 'individual', first_name: 'Scope', last_name: 'Tester' },
    });
    assert.equal(created.status, 201);
    return created.body;
  }

  it('a read-only token reads Nucleus and writes nothing there', async () => {
    const client = await newClient();
    const path = `/nucleus/v1/client/${client.id}`;
    assert.equal((await as('read', 'GET', '/nucleus/v1/client')).status, 200);
    assert.equal((await as('read', 'GET', path)).status, 200);

    const clients = await count('nucleus_client');
    refused(await as('read', 'POST', '/nucleus/v1/client', { username: 'never@example.com', client_type: 'individual' }), 'create');
    refused(await as('read', 'POST', '/nucleus/v1/bulk/client', [{ username: 'never2@example.com', client_type: 'individual' }]), 'create');
    assert.equal(await count('nucleus_client'), clients);

    refused(await as('read', 'PUT', path, { first_name: 'Changed' }), 'update');
    refused(await as('read', 'DELETE', path), 'delete');
    assert.deepEqual((await server.request('GET', path)).body, client, 'neither changed nor deleted');
  });

  it('lets a read-only token make the Nucleus reads Hydrogen sends by POST', async () => {
    assert.equal((await as('read', 'POST', '/nucleus/v1/portfolio_transaction_by_post')).status, 200);
    assert.equal((await as('read', 'POST', '/nucleus/v1/decision_tree_result', { answers: [], entity_type: 'model' })).status, 200);
    assert.equal((await as('read', 'POST', `/nucleus/v1/card/${randomUUID()}/transaction`)).status, 404);
  });

  it('needs each verb its own scope: create, update and delete are not implied by one another', async () => {
    const made = await as('create', 'POST', '/nucleus/v1/client', { username: `made-${randomUUID()}@example.com`, client_type: 'individual' });
    assert.equal(made.status, 201);
    const path = `/nucleus/v1/client/${made.body.id}`;
    refused(await as('create', 'GET', path), 'read');
    refused(await as('create', 'PUT', path, { first_name: 'Changed' }), 'update');
    refused(await as('create', 'DELETE', path), 'delete');
    refused(await as('update', 'DELETE', path), 'delete');
    assert.equal((await server.request('GET', path)).body.first_name, undefined);

    const updated = await as('update', 'PUT', path, { first_name: 'Changed' });
    assert.equal(updated.status, 200);
    assert.equal(updated.body.first_name, 'Changed');
    refused(await as('delete', 'POST', '/nucleus/v1/client', { username: 'never3@example.com', client_type: 'individual' }), 'create');
    assert.equal((await as('delete', 'DELETE', path)).status, 204);
    assert.equal((await server.request('GET', path)).status, 404);

    const both = await as('create read', 'POST', '/nucleus/v1/client', { username: `both-${randomUUID()}@example.com`, client_type: 'individual' });
    assert.equal(both.status, 201);
    assert.equal((await as('create read', 'GET', `/nucleus/v1/client/${both.body.id}`)).status, 200);
  });

  it('guards /admin/v1 the same way; changing a password needs update', async () => {
    const created = await server.request('POST', '/admin/v1/client', {
      body: { username: `admin-${randomUUID()}`, password: 'Admin password 1', authorities: 'ROLE_SUPPORT' },
    });
    assert.equal(created.status, 201);
    const path = `/admin/v1/client/${created.body.id}`;
    assert.equal((await as('read', 'GET', '/admin/v1/client')).status, 200);

    const users = await count('admin_user');
    refused(await as('read', 'POST', '/admin/v1/client', { username: 'never', password: 'Admin password 2', authorities: 'ROLE_ADMIN' }), 'create');
    assert.equal(await count('admin_user'), users);
    refused(await as('read', 'PUT', path, { authorities: 'ROLE_ADMIN' }), 'update');
    refused(await as('read', 'DELETE', path), 'delete');
    assert.deepEqual((await server.request('GET', path)).body, created.body);

    const change = { username: created.body.username, current_password: 'Admin password 1', new_password: 'Admin password 3' };
    refused(await as('create', 'POST', '/admin/v1/client_credentials', change), 'update');
    assert.equal((await as('update', 'POST', '/admin/v1/client_credentials', change)).status, 200);
  });

  it('lets a read-only token compute with Proton, but not approve a card spend, which keeps a hold', async () => {
    const savings = await as('read', 'POST', '/proton/v1/savings_calculator', { horizon: 10, return_schedule: [0.06], initial_balance: 10000 });
    assert.equal(savings.status, 200, JSON.stringify(savings.body));
    refused(await as('read', 'POST', '/proton/v1/card_authorization', {}), 'create');
    assert.equal(await count('proton_card_hold'), 0);
    // Past the gate, the request itself is judged.
    assert.equal((await as('create', 'POST', '/proton/v1/card_authorization', {})).status, 400);
    refused(await as('create', 'POST', '/proton/v1/savings_calculator', { horizon: 1, return_schedule: [0.06], initial_balance: 1 }), 'read');
  });

  it('guards Electron: a read-only token reads the reserve and makes no cardholder', async () => {
    const client = await newClient();
    assert.equal((await as('read', 'GET', '/electron/v1/card/reserve')).status, 200);
    refused(await as('read', 'POST', '/electron/v1/card/client', { nucleus_client_id: client.id }), 'create');
    refused(await as('read', 'PUT', `/electron/v1/card/client/${client.id}`), 'update');
    assert.equal(await count('electron_cardholder'), 0);
    assert.equal((await as('create', 'POST', '/electron/v1/card/client', { nucleus_client_id: client.id })).status, 200);
    assert.equal(await count('electron_cardholder'), 1);
  });

  it('guards Hydro: a read-only token gets a message to sign but makes no application', async () => {
    assert.equal((await as('read', 'GET', '/hydro/v1/message')).status, 200);
    refused(await as('read', 'POST', '/hydro/v1/application', { name: 'Never' }), 'create');
    assert.equal(await count('hydro_application'), 0);
    refused(await as('create', 'DELETE', '/hydro/v1/application/client', { application_id: randomUUID(), hydro_id: 'abcdefg' }), 'delete');
    assert.equal((await as('create', 'POST', '/hydro/v1/application', { name: 'Made' })).status, 201);
    assert.equal(await count('hydro_application'), 1);
  });

  it('still answers a missing or bad token 401 before any scope is looked at', async () => {
    assert.equal((await server.request('POST', '/nucleus/v1/client', { token: null, body: {} })).status, 401);
    assert.equal((await server.request('DELETE', `/nucleus/v1/client/${randomUUID()}`, { token: 'nope' })).status, 401);
  });
});
