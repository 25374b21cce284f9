import assert from 'node:assert/strict';
import { Program } from '../electron/program.ts';
import { eventually, type Receiver } from '../platform/webhooks/receiver.ts';
import type { HttpResult, RequestOptions, TestServer } from '../support/server.ts';

export const ADMIN = { ADMIN_CLIENT_ID: 'backup-admin', ADMIN_CLIENT_SECRET: 'backup-admin-secret' };

/** The API of a server process, as a program calls it, with the super-admin's token. */
export async function apiOf(url: string): Promise<TestServer> {
  const basic = Buffer.from(`${ADMIN.ADMIN_CLIENT_ID}:${ADMIN.ADMIN_CLIENT_SECRET}`).toString('base64');
  const issued = await fetch(`${url}/authorization/v1/oauth/token?grant_type=client_credentials`, { method: 'POST', headers: { authorization: `Basic ${basic}` } });
  assert.equal(issued.status, 200, await issued.clone().text());
  const { access_token } = (await issued.json()) as { access_token: string };
  async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<HttpResult<T>> {
    const response = await fetch(url + path, {
      method,
      headers: { authorization: `Bearer ${access_token}`, ...(options.body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : undefined) as T };
  }
  return { url, request } as unknown as TestServer;
}

/** Loaded onto the cards, one each: some cents, one cent, thousands. */
export const BALANCES = [125.5, 0.01, 9999.99];

/** What a restore must give back: the ids written, to read again after. */
export interface Written {
  clients: string[];
  accounts: string[];
  cards: string[];
  webhook: string;
  adminUser: number;
}

/**
 * Writes what an installation holds: clients with accounts and cards, money loaded onto the
 * cards through the sandbox ledger, a webhook whose deliveries all arrived, and an admin user
 * (numbered by a sequence, unlike every Nucleus record).
 */
export async function writeWorld(api: TestServer, receiver: Receiver): Promise<Written> {
  const hook = await api.request('POST', '/nucleus/v1/webhook', { body: { url: receiver.url, atom_service: ['client', 'card'] } });
  assert.equal(hook.status, 201, JSON.stringify(hook.body));
  const program = new Program(api);
  const written: Written = { clients: [], accounts: [], cards: [], webhook: hook.body.id, adminUser: 0 };
  for (const amount of BALANCES) {
    const owner = await program.activeCard();
    await program.load(owner.card, amount);
    written.clients.push(owner.client);
    written.accounts.push(owner.account);
    written.cards.push(owner.card);
  }
  const admin = await api.request('POST', '/admin/v1/client', { body: { username: `restored-${Date.now()}`, password: 'Restored-password-1', authorities: 'ROLE_ADMIN' } });
  assert.equal(admin.status, 201, JSON.stringify(admin.body));
  written.adminUser = admin.body.id;
  await eventually(
    () => api.request('GET', `/nucleus/v1/webhook/${written.webhook}/delivery?size=200`),
    (r) => r.body.total_elements > 0 && r.body.content.every((d: { status: string }) => d.status === 'delivered'),
    30_000,
  );
  return written;
}

/** Everything a restore must bring back, read over HTTP, in a form to compare. */
export async function readWorld(api: TestServer, written: Written): Promise<Record<string, unknown>> {
  const get = async (path: string) => {
    const result = await api.request('GET', path);
    assert.equal(result.status, 200, `${path}: ${JSON.stringify(result.body)}`);
    return result.body;
  };
  const world: Record<string, unknown> = {
    clients: await get('/nucleus/v1/client?size=200&order_by=id'),
    accounts: await get('/nucleus/v1/account?size=200&order_by=id'),
    cards: await get('/nucleus/v1/card?size=200&order_by=id'),
    fundings: await get('/nucleus/v1/funding?size=200&order_by=id'),
    reserve: await get('/electron/v1/card/reserve'),
    deliveries: await get(`/nucleus/v1/webhook/${written.webhook}/delivery?size=200&ascending=true`),
    adminUser: await get(`/admin/v1/client/${written.adminUser}`),
  };
  for (const card of written.cards) world[`card ${card} transactions`] = await get(`/nucleus/v1/card/${card}/transaction?size=200`);
  return world;
}

/**
 * What only a working restore allows next: the ledger pays out exactly each card's balance and
 * not a cent more, and new records get fresh numbers from the restored sequences.
 */
export async function useRestored(api: TestServer, written: Written, balances: number[]): Promise<void> {
  const program = new Program(api);
  for (const [index, card] of written.cards.entries()) {
    const overdrawn = await program.electron('POST', '/card/unload', { nucleus_funding_id: await program.funding(card, balances[index] + 0.01, false) });
    assert.equal(overdrawn.status, 409, JSON.stringify(overdrawn.body));
    const emptied = await program.ok('POST', '/card/unload', { nucleus_funding_id: await program.funding(card, balances[index], false) });
    assert.equal(emptied.vendor_response.balance, 0);
  }
  const admin = await api.request('POST', '/admin/v1/client', { body: { username: `after-restore-${Date.now()}`, password: 'Restored-password-2', authorities: 'ROLE_ADMIN' } });
  assert.equal(admin.status, 201, JSON.stringify(admin.body));
  assert.ok(admin.body.id > written.adminUser);
}
