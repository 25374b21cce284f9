import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, type TestServer } from '../../support/server.ts';
import { buildStores } from '../../../src/platform/entity/registry.ts';
import { AccessControl } from '../../../src/platform/acl/access-control.ts';
import { nucleusEntities } from '../../../src/nucleus/entities.ts';
import { EntityReader } from '../../../src/platform/read/entity-reader.ts';

/** The day `offset` days after 2024-01-01 (a Monday). */
export function dayAfterStart(offset: number): string {
  return new Date(Date.UTC(2024, 0, 1 + offset)).toISOString().slice(0, 10);
}

/** Creates a security and one price per consecutive day from 2024-01-01; returns its id. */
export async function securityWithPrices(server: TestServer, ticker: string, prices: readonly number[], extra: Record<string, unknown> = {}, token?: string): Promise<string> {
  const security = await server.request('POST', '/nucleus/v1/security', { body: { name: ticker, ticker, ...extra }, token });
  assert.equal(security.status, 201, JSON.stringify(security.body));
  const id = security.body.id as string;
  for (let start = 0; start < prices.length; start += 20) {
    await Promise.all(
      prices.slice(start, start + 20).map(async (price, i) => {
        const created = await server.request('POST', '/nucleus/v1/security_price', {
          body: { security_id: id, price, date: `${dayAfterStart(start + i)}T00:00:00.000Z` },
          token,
        });
        assert.equal(created.status, 201, JSON.stringify(created.body));
      }),
    );
  }
  return id;
}

/** Prices that start at 100 and move by the given returns in turn. */
export function pricesFromReturns(returns: readonly number[]): number[] {
  const prices = [100];
  for (const r of returns) prices.push(prices[prices.length - 1] * (1 + r));
  return prices;
}

/** A reader with the first tenant's super-admin rights, for calling the market module directly. */
export async function adminReader(server: TestServer): Promise<EntityReader> {
  const stores = buildStores(nucleusEntities);
  const acl = new AccessControl(new Map(stores.map((s) => [s.declaration.name, s.declaration])));
  const [row] = await server.db.query<{ tenant_id: string }>('SELECT tenant_id::text AS tenant_id FROM nucleus_security LIMIT 1');
  const auth = { tenantId: row.tenant_id, credentialId: 'test', clientId: null, authorities: ['ROLE_SUPER_ADMIN'], scopes: [] };
  return EntityReader.asCaller({ db: server.db, stores: new Map(stores.map((s) => [s.declaration.name, s])), acl }, auth);
}

/** Creates a Nucleus record as the tenant's admin and returns its id. */
export async function create(server: TestServer, entity: string, body: Record<string, unknown>): Promise<string> {
  const created = await server.request('POST', `/nucleus/v1/${entity}`, { body });
  assert.equal(created.status, 201, `${entity}: ${JSON.stringify(created.body)}`);
  return created.body.id as string;
}

/** A Nucleus client with a ROLE_CLIENT login, and its bearer token. */
export async function clientLogin(server: TestServer): Promise<{ id: string; token: string }> {
  const name = `user-${randomBytes(4).toString('hex')}@portfolio.test`;
  const password = `${name}-Pass-word-1`;
  const id = await create(server, 'client', { username: name, client_type: 'individual', password, authorities: ['ROLE_CLIENT'] });
  const login = await server.token(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, { grant_type: 'password', username: name, password });
  assert.equal(login.status, 200, JSON.stringify(login.body));
  return { id, token: login.body.access_token as string };
}

/** An account of the client (none when absent) with one portfolio on a fresh model. */
export async function clientPortfolio(server: TestServer, clientId?: string): Promise<{ account: string; portfolio: string; model: string }> {
  const accountType = await create(server, 'account_type', { name: `Brokerage ${randomBytes(3).toString('hex')}` });
  const account = await create(server, 'account', {
    name: 'Brokerage',
    account_type_id: accountType,
    ...(clientId ? { clients: [{ client_id: clientId, client_account_association_type: 'owner' }] } : {}),
  });
  const model = await create(server, 'model', { name: 'Model' });
  const portfolio = await create(server, 'portfolio', { name: 'Main', account_id: account, percentage: 100, model_id: model });
  return { account, portfolio, model };
}

/** Creates a security with prices on the given days. */
export async function securityPricedOn(server: TestServer, ticker: string, prices: readonly [string, number][]): Promise<string> {
  const id = await create(server, 'security', { name: ticker, ticker });
  for (const [day, price] of prices) await create(server, 'security_price', { security_id: id, price, date: `${day}T00:00:00.000Z` });
  return id;
}
