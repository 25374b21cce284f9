import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startServer, type TestServer } from '../../support/server.ts';
import { buildWorld, post, storeEuroRates, type World } from './world.ts';

describe('transactions of an entity over HTTP', () => {
  let server: TestServer;
  let world: World;
  const ids: Record<string, string> = {};
  before(async () => {
    server = await startServer();
    world = await buildWorld(server);
    await storeEuroRates(server);
    const { P1, P2, P3, P4 } = world.portfolios;
    const { A1, A2, A3 } = world.accounts;
    const { M1, M2 } = world.models;
    const { buy, sell } = world.transactionCodes;
    const tx = (portfolio_id: string, account_id: string, model_id: string, date: string, amount: number, code = buy) =>
      post(server, 'portfolio_transaction', { portfolio_id, account_id, model_id, date, amount, transaction_code_id: code });
    ids.T1 = await tx(P1, A1, M1, '2024-01-05T10:00:00Z', 100);
    ids.T2 = await tx(P1, A1, M1, '2024-02-05T10:00:00Z', 250.5, sell);
    ids.T3 = await tx(P2, A1, M1, '2024-01-20T10:00:00Z', 75);
    ids.T4 = await tx(P3, A2, M2, '2024-01-31T23:30:00Z', 40);
    ids.T5 = await tx(P4, A3, M2, '2024-01-15T12:00:00Z', 10);
    const M3 = await post(server, 'model', { name: 'Not in the allocation' });
    const mtx = (model_id: string, date: string) =>
      post(server, 'model_transaction', { model_id, date, security_id: world.securities.S1, price: 100, shares: 1, transaction_code_id: buy });
    ids.MT1 = await mtx(M1, '2024-01-05');
    ids.MT2 = await mtx(M2, '2024-02-01');
    ids.MT3 = await mtx(M3, '2024-01-05');
  });
  after(() => server.close());

  async function list(method: string, path: string, query = '') {
    const result = await server.request(method, `/nucleus/v1/${path}${query ? `?${query}` : ''}`);
    assert.equal(result.status, 200, JSON.stringify(result.body));
    return result.body;
  }
  const named = (page: { content: { id: string }[] }) => page.content.map((t) => Object.keys(ids).find((k) => ids[k] === t.id));

  it('lists an account\'s portfolio transactions, newest update first, with dates, filters and paging', async () => {
    const A1 = `account/${world.accounts.A1}/transaction`;
    assert.deepEqual(named(await list('GET', A1)), ['T3', 'T2', 'T1']);
    assert.deepEqual(named(await list('GET', A1, 'start_date=2024-01-01&end_date=2024-01-31&order_by=date&ascending=true')), ['T1', 'T3']);
    assert.deepEqual(named(await list('GET', A1, `filter=${encodeURIComponent('amount=gt=90')}&order_by=amount`)), ['T2', 'T1']);
    const second = await list('GET', A1, 'size=2&page=1');
    assert.deepEqual([second.number_of_elements, second.total_elements, second.total_pages], [1, 3, 2]);
    const full = (await list('GET', A1, 'order_by=date&ascending=true')).content[0];
    assert.equal(full.amount, 100);
    assert.equal(full.portfolio_id, world.portfolios.P1);
  });

  it('covers clients, households, businesses and goals', async () => {
    assert.deepEqual(named(await list('GET', `client/${world.clients.ann}/transaction`, 'order_by=date&ascending=true')), ['T1', 'T3', 'T4', 'T2']);
    assert.equal((await list('GET', `household/${world.household}/transaction`)).total_elements, 5);
    assert.deepEqual(named(await list('GET', `business/${world.business}/transaction`, 'order_by=date&ascending=true')), ['T5', 'T4']);
    assert.deepEqual(named(await list('GET', `goal/${world.goals.G1}/transaction`, `client_id=${world.clients.ann}&order_by=date&ascending=true`)), ['T1', 'T3', 'T2']);
  });

  it('converts amounts at the rate of each transaction\'s date', async () => {
    const page = await list('GET', `business/${world.business}/transaction`, 'currency_conversion=USD&order_by=date&ascending=true');
    // T5 is 10 EUR (its portfolio's currency) on Jan 15, at 1.1; T4 is USD already.
    assert.deepEqual(page.content.map((t: { amount: number; currency_code: string }) => [t.amount, t.currency_code]), [
      [11, 'USD'],
      [40, 'USD'],
    ]);
    const missing = await server.request('GET', `/nucleus/v1/business/${world.business}/transaction?currency_conversion=JPY`);
    assert.equal(missing.status, 400);
    assert.equal(missing.body.field, 'currency_conversion');
  });

  it('reads a card\'s transactions by GET (whole days) and by POST (instants, both included)', async () => {
    const card = `card/${world.card}/transaction`;
    assert.deepEqual(named(await list('GET', card)), ['T4']);
    assert.deepEqual(named(await list('GET', card, 'end_date=2024-01-31')), ['T4']);
    assert.deepEqual(named(await list('GET', card, 'start_date=2024-02-01')), []);
    assert.deepEqual(named(await list('POST', card, `end_date=${encodeURIComponent('2024-01-31T23:00:00Z')}`)), []);
    assert.deepEqual(named(await list('POST', card, `end_date=${encodeURIComponent('2024-01-31T23:30:00Z')}`)), ['T4']);
    const reversed = await server.request('POST', `/nucleus/v1/${card}?start_date=2024-02-01T00:00:00Z&end_date=2024-01-01T00:00:00Z`);
    assert.equal(reversed.status, 400);
    assert.equal(reversed.body.field, 'start_date');
  });

  it('lists every portfolio transaction by POST', async () => {
    assert.equal((await list('POST', 'portfolio_transaction_by_post')).total_elements, 5);
    assert.deepEqual(named(await list('POST', 'portfolio_transaction_by_post', `filter=${encodeURIComponent('amount=lt=50')}&order_by=amount&ascending=true`)), ['T5', 'T4']);
  });

  it('lists the model transactions of an allocation\'s models', async () => {
    assert.deepEqual(named(await list('GET', `allocation/${world.allocation}/transaction`, 'order_by=date&ascending=true')), ['MT1', 'MT2']);
    assert.deepEqual(named(await list('GET', `allocation/${world.allocation}/transaction`, 'start_date=2024-01-10')), ['MT2']);
  });

  it('answers 401, 404 and 400 like any read', async () => {
    const path = `/nucleus/v1/account/${world.accounts.A1}/transaction`;
    assert.equal((await server.request('GET', path, { token: null })).status, 401);
    for (const entity of ['account', 'client', 'household', 'business', 'card', 'allocation']) {
      assert.equal((await server.request('GET', `/nucleus/v1/${entity}/${randomUUID()}/transaction`)).status, 404, entity);
    }
    assert.equal((await server.request('POST', `/nucleus/v1/card/${randomUUID()}/transaction`)).status, 404);
    const other = await server.otherTenant();
    assert.equal((await server.request('GET', path, { token: other.token })).status, 404);
    assert.equal((await server.request('POST', '/nucleus/v1/portfolio_transaction_by_post', { token: other.token })).body.total_elements, 0);
    const bad = await server.request('GET', `${path}?filter=${encodeURIComponent('amount=gt=abc')}`);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.field, 'filter');
  });
});
