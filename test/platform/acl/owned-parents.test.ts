import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, startServer, type TestServer } from '../../support/server.ts';
import { nucleusEntities } from '../../../src/nucleus/entities.ts';
import { buildStores } from '../../../src/platform/entity/registry.ts';
import { creationOrder, requiredReferences, sampleBody, sampleValue } from '../../../src/platform/entity/samples.ts';
import { ALL_OPERATIONS, entityPath } from '../../../src/platform/entity/declaration.ts';
import type { EntityStore } from '../../../src/platform/entity/store.ts';
import { SHARED_WHEN_UNOWNED } from '../../../src/platform/acl/categories.ts';
import { POLICY, decide } from '../../../src/platform/acl/policy.ts';
import type { Authority } from '../../../src/platform/auth/authorities.ts';

/**
 * Shared reference data (models, allocations, benchmarks, goals, card programs) may be given
 * to one client through its client_id. Every record of every declared entity pointing at such
 * a parent must then be that client's as well: any other login reaching only its own clients
 * gets 404 on it, finds it in no list and cannot change or delete it, while the parent's owner
 * reads it whenever it names no owned record of its own (a portfolio hangs from its account).
 */

/** Owned by what they are, whatever they point at: an account by the permissions held on it. */
const ROOTS = new Set(['client', 'account', 'business']);

