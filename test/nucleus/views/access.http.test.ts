import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, startServer, type TestServer } from '../../support/server.ts';
import { buildWorld, type World } from './world.ts';

/** The views read through the access rules: a client sees its own wealth and nothing of anyone else's. */
describe('views for a client logged in as itself', () => {
  let server: TestServer;
  let world: World;
  let ann: string;
  before(async () => {
    server = await startServer();
    world = await buildWorld(server);
    const password = 'ann-has-a-long-password';
    const updated = await server.request('PUT', `/nucleus/v1/client/${world.clients.ann}`, { body: { password, authorities: ['ROLE_CLIENT'] } });
    assert.equal(updated.status, 200, JSON.stringify(updated.body));
    const login = await server.token(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, { grant_type: 'password', username: 'ann@example.com', password });
    assert.equal(login.status, 200, JSON.stringify(login.body));
    ann = login.body.access_token;
  });
  after(() => server.close());

  const get = (path: string) => server.request('GET', `/nucleus/v1/${path}`, { token: ann });

  it('reads its own accounts\' views in full', async () => {
    const own = await get(`account/${world.accounts.A1}/asset_size?get_latest=true`);
    assert.equal(own.status, 200, JSON.stringify(own.body));
    assert.deepEqual(own.body.map((p: { value: number }) => p.value), [1310.1]);
    assert.equal((await get(`client/${world.clients.ann}/holding`)).body.total_elements, 2);
  });

  it('gets 404 for what belongs to others only', async () => {
    assert.equal((await get(`account/${world.accounts.A3}/asset_size`)).status, 404, "bob's own account");
    assert.equal((await get(`client/${world.clients.bob}/asset_size`)).status, 404);
    assert.equal((await get(`business/${world.business}/transaction`)).status, 404);
  });

  it('counts only what it may see in a household it belongs to', async () => {
    // As admin the household needs currency_conversion (P4 is EUR); ann does not see bob's P4 at all.
    const household = await get(`household/${world.household}/asset_size?get_latest=true`);
    assert.equal(household.status, 200, JSON.stringify(household.body));
    assert.deepEqual(household.body.map((p: { value: number; currency_code: string }) => [p.value, p.currency_code]), [[1620.1, 'USD']]);
    const cards = await get('card/cardholder_overview');
    assert.deepEqual(cards.body.content.map((h: { card_details: { card_id: string }[] }) => h.card_details.map((c) => c.card_id)), [[world.card]]);
  });
});
