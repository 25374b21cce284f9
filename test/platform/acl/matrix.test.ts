import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, startServer, type TestServer } from '../../support/server.ts';
import { nucleusEntities } from '../../../src/nucleus/entities.ts';
import { buildStores } from '../../../src/platform/entity/registry.ts';
import { creationOrder, sampleBody, sampleValue } from '../../../src/platform/entity/samples.ts';
import { ALL_OPERATIONS, entityPath, type EntityOperation } from '../../../src/platform/entity/declaration.ts';
import type { EntityStore } from '../../../src/platform/entity/store.ts';
import { AUTHORITIES, type Authority } from '../../../src/platform/auth/authorities.ts';
import { SHARED_WHEN_UNOWNED } from '../../../src/platform/acl/categories.ts';

/**
 * Every caller against every declared entity and every operation it offers (create, list, get,
 * update, delete), each with the one answer docs/access-control.md gives.
 *
 * One "circle" of records: a client (C) employed by a business (B), and an account (ACC) C owns,
 * on which an advisor and a viewer are named too; every other entity has a record hanging from
 * them (through its required references, or else one optional reference to a client, account or
 * business), or is the firm's reference data, or hangs from nothing. What each caller may do to a
 * record follows from what it hangs from: its "anchors".
 *
 * The callers: an application credential of every authority (those reaching only their own
 * clients act for none), an admin user, and logins of the circle's client, its advisor, an
 * advisor on no account, the business's owner and the viewer (inquiry access on ACC).
 */

/** What a record hangs from: one of the circle's roots, or nothing. */
type Anchor = 'C' | 'ACC' | 'B';
type Relation = 'read' | 'write';

interface Caller {
  name: string;
  authorities: Authority[];
  /** How it logs in: an application credential, an admin user, or a Nucleus client of the circle. */
  kind: 'application' | 'admin user' | 'client login';
  /** For callers reaching only their own clients: what they may do to records of each anchor. */
  relations: Partial<Record<Anchor, Relation>>;
}

const CALLERS: Caller[] = [
  ...AUTHORITIES.map((authority): Caller => ({ name: authority, authorities: [authority], kind: 'application', relations: {} })),
  { name: 'operations', authorities: ['ROLE_OPERATIONS'], kind: 'admin user', relations: {} },
  { name: 'client', authorities: ['ROLE_CLIENT'], kind: 'client login', relations: { C: 'write', ACC: 'write' } },
  { name: 'owner', authorities: ['ROLE_BUSINESS_OWNER'], kind: 'client login', relations: { C: 'write', ACC: 'write', B: 'write' } },
  { name: 'advisor', authorities: ['ROLE_ADVISOR'], kind: 'client login', relations: { C: 'write', ACC: 'write' } },
  { name: 'unlinked', authorities: ['ROLE_ADVISOR'], kind: 'client login', relations: {} },
  { name: 'viewer', authorities: ['ROLE_CLIENT'], kind: 'client login', relations: { ACC: 'read' } },
];

interface Target {
  id: string;
  anchors: Set<Anchor>;
}

const ROOT_ANCHORS: Record<string, Anchor> = { client: 'C', account: 'ACC', business: 'B' };

type Decision = { allowed: false } | { allowed: true; reach: 'tenant' | 'own' };

/**
 * The table as docs/access-control.md shows it (policy-table.test.ts keeps it the one enforced):
 * may a caller of one authority read or write an entity, and how far does it reach.
 */
function documentedTable(): (authorities: readonly Authority[], entity: string, action: 'read' | 'write') => Decision {
  const doc = fs.readFileSync(new URL('../../../docs/access-control.md', import.meta.url), 'utf8');
  const lines = /<!-- access-table:start -->\n([\s\S]*?)\n<!-- access-table:end -->/.exec(doc)![1].split('\n');
  const cells = (line: string) => line.split('|').slice(1, -1).map((cell) => cell.trim());
  const categories = cells(lines[0]).slice(2);
  const roles = new Map(
    lines.filter((line) => line.startsWith('| ROLE_')).map((line) => {
      const [authority, reach, ...rights] = cells(line);
      return [authority, { reach: reach === 'whole tenant' ? 'tenant' : 'own', rights: new Map(categories.map((c, i) => [c, rights[i]])) }] as const;
    }),
  );
  const categoryOf = new Map(
    lines.flatMap((line) => {
      const legend = /^- \*\*(\w+)\*\*: (.*)$/.exec(line);
      return legend ? legend[2].split(', ').map((entity) => [entity, legend[1]] as const) : [];
    }),
  );
  return ([authority], entity, action) => {
    const role = roles.get(authority)!;
    const rights = role.rights.get(categoryOf.get(entity)!)!;
    const allowed = action === 'read' ? rights !== '—' : rights === 'read, write';
    return allowed ? { allowed, reach: role.reach as 'tenant' | 'own' } : { allowed };
  };
}