describe('records pointing at a client-owned parent belong to that client', () => {
  let server: TestServer;
  const stores = creationOrder(buildStores(nucleusEntities));
  const storeOf = new Map(stores.map((s) => [s.declaration.name, s]));
  const offers = (store: EntityStore, operation: (typeof ALL_OPERATIONS)[number]) => (store.declaration.operations ?? ALL_OPERATIONS).includes(operation);
  /** The firm's own sample of every entity, owned by nobody. */
  const firm: Record<string, string> = {};
  /** Parents given to the owner, by entity. */
  const parents: Record<string, string> = {};
  const children: { entity: string; path: string; id: string; ownerReads: boolean }[] = [];
  const logins: Record<string, { id: string; token: string; authority: Authority }> = {};
  const scoped = (Object.keys(POLICY) as Authority[]).filter((authority) => POLICY[authority].reach === 'own');

  async function post(store: EntityStore, body: Record<string, unknown>): Promise<string> {
    const created = await server.request('POST', `/nucleus/v1/${entityPath(store.declaration)}`, { body });
    assert.equal(created.status, 201, `${store.declaration.name}: ${JSON.stringify(created.body)}`);
    return created.body.id;
  }

  async function login(name: string, authority: Authority): Promise<void> {
    const password = `pw-${name}-long-enough`;
    const id = await post(storeOf.get('client')!, { username: `${name}@parents.test`, client_type: 'individual', password, authorities: [authority] });
    const token = await server.token(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, { grant_type: 'password', username: `${name}@parents.test`, password });
    assert.equal(token.status, 200, JSON.stringify(token.body));
    logins[name] = { id, token: token.body.access_token, authority };
  }

  /** A body setting the reference at `path` (a field, or a field of a list's items) to `id`. */
  function pointing(store: EntityStore, path: string, id: string): Record<string, unknown> {
    const body = sampleBody(store.declaration, store.schemas.create, firm);
    const [list, field] = path.split('[].');
    if (field === undefined) return { ...body, [path]: id };
    const item = sampleValue(store.schemas.create.properties![list].items!) as Record<string, unknown>;
    return { ...body, [list]: [{ ...item, [field]: id }] };
  }

  before(async () => {
    server = await startServer();
    for (const store of stores) {
      if (offers(store, 'create')) firm[store.declaration.name] = await post(store, sampleBody(store.declaration, store.schemas.create, firm));
    }
    await login('owner', 'ROLE_CLIENT');
    for (const authority of scoped) await login(`outsider-${authority}`, authority);
    for (const store of stores) {
      const { name, references } = store.declaration;
      if (!SHARED_WHEN_UNOWNED.has(name) || !offers(store, 'create') || references?.client_id !== 'client') continue;
      parents[name] = await post(store, pointing(store, 'client_id', logins.owner.id));
    }
    assert.ok(Object.keys(parents).length >= 3, `owned parents: ${Object.keys(parents).join(', ')}`);
    for (const store of stores) {
      if (!offers(store, 'create')) continue;
      const required = requiredReferences(store.declaration, store.schemas.create);
      for (const [path, target] of Object.entries(store.declaration.references ?? {})) {
        if (!parents[target] || path.split('[]').length > 2) continue;
        const id = await post(store, pointing(store, path, parents[target]));
        const namesOwned = required.some(([other, to]) => other !== path && !SHARED_WHEN_UNOWNED.has(to));
        children.push({ entity: store.declaration.name, path, id, ownerReads: !namesOwned && !ROOTS.has(store.declaration.name) });
      }
    }
    for (const expected of ['model_comment', 'model_asset_size', 'model_holding', 'allocation_composition']) {
      assert.ok(children.some((c) => c.entity === expected), `${expected} among the children`);
    }
  });
  after(() => server.close());

  it('hides them from every other login reaching only its own clients', async () => {
    const mismatches: string[] = [];
    for (const { entity, path, id } of children) {
      const store = storeOf.get(entity)!;
      const base = `/nucleus/v1/${entityPath(store.declaration)}`;
      for (const authority of scoped) {
        const { token } = logins[`outsider-${authority}`];
        const what = `${authority} on ${entity} (${path})`;
        const hidden = decide([authority], entity, 'read').allowed ? [404] : [403];
        if (offers(store, 'get')) {
          const got = await server.request('GET', `${base}/${id}`, { token });
          if (!hidden.includes(got.status)) mismatches.push(`${what}: get ${got.status}`);
        }
        if (offers(store, 'list')) {
          const listed = await server.request('GET', `${base}?filter=${encodeURIComponent(`id==${id}`)}`, { token });
          if (listed.status === 200 && listed.body.total_elements !== 0) mismatches.push(`${what}: listed`);
        }
        if (offers(store, 'update')) {
          const updated = await server.request('PUT', `${base}/${id}`, { token, body: { secondary_id: `by ${authority}` } });
          if (![403, 404].includes(updated.status)) mismatches.push(`${what}: update ${updated.status}`);
        }
        if (offers(store, 'delete')) {
          const deleted = await server.request('DELETE', `${base}/${id}`, { token });
          if (![403, 404].includes(deleted.status)) mismatches.push(`${what}: delete ${deleted.status}`);
        }
      }
    }
    assert.deepEqual(mismatches, []);
  });

  it("lets the parent's owner read those that hang from nothing else", async () => {
    const mismatches: string[] = [];
    const readable = children.filter((c) => c.ownerReads);
    assert.ok(readable.length >= 4);
    for (const { entity, path, id } of readable) {
      const store = storeOf.get(entity)!;
      const base = `/nucleus/v1/${entityPath(store.declaration)}`;
      const got = await server.request('GET', `${base}/${id}`, { token: logins.owner.token });
      if (got.status !== 200) mismatches.push(`${entity} (${path}): get ${got.status}`);
      const listed = await server.request('GET', `${base}?filter=${encodeURIComponent(`id==${id}`)}`, { token: logins.owner.token });
      if (listed.body.total_elements !== 1) mismatches.push(`${entity} (${path}): listed ${listed.body.total_elements}`);
    }
    assert.deepEqual(mismatches, []);
  });

  it("still shows the firm's own reference data to every login", async () => {
    for (const entity of ['model', 'model_comment', 'allocation_composition']) {
      const store = storeOf.get(entity)!;
      const got = await server.request('GET', `/nucleus/v1/${entityPath(store.declaration)}/${firm[entity]}`, { token: logins['outsider-ROLE_CLIENT'].token });
      assert.equal(got.status, 200, entity);
    }
  });
});
