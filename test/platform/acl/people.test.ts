import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, startServer, type TestServer } from '../../support/server.ts';
import { decide } from '../../../src/platform/acl/policy.ts';
import type { Authority } from '../../../src/platform/auth/authorities.ts';

/**
 * One tenant with a login of every authority, two advisors, two business owners and four
 * clients, each client with a circle of records (account, portfolio with values, holdings and
 * transactions, goal, household, aggregation account). Every Nucleus GET that takes one id,
 * computed views included, is called by every login on every circle's record and must answer
 * as the access table says: staff by their role's category rights, everyone else 200 on the
 * circles they act for and 404 on all others.
 */

type Circle = 'c1' | 'c2' | 'c3' | 'c4';
const CIRCLES: Circle[] = ['c1', 'c2', 'c3', 'c4'];

const STAFF: [string, Authority][] = [
  ['super', 'ROLE_SUPER_ADMIN'],
  ['admin', 'ROLE_ADMIN'],
  ['pm', 'ROLE_PORTFOLIO_MANAGER'],
  ['marketing', 'ROLE_MARKETING_MANAGER'],
  ['ops', 'ROLE_OPERATIONS'],
  ['support', 'ROLE_SUPPORT'],
];

/** The circles each scoped login acts for, and the businesses it owns. */
const REACH: Record<string, { authority: Authority; circles: Circle[]; businesses: ('B1' | 'B2')[] }> = {
  c1: { authority: 'ROLE_CLIENT', circles: ['c1'], businesses: [] },
  c2: { authority: 'ROLE_CLIENT', circles: ['c2'], businesses: [] },
  c3: { authority: 'ROLE_CLIENT', circles: ['c3'], businesses: [] },
  c4: { authority: 'ROLE_CLIENT', circles: ['c4'], businesses: [] },
  a1: { authority: 'ROLE_ADVISOR', circles: ['c1'], businesses: [] },
  a2: { authority: 'ROLE_ADVISOR', circles: ['c2'], businesses: [] },
  o1: { authority: 'ROLE_BUSINESS_OWNER', circles: ['c3'], businesses: ['B1'] },
  o2: { authority: 'ROLE_BUSINESS_OWNER', circles: ['c4'], businesses: ['B2'] },
};

