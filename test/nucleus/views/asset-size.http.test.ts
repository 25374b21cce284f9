import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startServer, type TestServer } from '../../support/server.ts';
import { buildWorld, storeEuroRates, type World } from './world.ts';

describe('GET …/asset_size over HTTP', () => {
  let server: TestServer;
  let world: World;
  before(async () => {
    server = await startServer();
    world = await buildWorld(server);
    await storeEuroRates(server);
  });
  after(() => server.close());

  async function series(path: string, query = ''): Promise<{ date: string; value: number; cash_flow?: number; additions?: number }[]> {
    const result = await server.request('GET', `/nucleus/v1/${path}/asset_size${query ? `?${query}` : ''}`);
    assert.equal(result.status, 200, JSON.stringify(result.body));
    return result.body;
  }
  const values = (points: { date: string; value: number }[]) => points.map((p) => [p.date, p.value]);

  it('sums an account\'s portfolios per date, carrying a missing date forward', async () => {
    assert.deepEqual(await series(`account/${world.accounts.A1}`), [
      { date: '2024-01-01', value: 1000.1, cash_flow: 1000.1, additions: 1000.1, currency_code: 'USD' },
      { date: '2024-01-10', value: 1200.15, cash_flow: 200.05, additions: 1200.15, currency_code: 'USD' },
      { date: '2024-01-15', value: 1210.25, cash_flow: 0, additions: 1200.15, currency_code: 'USD' },
      { date: '2024-02-01', value: 1230.4, cash_flow: 0, additions: 1200.15, currency_code: 'USD' },
      { date: '2024-04-01', value: 1310.1, cash_flow: 50, additions: 1250.15, currency_code: 'USD' },
    ]);
  });

  it('keeps the last value of each month with sort_type=M, and honours the date range', async () => {
    const monthly = await series(`account/${world.accounts.A1}`, 'sort_type=M');
    assert.deepEqual(monthly.map((p) => [p.date, p.value, p.cash_flow]), [
      ['2024-01-15', 1210.25, 1200.15],
      ['2024-02-01', 1230.4, 0],
      ['2024-04-01', 1310.1, 50],
    ]);
    const ranged = await series(`account/${world.accounts.A1}`, 'start_date=2024-01-12&end_date=2024-03-01');
    assert.deepEqual(ranged.map((p) => [p.date, p.value, p.cash_flow, p.additions]), [
      ['2024-01-15', 1210.25, 0, 0],
      ['2024-02-01', 1230.4, 0, 0],
    ]);
  });

  it('leaves subledgers out and returns only the latest on request', async () => {
    assert.deepEqual(values(await series(`account/${world.accounts.A1}`, 'exclude_subledger=true')), [
      ['2024-01-01', 1000.1],
      ['2024-01-15', 1010.2],
      ['2024-02-01', 1020.3],
      ['2024-04-01', 1100],
    ]);
    assert.deepEqual(values(await series(`account/${world.accounts.A1}`, 'get_latest=true')), [['2024-04-01', 1310.1]]);
  });

  it('sums a client\'s accounts (joint ones included) with quarters', async () => {
    assert.deepEqual(values(await series(`client/${world.clients.ann}`)), [
      ['2024-01-01', 1000.1],
      ['2024-01-10', 1200.15],
      ['2024-01-15', 1510.58],
      ['2024-02-01', 1530.73],
      ['2024-03-31', 1540.4],
      ['2024-04-01', 1620.1],
    ]);
    assert.deepEqual(values(await series(`client/${world.clients.ann}`, 'sort_type=Q')), [
      ['2024-03-31', 1540.4],
      ['2024-04-01', 1620.1],
    ]);
  });

  it('converts through stored FX rates, and asks for currency_conversion when currencies mix', async () => {
    const mixed = await server.request('GET', `/nucleus/v1/client/${world.clients.bob}/asset_size`);
    assert.equal(mixed.status, 400);
    assert.equal(mixed.body.field, 'currency_conversion');
    // P4's EUR at 1.1 until Feb 1, then 1.2; P3 is USD.
    assert.deepEqual(await series(`client/${world.clients.bob}`, 'currency_conversion=USD'), [
      { date: '2024-01-01', value: 550, cash_flow: 550, additions: 550, currency_code: 'USD' },
      { date: '2024-01-15', value: 850.33, cash_flow: 300.33, additions: 850.33, currency_code: 'USD' },
      { date: '2024-02-01', value: 924.33, cash_flow: 0, additions: 850.33, currency_code: 'USD' },
      { date: '2024-03-31', value: 934, cash_flow: 0, additions: 850.33, currency_code: 'USD' },
    ]);
    const missing = await server.request('GET', `/nucleus/v1/client/${world.clients.bob}/asset_size?currency_conversion=GBP`);
    assert.equal(missing.status, 400);
    assert.equal(missing.body.field, 'currency_conversion');
    assert.match(missing.body.message, /no stored FX rate from (EUR|USD) to GBP/);
  });

  it('covers a household\'s members and a business\'s clients', async () => {
    // Apr 1: P1 1100 + P2 210.10 + P3 310 + P4 520 × 1.2.
    assert.deepEqual(values(await series(`household/${world.household}`, 'currency_conversion=USD&get_latest=true')), [['2024-04-01', 2244.1]]);
    assert.deepEqual(values(await series(`business/${world.business}`, 'currency_conversion=USD&get_latest=true')), [['2024-03-31', 934]]);
  });

  it('values a goal through the client\'s accounts, or through portfolio_goal at its weight', async () => {
    assert.deepEqual(values(await series(`goal/${world.goals.G1}`, `client_id=${world.clients.ann}&get_latest=true`)), [['2024-04-01', 1310.1]]);
    // P1's latest mapping moved it to G2; P3 counts for half: 300.33 / 2 = 150.165 → 150.17.
    assert.deepEqual(values(await series(`goal/${world.goals.G1}`, `client_id=${world.clients.ann}&portfolio_goal=true`)), [
      ['2024-01-15', 150.17],
      ['2024-03-31', 155],
    ]);
    const noClient = await server.request('GET', `/nucleus/v1/goal/${world.goals.G1}/asset_size`);
    assert.equal(noClient.status, 400);
    assert.equal(noClient.body.field, 'client_id');
  });

  it('follows a card to its portfolio', async () => {
    assert.deepEqual(values(await series(`card/${world.card}`)), [
      ['2024-01-15', 300.33],
      ['2024-03-31', 310],
    ]);
  });

  it('weighs an allocation\'s models by their current or strategic weight in its latest composition', async () => {
    // M1 at 60 % and M2 at 40 % (the 2023 composition of M1 at 100 % is superseded).
    assert.deepEqual(await series(`allocation/${world.allocation}`), [
      { date: '2024-01-01', value: 1400 },
      { date: '2024-01-02', value: 1406 },
      { date: '2024-01-03', value: 1402 },
    ]);
    assert.deepEqual(values(await series(`allocation/${world.allocation}`, 'is_current_weight=false')), [
      ['2024-01-01', 1500],
      ['2024-01-02', 1505],
      ['2024-01-03', 1500],
    ]);
  });

  it('grows 100 in a benchmark from its composition and security prices', async () => {
    // Jan 2: 60 buys 60/11 of S2, 40 buys 2 of S3; Jan 3: 60/11 × 12 + 2 × 18 = 101.4545…
    assert.deepEqual(await series(`benchmark/${world.benchmark}`), [
      { date: '2024-01-02', value: 100 },
      { date: '2024-01-03', value: 101.45 },
    ]);
  });

  it('refuses bad parameters with 400 naming the field', async () => {
    const cases: [string, string][] = [
      ['sort_type=W', 'sort_type'],
      ['start_date=2024-13-01', 'start_date'],
      ['end_date=yesterday', 'end_date'],
      ['start_date=2024-02-01&end_date=2024-01-01', 'start_date'],
      ['currency_conversion=usd', 'currency_conversion'],
      ['get_latest=maybe', 'get_latest'],
    ];
    for (const [query, field] of cases) {
      const result = await server.request('GET', `/nucleus/v1/account/${world.accounts.A1}/asset_size?${query}`);
      assert.equal(result.status, 400, query);
      assert.equal(result.body.field, field, query);
    }
    const badId = await server.request('GET', '/nucleus/v1/account/not-a-uuid/asset_size');
    assert.equal(badId.status, 400);
    assert.equal(badId.body.field, 'account_id');
  });

  it('answers 401 without a token, 404 for unknown ids and for another tenant\'s records', async () => {
    assert.equal((await server.request('GET', `/nucleus/v1/account/${world.accounts.A1}/asset_size`, { token: null })).status, 401);
    for (const entity of ['account', 'client', 'household', 'business', 'card', 'allocation', 'benchmark']) {
      const result = await server.request('GET', `/nucleus/v1/${entity}/${randomUUID()}/asset_size`);
      assert.equal(result.status, 404, entity);
    }
    const unknownClient = await server.request('GET', `/nucleus/v1/goal/${world.goals.G1}/asset_size?client_id=${randomUUID()}`);
    assert.equal(unknownClient.status, 404);
    const other = await server.otherTenant();
    const foreign = await server.request('GET', `/nucleus/v1/account/${world.accounts.A1}/asset_size`, { token: other.token });
    assert.equal(foreign.status, 404);
  });

  it('returns an empty series for an entity with no portfolios', async () => {
    const type = (await server.request('GET', '/nucleus/v1/account_type')).body.content[0].id;
    const empty = await server.request('POST', '/nucleus/v1/account', { body: { name: 'Empty', account_type_id: type } });
    assert.deepEqual(await series(`account/${empty.body.id}`), []);
  });
});