const decide = documentedTable();

describe('the access table: every caller, entity and operation, one answer each', () => {
  let server: TestServer;
  const stores = creationOrder(buildStores(nucleusEntities));
  const storeOf = new Map(stores.map((s) => [s.declaration.name, s]));
  const offers = (store: EntityStore, operation: EntityOperation) => (store.declaration.operations ?? ALL_OPERATIONS).includes(operation);
  /** The circle's record of each entity, the ids sample bodies point at. */
  const circle: Record<string, string> = {};
  const anchorsOf = new Map<string, Set<Anchor>>();
  const tokens: Record<string, string> = {};
  /** Client ids of the logins. */
  const logins: Record<string, string> = {};
  let dates = 0;

  async function post(entity: string, body: Record<string, unknown>): Promise<string> {
    const created = await server.request('POST', `/nucleus/v1/${entityPath(storeOf.get(entity)!.declaration)}`, { body });
    assert.equal(created.status, 201, `${entity}: ${JSON.stringify(created.body)}`);
    return created.body.id;
  }

  /** A body setting the reference at `path` (a field, or a field of a list's items) to `id`. */
  function pointing(store: EntityStore, body: Record<string, unknown>, path: string, id: string): Record<string, unknown> {
    const [list, field] = path.split('[].');
    if (field === undefined) return { ...body, [path]: id };
    const item = sampleValue(store.schemas.create.properties![list].items!) as Record<string, unknown>;
    return { ...body, [list]: [{ ...item, [field]: id }] };
  }

  /** The ids a body names through the entity's references, with the entity each points at. */
  function named(store: EntityStore, body: Record<string, unknown>): [string, string][] {
    return Object.entries(store.declaration.references ?? {}).flatMap(([path, target]) => {
      const [list, field] = path.split('[].');
      if (field === undefined) return typeof body[path] === 'string' ? [[target, body[path] as string] as [string, string]] : [];
      const items = Array.isArray(body[list]) ? (body[list] as Record<string, unknown>[]) : [];
      return items.flatMap((item) => (typeof item[field] === 'string' ? [[target, item[field] as string] as [string, string]] : []));
    });
  }

  /**
   * A record hangs from the owned records it names; only when it names none, from the shared
   * reference data it follows (a model's comment is its model's owner's, a portfolio its account's
   * whatever model it follows).
   */
  function anchorsFor(store: EntityStore, body: Record<string, unknown>): Set<Anchor> {
    const { name } = store.declaration;
    if (name === 'client') return new Set();
    if (ROOT_ANCHORS[name]) return new Set([ROOT_ANCHORS[name]]);
    const references = named(store, body);
    const owned = references.filter(([target]) => !SHARED_WHEN_UNOWNED.has(target));
    return new Set((owned.length > 0 ? owned : references).flatMap(([, id]) => [...(anchorsOf.get(id) ?? [])]));
  }

  /**
   * A valid create body for the entity, in the circle: its required references at the circle's
   * records; an entity that would otherwise hang from nothing names the circle's client, account
   * or business where it can; the roots name the circle's people. Values under a unique key are
   * made fresh, so the body can be created again and again.
   */
  async function bodyFor(store: EntityStore): Promise<Record<string, unknown>> {
    const { name, references = {}, unique = [] } = store.declaration;
    const schema = store.schemas.create;
    let body = sampleBody(store.declaration, schema, circle);
    if (name === 'account') {
      body.clients = [
        { client_id: logins.client, client_account_association_type: 'owner' },
        { client_id: logins.advisor, client_account_association_type: 'advisor' },
        { client_id: logins.viewer, client_account_association_type: 'viewer' },
      ];
    } else if (name === 'business') {
      body = pointing(store, body, 'ownership[].client_id', logins.owner);
    } else if (!ROOT_ANCHORS[name] && !SHARED_WHEN_UNOWNED.has(name) && anchorsFor(store, body).size === 0) {
      const roots = Object.keys(ROOT_ANCHORS);
      const rank = ([path, target]: [string, string]) => Number(path.includes('[]')) * roots.length + roots.indexOf(target);
      const rootPaths = Object.entries(references).filter(([path, target]) => ROOT_ANCHORS[target] && path.split('[]').length <= 2);
      const [path, target] = rootPaths.sort((a, b) => rank(a) - rank(b))[0] ?? [];
      if (path) body = pointing(store, body, path, circle[target]);
    }
    for (const key of unique) {
      const date = key.find((field) => ['date', 'date-time'].includes(String(schema.properties?.[field]?.format)));
      if (date) {
        const day = new Date(Date.UTC(2000, 0, 1 + ++dates)).toISOString();
        body[date] = schema.properties![date].format === 'date' ? day.slice(0, 10) : day;
        continue;
      }
      for (const field of key.filter((f) => references[f] && SHARED_WHEN_UNOWNED.has(references[f]))) {
        const parent = storeOf.get(references[field])!;
        body[field] = await post(parent.declaration.name, await bodyFor(parent));
      }
    }
    return body;
  }

  /** A new record of the entity in the circle, made by the super admin. */
  async function fresh(store: EntityStore): Promise<Target> {
    const body = await bodyFor(store);
    const id = await post(store.declaration.name, body);
    const anchors = anchorsFor(store, body);
    anchorsOf.set(id, anchors);
    return { id, anchors };
  }

  async function login(name: string, authority: Authority, extra: Record<string, unknown> = {}): Promise<string> {
    const password = `pw-${name}-long-enough`;
    const id = await post('client', { username: `${name}@matrix.test`, client_type: 'individual', password, authorities: [authority], ...extra });
    const token = await server.token(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, { grant_type: 'password', username: `${name}@matrix.test`, password });
    assert.equal(token.status, 200, JSON.stringify(token.body));
    logins[name] = id;
    return token.body.access_token;
  }

  before(async () => {
    server = await startServer();
    for (const { name, authorities, kind } of CALLERS) {
      if (kind === 'application') {
        const credential = await server.credential(authorities);
        tokens[name] = (await server.token(credential.clientId, credential.clientSecret, { grant_type: 'client_credentials' })).body.access_token;
      } else if (kind === 'admin user') {
        const password = `pw-${name}-long-enough`;
        const created = await server.request('POST', '/admin/v1/client', { body: { username: name, password, authorities: authorities.join(',') } });
        assert.equal(created.status, 201, JSON.stringify(created.body));
        tokens[name] = (await server.token(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, { grant_type: 'password', username: name, password })).body.access_token;
      } else if (name !== 'client') {
        tokens[name] = await login(name, authorities[0]);
      }
    }
    // The circle's client is employed by the owner's business, and owns the account the advisor and the viewer are named on.
    circle.business = (await fresh(storeOf.get('business')!)).id;
    tokens.client = await login('client', 'ROLE_CLIENT', { business_id: circle.business });
    circle.client = logins.client;
    anchorsOf.set(circle.client, new Set(['C']));
    for (const store of stores) {
      if (!circle[store.declaration.name] && offers(store, 'create')) circle[store.declaration.name] = (await fresh(store)).id;
    }
  });
  after(() => server.close());

  /** The one answer the documented rules give `caller` for `operation` on a record with these anchors. */
  function expected(caller: Caller, entity: string, operation: EntityOperation, target: Target): number {
    const read = decide(caller.authorities, entity, 'read');
    const write = decide(caller.authorities, entity, 'write');
    const firms = SHARED_WHEN_UNOWNED.has(entity) && target.anchors.size === 0;
    const relations = [...target.anchors].map((anchor) => caller.relations[anchor]);
    const sees = read.allowed && (read.reach === 'tenant' || firms || relations.some(Boolean));
    const owns = write.allowed && (write.reach === 'tenant' || relations.includes('write'));
    switch (operation) {
      case 'list':
        return read.allowed ? 200 : 403;
      case 'get':
        return !read.allowed ? 403 : sees ? 200 : 404;
      case 'create':
        return owns ? 201 : 403;
      case 'update':
      case 'delete':
        if (!write.allowed) return 403;
        if (!sees) return 404;
        return owns ? (operation === 'update' ? 200 : 204) : 403;
    }
  }

  it('has a record of every entity that can be made, hanging from what the rules say', () => {
    const uncreatable = stores.filter((s) => !offers(s, 'create')).map((s) => s.declaration.name);
    assert.deepEqual(stores.map((s) => s.declaration.name).filter((name) => !circle[name]), uncreatable);
    assert.deepEqual([...(anchorsOf.get(circle.portfolio) ?? [])], ['ACC']);
    assert.deepEqual([...(anchorsOf.get(circle.document) ?? [])], ['C']);
    assert.equal(anchorsOf.get(circle.security)?.size, 0);
  });

  for (const caller of CALLERS) {
    it(`${caller.kind} ${caller.name} gets exactly what the table gives it on every entity`, async () => {
      const token = tokens[caller.name];
      const mismatches: string[] = [];
      const check = (what: string, status: number, wanted: number, body: unknown) => {
        if (status !== wanted) mismatches.push(`${what}: ${status}, expected ${wanted} (${JSON.stringify(body).slice(0, 160)})`);
      };
      for (const store of stores) {
        const { name } = store.declaration;
        const base = `/nucleus/v1/${entityPath(store.declaration)}`;
        const record: Target | undefined = circle[name] ? { id: circle[name], anchors: anchorsOf.get(circle[name])! } : undefined;
        if (offers(store, 'list') && record) {
          const list = await server.request('GET', `${base}?filter=${encodeURIComponent(`id==${record.id}`)}`, { token });
          check(`list ${name}`, list.status, expected(caller, name, 'list', record), list.body);
          if (list.status === 200) {
            const seen = expected(caller, name, 'get', record) === 200 ? 1 : 0;
            if (list.body.total_elements !== seen) mismatches.push(`list ${name}: ${list.body.total_elements} of the circle's record, expected ${seen}`);
          }
        } else if (offers(store, 'list')) {
          const list = await server.request('GET', base, { token });
          check(`list ${name}`, list.status, decide(caller.authorities, name, 'read').allowed ? 200 : 403, list.body);
        }
        if (offers(store, 'get') && record) {
          const got = await server.request('GET', `${base}/${record.id}`, { token });
          check(`get ${name}`, got.status, expected(caller, name, 'get', record), got.body);
        }
        if (offers(store, 'create')) {
          const body = await bodyFor(store);
          const created = await server.request('POST', base, { token, body });
          check(`create ${name}`, created.status, expected(caller, name, 'create', { id: '', anchors: anchorsFor(store, body) }), created.body);
        }
        if (offers(store, 'update') && record) {
          const updated = await server.request('PUT', `${base}/${record.id}`, { token, body: { secondary_id: `by ${caller.name}` } });
          check(`update ${name}`, updated.status, expected(caller, name, 'update', record), updated.body);
        }
        if (offers(store, 'delete')) {
          const target = await fresh(store);
          const deleted = await server.request('DELETE', `${base}/${target.id}`, { token });
          const wanted = expected(caller, name, 'delete', target);
          check(`delete ${name}`, deleted.status, wanted, deleted.body);
          const still = await server.request('GET', `${base}/${target.id}`);
          if (still.status !== (wanted === 204 ? 404 : 200)) mismatches.push(`delete ${name}: the record is ${still.status === 200 ? 'still there' : 'gone'}`);
        }
      }
      assert.deepEqual(mismatches, [], caller.name);
    });
  }

  it('keeps a second tenant invisible to every caller of the first', async () => {
    const other = await server.otherTenant();
    const foreign = await server.request('POST', '/nucleus/v1/client', { token: other.token, body: { username: 'foreign@example.com', client_type: 'individual' } });
    for (const { name, authorities } of CALLERS) {
      const token = tokens[name];
      assert.equal((await server.request('GET', `/nucleus/v1/client/${foreign.body.id}`, { token })).status, 404, name);
      const list = await server.request('GET', `/nucleus/v1/client?filter=${encodeURIComponent(`id==${foreign.body.id}`)}`, { token });
      assert.equal(list.status, 200, name);
      assert.equal(list.body.total_elements, 0, name);
      const update = await server.request('PUT', `/nucleus/v1/client/${foreign.body.id}`, { token, body: { secondary_id: 'x' } });
      assert.equal(update.status, decide(authorities, 'client', 'write').allowed ? 404 : 403, name);
    }
  });
});