describe('who sees what: every authority, two advisors, two businesses, every read and view', () => {
  let server: TestServer;
  const people: Record<string, { id: string; token: string }> = {};
  /** Record ids by circle, then by the path parameter that names them (client_id, account_id...). */
  const circles = {} as Record<Circle, Record<string, string>>;
  const businesses: Record<string, string> = {};
  let shared: string;
  let idPaths: { path: string; param: string; query: string[] }[] = [];

  async function post(entity: string, body: Record<string, unknown>): Promise<string> {
    const created = await server.request('POST', `/nucleus/v1/${entity}`, { body });
    assert.equal(created.status, 201, `${entity}: ${JSON.stringify(created.body)}`);
    return created.body.id;
  }

  async function login(name: string, authority: Authority, extra: Record<string, unknown> = {}) {
    const password = `pw-${name}-long-enough`;
    const id = await post('client', { username: `${name}@people.test`, client_type: 'individual', password, authorities: [authority], ...extra });
    const token = await server.token(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, { grant_type: 'password', username: `${name}@people.test`, password });
    assert.equal(token.status, 200, JSON.stringify(token.body));
    people[name] = { id, token: token.body.access_token };
  }

  before(async () => {
    server = await startServer();
    const accountType = await post('account_type', { name: 'Brokerage' });
    const model = await post('model', { name: 'Balanced' });
    const security = await post('security', { name: 'Index fund', ticker: 'IDX' });
    const code = await post('transaction_code', { transaction_code: 'BUY', transaction_type: 'buy' });
    for (const [name, authority] of STAFF) await login(name, authority);
    for (const name of ['o1', 'o2', 'a1', 'a2']) await login(name, REACH[name].authority);
    businesses.B1 = await post('business', { legal_name: 'One LLC', ownership: [{ client_id: people.o1.id, role: 'owner', is_beneficial: true }] });
    businesses.B2 = await post('business', { legal_name: 'Two LLC', ownership: [{ client_id: people.o2.id, role: 'owner', is_beneficial: true }] });
    await login('c1', 'ROLE_CLIENT');
    await login('c2', 'ROLE_CLIENT');
    await login('c3', 'ROLE_CLIENT', { business_id: businesses.B1 });
    await login('c4', 'ROLE_CLIENT', { business_id: businesses.B2 });
    const advisorOf: Partial<Record<Circle, string>> = { c1: 'a1', c2: 'a2' };
    for (const circle of CIRCLES) {
      const client = people[circle].id;
      const holders = [{ client_id: client, client_account_association_type: 'owner' }];
      const advisor = advisorOf[circle];
      if (advisor) holders.push({ client_id: people[advisor].id, client_account_association_type: 'advisor' });
      const account = await post('account', { name: `${circle} account`, account_type_id: accountType, clients: holders });
      const portfolio = await post('portfolio', { name: `${circle} portfolio`, account_id: account, percentage: 100, model_id: model });
      await post('portfolio_asset_size', { account_id: account, portfolio_id: portfolio, model_id: model, asset_size: 1000, cash_flow: 0, date: '2026-01-15T00:00:00.000Z' });
      await post('portfolio_holding', { portfolio_id: portfolio, account_id: account, model_id: model, security_id: security, shares: 10, amount: 1000, date: '2026-01-15T00:00:00.000Z' });
      await post('portfolio_transaction', { portfolio_id: portfolio, account_id: account, model_id: model, security_id: security, transaction_code_id: code, date: '2026-01-15T00:00:00.000Z', quantity: 10, price: 100 });
      const goal = await post('goal', { name: `${circle} goal`, client_id: client, type: 'accumulation' });
      const household = await post('household', { name: `${circle} household`, members: [{ client_id: client, is_primary: true }] });
      const aggregation = await post('aggregation_account', { account_name: `${circle} bank`, institution_name: 'Bank', client_id: client });
      circles[circle] = { client_id: client, account_id: account, portfolio_id: portfolio, goal_id: goal, household_id: household, aggregation_account_id: aggregation };
    }
    // c2 may look at c1's shared account (inquiry access) but not act on it.
    shared = await post('account', {
      name: 'shared',
      account_type_id: accountType,
      clients: [
        { client_id: people.c1.id, client_account_association_type: 'owner' },
        { client_id: people.c2.id, client_account_association_type: 'viewer' },
      ],
    });

    type Operation = { parameters?: { name: string; in: string; required?: boolean }[] };
    const document = (await server.request('GET', '/openapi.json')).body as { paths: Record<string, { get?: Operation }> };
    const params = new Set(Object.keys(circles.c1));
    idPaths = Object.entries(document.paths)
      .filter(([path, item]) => item.get && path.startsWith('/nucleus/v1/'))
      .flatMap(([path, item]) => {
        const names = [...path.matchAll(/\{([a-z_]+)\}/g)].map((m) => m[1]);
        // Required query parameters (a goal's views need its client_id) are filled from the same circle.
        const query = (item.get!.parameters ?? []).filter((p) => p.in === 'query' && p.required).map((p) => p.name);
        return names.length === 1 && params.has(names[0]) && query.every((name) => params.has(name)) ? [{ path, param: names[0], query }] : [];
      });
  });
  after(() => server.close());

  it('finds the reads and computed views to check', () => {
    const views = idPaths.filter(({ path }) => /\{[a-z_]+\}\/./.test(path)).map(({ path }) => path);
    for (const expected of ['/nucleus/v1/account/{account_id}/asset_size', '/nucleus/v1/client/{client_id}/holding', '/nucleus/v1/household/{household_id}/transaction']) {
      assert.ok(views.includes(expected), `${expected} among ${views.join(', ')}`);
    }
    assert.ok(views.length >= 15, `only ${views.length} views`);
  });

  /** The entity a path reads, by its first segment: its read rights decide a staff answer. */
  const entityOf = (path: string) => path.split('/')[3];

  const urlFor = ({ path, param, query }: (typeof idPaths)[number], circle: Circle) => {
    const search = query.map((name) => `${name}=${circles[circle][name]}`).join('&');
    return path.replace(`{${param}}`, circles[circle][param]) + (search ? `?${search}` : '');
  };

  for (const name of [...STAFF.map(([staff]) => staff), ...Object.keys(REACH)]) {
    it(`${name} gets exactly its reach on every read and view`, async () => {
      const mismatches: string[] = [];
      const staff = STAFF.find(([staffName]) => staffName === name);
      // Staff reach the whole tenant or nothing of an entity, so one circle tells as much as four.
      for (const circle of staff ? CIRCLES.slice(0, 1) : CIRCLES) {
        for (const read of idPaths) {
          const { path } = read;
          const answer = await server.request('GET', urlFor(read, circle), { token: people[name].token });
          let allowed: number[];
          if (staff) {
            allowed = decide([staff[1]], entityOf(path), 'read').allowed ? [200] : [403];
          } else {
            allowed = REACH[name].circles.includes(circle) ? [200] : [404];
          }
          if (!allowed.includes(answer.status)) mismatches.push(`${path} of ${circle}: ${answer.status}, expected ${allowed.join(' or ')}`);
        }
      }
      assert.deepEqual(mismatches, []);
    });
  }

  it('business owners reach their own business and its employees only', async () => {
    for (const owner of ['o1', 'o2'] as const) {
      for (const [business, id] of Object.entries(businesses)) {
        const mine = REACH[owner].businesses.includes(business as 'B1' | 'B2');
        for (const path of [`business/${id}`, `business/${id}/asset_size`, `business/${id}/holding`, `business/${id}/transaction`]) {
          const answer = await server.request('GET', `/nucleus/v1/${path}`, { token: people[owner].token });
          assert.equal(answer.status, mine ? 200 : 404, `${owner} ${path}: ${JSON.stringify(answer.body)}`);
        }
      }
      const clients = await server.request('GET', '/nucleus/v1/client', { token: people[owner].token });
      const expected = [people[owner].id, ...REACH[owner].circles.map((circle) => people[circle].id)].sort();
      assert.deepEqual(clients.body.content.map((c: { id: string }) => c.id).sort(), expected);
    }
    for (const client of CIRCLES) {
      assert.equal((await server.request('GET', `/nucleus/v1/business/${businesses.B1}`, { token: people[client].token })).status, 404);
    }
  });

  it('advisors list the clients and accounts they share an account with, nobody else', async () => {
    const expectedAccounts = { a1: [circles.c1.account_id, shared], a2: [circles.c2.account_id, shared] };
    for (const advisor of ['a1', 'a2'] as const) {
      const accounts = await server.request('GET', '/nucleus/v1/account', { token: people[advisor].token });
      assert.deepEqual(accounts.body.content.map((a: { id: string }) => a.id).sort(), [...expectedAccounts[advisor]].sort(), advisor);
      const clients = await server.request('GET', '/nucleus/v1/client', { token: people[advisor].token });
      const expected = [people[advisor].id, ...REACH[advisor].circles.map((circle) => people[circle].id)].sort();
      assert.deepEqual(clients.body.content.map((c: { id: string }) => c.id).sort(), expected, advisor);
    }
  });

  it('account permissions decide writes: full authority writes, inquiry access reads only', async () => {
    const rename = (who: string) => server.request('PUT', `/nucleus/v1/account/${shared}`, { token: people[who].token, body: { secondary_id: `by ${who}` } });
    assert.equal((await server.request('GET', `/nucleus/v1/account/${shared}/asset_size`, { token: people.c2.token })).status, 200);
    assert.equal((await rename('c2')).status, 403);
    assert.equal((await rename('c3')).status, 404);
    assert.equal((await rename('c1')).status, 200);
    const after = await server.request('GET', `/nucleus/v1/account/${shared}`);
    assert.equal(after.body.secondary_id, 'by c1');
  });

  it('a second tenant sees none of it, by id or by list', async () => {
    const other = await server.otherTenant();
    for (const circle of CIRCLES) {
      for (const read of idPaths) {
        const answer = await server.request('GET', urlFor(read, circle), { token: other.token });
        assert.equal(answer.status, 404, read.path);
      }
    }
    const accounts = await server.request('GET', '/nucleus/v1/account', { token: other.token });
    assert.equal(accounts.body.total_elements, 0);
  });
});
