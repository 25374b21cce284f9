import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../../support/server.ts';

describe("the installation's operators manage tenants (/admin/v1/tenants)", () => {
  let server: TestServer;

  before(async () => {
    server = await startServer();
  });
  after(() => server?.close());

  it('marks the tenant made at first start as the operator tenant, and only that one', async () => {
    const own = await server.request('GET', '/admin/v1/tenant');
    assert.equal(own.body.is_operator, true);
    const other = await server.otherTenant();
    assert.equal((await server.request('GET', '/admin/v1/tenant', { token: other.token })).body.is_operator, false);
  });

  it('creates a production tenant with its first super-admin credential, which works at once and starts its audit trail', async () => {
    const name = `acme-${Date.now()}`;
    const created = await server.request('POST', '/admin/v1/tenants', { body: { name, environment: 'production', rate_limit: 500 } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const { tenant, credential } = created.body;
    assert.equal(tenant.name, name);
    assert.equal(tenant.environment, 'production');
    assert.equal(tenant.is_operator, false);
    assert.equal(tenant.rate_limit, 500);
    assert.deepEqual(credential.authorities, ['ROLE_SUPER_ADMIN']);
    assert.equal(typeof credential.client_secret, 'string');

    const issued = await server.token(credential.client_id, credential.client_secret, { grant_type: 'client_credentials' });
    assert.equal(issued.status, 200, JSON.stringify(issued.body));
    assert.equal(issued.body.environment, 'production');
    const token = issued.body.access_token;
    assert.equal((await server.request('GET', '/admin/v1/tenant', { token })).body.id, tenant.id);

    const trail = await server.request('GET', '/admin/v1/audit_trail?ascending=true', { token });
    assert.deepEqual(
      trail.body.content.map((r: { action: string }) => r.action),
      ['tenant_created', 'credential_created', 'tenant_rate_limit_changed'],
    );
    assert.equal(trail.body.content[0].actor.via, 'api');
    assert.ok(!JSON.stringify(trail.body).includes(credential.client_secret), 'no secret in the trail');

    const read = await server.request('GET', `/admin/v1/tenants/${tenant.id}`);
    assert.equal(read.status, 200);
    assert.equal(read.body.effective_rate_limit, 500);
  });

  it('lists, filters and pages every tenant', async () => {
    const names = [`page-a-${Date.now()}`, `page-b-${Date.now()}`];
    for (const name of names) assert.equal((await server.request('POST', '/admin/v1/tenants', { body: { name } })).status, 201);
    const filtered = await server.request('GET', `/admin/v1/tenants?filter=${encodeURIComponent(`name==${names[1]}`)}`);
    assert.equal(filtered.status, 200, JSON.stringify(filtered.body));
    assert.deepEqual(filtered.body.content.map((t: { name: string }) => t.name), [names[1]]);
    assert.equal(filtered.body.content[0].environment, 'sandbox', 'sandbox unless asked otherwise');
    const newest = await server.request('GET', '/admin/v1/tenants?size=1');
    assert.equal(newest.body.content[0].name, names[1]);
    assert.ok(newest.body.total_elements >= 3);
    const oldest = await server.request('GET', '/admin/v1/tenants?size=1&ascending=true');
    assert.equal(oldest.body.content[0].is_operator, true);
  });

  it("changes a tenant's environment and rate limit, each recorded in its trail", async () => {
    const created = await server.request('POST', '/admin/v1/tenants', { body: { name: `switch-${Date.now()}` } });
    const id = created.body.tenant.id;
    const changed = await server.request('PUT', `/admin/v1/tenants/${id}`, { body: { environment: 'production', rate_limit: 0 } });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    assert.equal(changed.body.environment, 'production');
    assert.equal(changed.body.effective_rate_limit, 0);
    const { credential } = created.body;
    const token = (await server.token(credential.client_id, credential.client_secret, { grant_type: 'client_credentials' })).body.access_token;
    const trail = await server.request('GET', '/admin/v1/audit_trail?ascending=true', { token });
    assert.deepEqual(
      trail.body.content.slice(2).map((r: { action: string; details: unknown }) => [r.action, r.details]),
      [
        ['tenant_environment_changed', { from: 'sandbox', to: 'production' }],
        ['tenant_rate_limit_changed', { from: null, to: 0 }],
      ],
    );
  });

  it('refuses bad input naming the field, and a duplicate name, changing nothing', async () => {
    const before = (await server.request('GET', '/admin/v1/tenants?size=1')).body.total_elements;
    for (const body of [{}, { name: '' }, { name: '   ' }, { name: 'x', environment: 'staging' }, { name: 'x', rate_limit: -1 }]) {
      const refused = await server.request('POST', '/admin/v1/tenants', { body });
      assert.equal(refused.status, 400, JSON.stringify(body));
      assert.equal(refused.body.status, 400);
    }
    const taken = (await server.request('GET', '/admin/v1/tenant')).body.name;
    const duplicate = await server.request('POST', '/admin/v1/tenants', { body: { name: taken } });
    assert.equal(duplicate.status, 409);
    assert.equal(duplicate.body.field, 'name');
    assert.equal((await server.request('GET', '/admin/v1/tenants?size=1')).body.total_elements, before);

    assert.equal((await server.request('GET', '/admin/v1/tenants/not-an-id')).status, 404);
    assert.equal((await server.request('GET', '/admin/v1/tenants/00000000-0000-4000-8000-000000000000')).status, 404);
    assert.equal((await server.request('PUT', '/admin/v1/tenants/00000000-0000-4000-8000-000000000000', { body: { environment: 'sandbox' } })).status, 404);
    const own = (await server.request('GET', '/admin/v1/tenant')).body.id;
    assert.equal((await server.request('PUT', `/admin/v1/tenants/${own}`, { body: { environment: 'moon' } })).status, 400);
  });

  it("refuses everyone but the operator tenant's super-admins", async () => {
    const other = await server.otherTenant();
    const admin = await server.credential(['ROLE_ADMIN']);
    const adminToken = (await server.token(admin.clientId, admin.clientSecret, { grant_type: 'client_credentials' })).body.access_token;
    for (const token of [other.token, adminToken]) {
      for (const [method, path, body] of [
        ['GET', '/admin/v1/tenants', undefined],
        ['POST', '/admin/v1/tenants', { name: `nope-${Date.now()}` }],
        ['GET', `/admin/v1/tenants/${other.tenantId}`, undefined],
        ['PUT', `/admin/v1/tenants/${other.tenantId}`, { environment: 'production' }],
      ] as const) {
        const refused = await server.request(method, path, { token, body });
        assert.equal(refused.status, 403, `${method} ${path}`);
        assert.equal(refused.body.code, 'forbidden');
      }
    }
    assert.equal((await server.request('GET', '/admin/v1/tenants', { token: null })).status, 401);
    assert.equal((await server.request('GET', `/admin/v1/tenants/${other.tenantId}`)).body.environment, 'sandbox', 'unchanged');
  });
});
