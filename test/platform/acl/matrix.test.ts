import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../../support/server.ts';
import { nucleusEntities } from '../../../src/nucleus/entities.ts';
import { buildStores } from '../../../src/platform/entity/registry.ts';
import { creationOrder, sampleBody } from '../../../src/platform/entity/samples.ts';
import { ALL_OPERATIONS, entityPath } from '../../../src/platform/entity/declaration.ts';
import { AUTHORITIES, type Authority } from '../../../src/platform/auth/authorities.ts';
import { decide } from '../../../src/platform/acl/policy.ts';

/**
 * Every authority against every entity: list, create, get, update and delete each answer as
 * the policy table says. Tenant-wide roles act through application credentials; the roles
 * reaching only their own clients act for a client that owns nothing here, so they may list
 * (an empty or shared page) but every write is refused.
 */
describe('the access table, entity by entity', () => {
  let server: TestServer;
  const tokens = {} as Record<Authority, string>;
  const ids: Record<string, string> = {};
  const stores = creationOrder(buildStores(nucleusEntities));

  before(async () => {
    server = await startServer();
    for (const authority of AUTHORITIES) {
      const credential = await server.credential([authority]);
      const token = await server.token(credential.clientId, credential.clientSecret, { grant_type: 'client_credentials' });
      tokens[authority] = token.body.access_token;
    }
    for (const store of stores) {
      if (!(store.declaration.operations ?? ALL_OPERATIONS).includes('create')) continue;
      const created = await server.request('POST', `/nucleus/v1/${entityPath(store.declaration)}`, {
        body: sampleBody(store.declaration, store.schemas.create, ids),
      });
      assert.equal(created.status, 201, `${store.declaration.name}: ${JSON.stringify(created.body)}`);
      ids[store.declaration.name] = created.body.id;
    }
  });
  after(() => server.close());

  for (const authority of AUTHORITIES) {
    it(`${authority} gets what the table gives it`, async () => {
      const token = tokens[authority];
      const mismatches: string[] = [];
      const expect = (what: string, status: number, allowed: number[]) => {
        if (!allowed.includes(status)) mismatches.push(`${what}: ${status}, expected ${allowed.join(' or ')}`);
      };
      for (const store of stores) {
        const { name } = store.declaration;
        const offered = new Set(store.declaration.operations ?? ALL_OPERATIONS);
        const base = `/nucleus/v1/${entityPath(store.declaration)}`;
        const read = decide([authority], name, 'read');
        const write = decide([authority], name, 'write');
        if (offered.has('list')) {
          const list = await server.request('GET', base, { token });
          expect(`list ${name}`, list.status, read.allowed ? [200] : [403]);
          if (list.status === 200 && read.allowed && read.reach === 'own') {
            assert.ok(list.body.content.every((r: { id: string }) => r.id !== ids.client), `${authority} sees no client record`);
          }
        }
        const id = ids[name];
        if (id && offered.has('get')) {
          const get = await server.request('GET', `${base}/${id}`, { token });
          expect(`get ${name}`, get.status, !read.allowed ? [403] : read.reach === 'tenant' ? [200] : [200, 404]);
        }
        if (offered.has('create')) {
          const created = await server.request('POST', base, { token, body: sampleBody(store.declaration, store.schemas.create, ids) });
          // Entities with unique keys refuse a second identical sample with 409: past the access check all the same.
          const accepted = store.declaration.unique ? [201, 409] : [201];
          expect(`create ${name}`, created.status, write.allowed && write.reach === 'tenant' ? accepted : [403]);
        }
        if (id && offered.has('update')) {
          const updated = await server.request('PUT', `${base}/${id}`, { token, body: { secondary_id: `by ${authority}` } });
          const ownExpected = read.allowed ? [403, 404] : [403];
          expect(`update ${name}`, updated.status, write.allowed && write.reach === 'tenant' ? [200] : ownExpected);
        }
      }
      assert.deepEqual(mismatches, []);
    });
  }

  it('keeps a second tenant invisible to every authority of the first', async () => {
    const other = await server.otherTenant();
    const foreign = await server.request('POST', '/nucleus/v1/client', { token: other.token, body: { username: 'foreign@example.com', client_type: 'individual' } });
    for (const authority of AUTHORITIES) {
      const got = await server.request('GET', `/nucleus/v1/client/${foreign.body.id}`, { token: tokens[authority] });
      assert.ok([403, 404].includes(got.status), `${authority}: ${got.status}`);
      const list = await server.request('GET', `/nucleus/v1/client?filter=${encodeURIComponent(`id==${foreign.body.id}`)}`, { token: tokens[authority] });
      if (list.status === 200) assert.equal(list.body.total_elements, 0, authority);
    }
  });
});
