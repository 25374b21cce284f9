import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startServer, type TestServer } from '../../support/server.ts';
import { buildWorld, post, type World } from './world.ts';

/** Rows of one date come ordered by security id, whatever order they were stored in. */
function byDateAndSecurity(rows: unknown[][]): unknown[][] {
  return [...rows].sort((a, b) => `${a[0]} ${a[1]}`.localeCompare(`${b[0]} ${b[1]}`));
}

describe('GET …/holding over HTTP', () => {
  let server: TestServer;
  let world: World;
  before(async () => {
    server = await startServer();
    world = await buildWorld(server);
    const { M1, M2 } = world.models;
    const { S1, S2 } = world.securities;
    const weight = (model_id: string, date: string, security_id: string, current_weight: number, strategic_weight: number) =>
      post(server, 'model_holding', { model_id, date, security_id, current_weight, strategic_weight });
    await weight(M1, '2024-01-01', S1, 70, 60);
    await weight(M1, '2024-01-01', S2, 30, 40);
    await weight(M2, '2024-01-01', S2, 100, 100);
    await weight(M1, '2024-02-01', S1, 50, 60);
    await weight(M1, '2024-02-01', S2, 50, 40);
  });
  after(() => server.close());

  async function holdings(path: string, query = '') {
    const result = await server.request('GET', `/nucleus/v1/${path}/holding${query ? `?${query}` : ''}`);
    assert.equal(result.status, 200, JSON.stringify(result.body));
    return result.body;
  }

  it('adds up the latest holdings of an account by security, valuing unpriced lines at the latest price', async () => {
    const page = await holdings(`account/${world.accounts.A1}`, 'order_by=amount');
    const { S1, S3 } = world.securities;
    // Feb 1: S1 = 1300 (P1) + 1 × 108.25 (P2); S3 = 200.10; total 1608.35.
    assert.deepEqual(page.content, [
      { date: '2024-02-01', security_id: S1, shares: 13, amount: 1408.25, weight: 87.5587, currency_code: 'USD' },
      { date: '2024-02-01', security_id: S3, shares: 2, amount: 200.1, weight: 12.4413, currency_code: 'USD' },
    ]);
    assert.equal(page.total_elements, 2);
    assert.equal(page.sort[0].property, 'amount');
  });

  it('reports every date of a range, filtered and paged like a list', async () => {
    const { S1, S2, S3 } = world.securities;
    const january = await holdings(`account/${world.accounts.A1}`, 'start_date=2024-01-01&end_date=2024-01-31&order_by=date&ascending=true&size=50');
    assert.deepEqual(
      january.content.map((h: Record<string, unknown>) => [h.date, h.security_id, h.shares, h.amount, h.cost_basis, h.weight]),
      byDateAndSecurity([
        ['2024-01-01', S1, 10, 1000, 900, 66.6667],
        ['2024-01-01', S2, 5, 500, undefined, 33.3333],
        // Jan 10: P2's S1 share at Jan 1's price of 100; total 1800.10.
        ['2024-01-10', S1, 11, 1100, 900, 61.1077],
        ['2024-01-10', S2, 5, 500, undefined, 27.7762],
        ['2024-01-10', S3, 2, 200.1, undefined, 11.116],
      ]),
    );
    const onlyS1 = await holdings(`account/${world.accounts.A1}`, `start_date=2024-01-01&end_date=2024-01-31&filter=${encodeURIComponent(`security_id==${S1};amount=gt=1000`)}`);
    assert.deepEqual(onlyS1.content.map((h: { date: string; amount: number }) => [h.date, h.amount]), [['2024-01-10', 1100]]);
    const second = await holdings(`account/${world.accounts.A1}`, 'start_date=2024-01-01&end_date=2024-01-31&size=2&page=2');
    assert.deepEqual([second.number_of_elements, second.total_elements, second.total_pages, second.last], [1, 5, 3, true]);
    const latestOfRange = await holdings(`account/${world.accounts.A1}`, 'start_date=2024-01-01&end_date=2024-01-31&get_latest=true');
    assert.deepEqual([...new Set(latestOfRange.content.map((h: { date: string }) => h.date))], ['2024-01-10']);
  });

  it('covers clients, households, businesses and goals', async () => {
    assert.equal((await holdings(`client/${world.clients.ann}`)).total_elements, 2);
    // Bob's portfolios (P3, P4) hold nothing.
    assert.equal((await holdings(`business/${world.business}`)).total_elements, 0);
    assert.equal((await holdings(`household/${world.household}`)).total_elements, 2);
    assert.equal((await holdings(`goal/${world.goals.G1}`, `client_id=${world.clients.ann}`)).total_elements, 2);
    assert.equal((await holdings(`goal/${world.goals.G1}`, `client_id=${world.clients.ann}&portfolio_goal=true`)).total_elements, 0);
  });

  it('weighs an allocation\'s securities through its models', async () => {
    const { S1, S2 } = world.securities;
    // Latest: M1 as of Feb 1 (S1 50/60, S2 50/40) at 60 %/50 %, M2 (S2 100/100) at 40 %/50 %.
    const bySecurity = <T extends { security_id: string }>(rows: T[]) => [...rows].sort((a, b) => (a.security_id < b.security_id ? -1 : 1));
    assert.deepEqual(await holdings(`allocation/${world.allocation}`), bySecurity([
      { date: '2024-02-01', security_id: S1, current_weight: 30, strategic_weight: 30 },
      { date: '2024-02-01', security_id: S2, current_weight: 70, strategic_weight: 70 },
    ]));
    // January: M1's Jan 1 weights (S1 70/60, S2 30/40).
    assert.deepEqual(await holdings(`allocation/${world.allocation}`, 'start_date=2024-01-01&end_date=2024-01-31'), bySecurity([
      { date: '2024-01-01', security_id: S1, current_weight: 42, strategic_weight: 30 },
      { date: '2024-01-01', security_id: S2, current_weight: 58, strategic_weight: 70 },
    ]));
  });

  it('refuses bad parameters and unknown or foreign ids', async () => {
    const base = `/nucleus/v1/account/${world.accounts.A1}/holding`;
    for (const [query, field] of [['order_by=nope', 'order_by'], ['filter=nope==1', 'filter'], ['size=0', 'size'], ['end_date=2024-02-30x', 'end_date']]) {
      const result = await server.request('GET', `${base}?${query}`);
      assert.equal(result.status, 400, query);
      assert.equal(result.body.field, field, query);
    }
    assert.equal((await server.request('GET', base, { token: null })).status, 401);
    for (const entity of ['account', 'client', 'household', 'business', 'allocation']) {
      assert.equal((await server.request('GET', `/nucleus/v1/${entity}/${randomUUID()}/holding`)).status, 404, entity);
    }
    const other = await server.otherTenant();
    assert.equal((await server.request('GET', base, { token: other.token })).status, 404);
  });
});
