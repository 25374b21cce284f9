import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, startServer, type TestServer } from '../../support/server.ts';

/** Small deterministic generator, so a failing filter can be reproduced from its seed. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

describe('random filters never reach past the caller scope', () => {
  let server: TestServer;
  let aliceToken: string;
  const all: Record<string, string[]> = { client: [], account: [], portfolio: [] };
  const visible: Record<string, Set<string>> = { client: new Set(), account: new Set(), portfolio: new Set() };
  const values: Record<string, string[]> = { name: [], id: [], account_id: [], client_id: [] };

  before(async () => {
    server = await startServer({ maxPageSize: 1000 });
    const type = await server.request('POST', '/nucleus/v1/account_type', { body: { name: 'Cash' } });
    for (const name of ['alice', 'bob', 'carol']) {
      const client = await server.request('POST', '/nucleus/v1/client', {
        body: { username: name, client_type: 'individual', first_name: name, password: `${name}-Password-123`, authorities: ['ROLE_CLIENT'] },
      });
      all.client.push(client.body.id);
      values.id.push(client.body.id);
      values.client_id.push(client.body.id);
      if (name === 'alice') visible.client.add(client.body.id);
      for (let i = 0; i < 3; i++) {
        const holders = [{ client_id: client.body.id, client_account_association_type: i === 2 ? 'viewer' : 'owner' }];
        const account = await server.request('POST', '/nucleus/v1/account', {
          body: { name: `${name}-${i}`, account_type_id: type.body.id, clients: holders, is_active: i !== 1 },
        });
        all.account.push(account.body.id);
        values.id.push(account.body.id);
        values.account_id.push(account.body.id);
        values.name.push(`${name}-${i}`);
        if (name === 'alice') visible.account.add(account.body.id);
        const portfolio = await server.request('POST', '/nucleus/v1/portfolio', {
          body: { name: `${name}-${i}-p`, account_id: account.body.id, percentage: 10 * (i + 1) },
        });
        all.portfolio.push(portfolio.body.id);
        values.id.push(portfolio.body.id);
        if (name === 'alice') visible.portfolio.add(portfolio.body.id);
      }
    }
    const login = await server.token(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, { grant_type: 'password', username: 'alice', password: 'alice-Password-123' });
    aliceToken = login.body.access_token;
  });
  after(() => server.close());

  function atom(entity: string, random: () => number): string {
    const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)];
    const options: (() => string)[] = [
      () => `id${pick(['==', '!='])}${pick(values.id)}`,
      () => `id=in=(${pick(values.id)},${pick(values.id)})`,
      () => `id=out=(${pick(values.id)})`,
      () => `create_date${pick(['>', '<', '>=', '<='])}2020-01-01T00:00:00Z`,
      () => `secondary_id=isnull=${pick(['true', 'false'])}`,
    ];
    if (entity !== 'client') {
      options.push(() => `name${pick(['==', '!=', '=like='])}${pick(values.name).slice(0, 3 + Math.floor(random() * 3))}*`);
    }
    if (entity === 'account') {
      options.push(() => `is_active==${pick(['true', 'false'])}`, () => `clients.client_id==${pick(values.client_id)}`);
    }
    if (entity === 'portfolio') {
      options.push(() => `account_id${pick(['==', '!='])}${pick(values.account_id)}`, () => `percentage${pick(['>', '<=', '=ge='])}${pick([10, 20, 30])}`);
    }
    if (entity === 'client') {
      options.push(() => `username${pick(['==', '!='])}${pick(['alice', 'bob', 'carol'])}`, () => `first_name=like=*${pick(['a', 'o', 'l'])}*`);
    }
    return pick(options)();
  }

  function expression(entity: string, random: () => number, depth = 0): string {
    if (depth > 2 || random() < 0.4) return atom(entity, random);
    const joiner = [';', ',', ' and ', ' or '][Math.floor(random() * 4)];
    const left = expression(entity, random, depth + 1);
    const right = expression(entity, random, depth + 1);
    return random() < 0.5 ? `(${left}${joiner}${right})` : `${left}${joiner}${right}`;
  }

  it('300 random filters over clients, accounts and portfolios return only visible records, and all the visible matches', async () => {
    const random = prng(20261125);
    for (let i = 0; i < 300; i++) {
      const entity = ['client', 'account', 'portfolio'][i % 3];
      const filter = expression(entity, random);
      const query = `/nucleus/v1/${entity}?size=1000&filter=${encodeURIComponent(filter)}`;
      const mine = await server.request('GET', query, { token: aliceToken });
      assert.equal(mine.status, 200, `${filter}: ${JSON.stringify(mine.body)}`);
      const admin = await server.request('GET', query);
      const got = mine.body.content.map((r: { id: string }) => r.id).sort();
      const expected = admin.body.content.map((r: { id: string }) => r.id).filter((id: string) => visible[entity].has(id)).sort();
      assert.deepEqual(got, expected, `${entity} filter ${filter}`);
    }
  });
});
