import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, type TestServer } from '../../support/server.ts';

/** Creates a Nucleus record as the tenant's admin and returns its id. */
export async function create(server: TestServer, entity: string, body: Record<string, unknown>): Promise<string> {
  const created = await server.request('POST', `/nucleus/v1/${entity}`, { body });
  assert.equal(created.status, 201, `${entity}: ${JSON.stringify(created.body)}`);
  return created.body.id as string;
}

/** A Nucleus client with a login of the given authority, and its bearer token. */
export async function clientLogin(server: TestServer, authority: 'ROLE_CLIENT' | 'ROLE_BUSINESS_OWNER'): Promise<{ id: string; token: string }> {
  const name = `user-${randomBytes(4).toString('hex')}@business.test`;
  const password = `${name}-Pass-word-1`;
  const id = await create(server, 'client', { username: name, client_type: 'individual', password, authorities: [authority] });
  const login = await server.token(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, { grant_type: 'password', username: name, password });
  assert.equal(login.status, 200, JSON.stringify(login.body));
  return { id, token: login.body.access_token as string };
}

/** A business owned by the given client. */
export function business(server: TestServer, ownerId: string, name = 'Acme Widgets LLC'): Promise<string> {
  return create(server, 'business', { legal_name: name, ownership: [{ client_id: ownerId, role: 'owner', is_primary: true, percent_ownership: 100 }] });
}

/** A customer of a business. */
export function customer(server: TestServer, businessId: string, name: string, extra: Record<string, unknown> = {}): Promise<string> {
  return create(server, 'contact', { company_name: name, business_id: businessId, is_customer: true, ...extra });
}

export async function fxRate(server: TestServer, from: string, to: string, date: string, rate: number): Promise<void> {
  const result = await server.request('POST', '/nucleus/v1/resource/fx_rate', {
    body: [{ currency_code_from: from, currency_code_to: to, date: `${date}T00:00:00Z`, exchange_rate: rate }],
  });
  assert.equal(result.status, 201, JSON.stringify(result.body));
}

/** Posts to a business analysis. */
export function analyze(server: TestServer, operation: string, body: Record<string, unknown>, token?: string | null) {
  return server.request('POST', `/proton/v1/business/${operation}`, { body, ...(token === undefined ? {} : { token }) });
}

/** The answers every analysis owes besides its result: a 400 naming the field, a 401 without a token. */
export async function checkErrors(server: TestServer, operation: string, valid: Record<string, unknown>, invalid: { body: Record<string, unknown>; field: string }[]): Promise<void> {
  for (const { body, field } of invalid) {
    const bad = await analyze(server, operation, body);
    assert.equal(bad.status, 400, `${field}: ${JSON.stringify(bad.body)}`);
    assert.equal(bad.body.field, field, JSON.stringify(bad.body));
  }
  const anonymous = await analyze(server, operation, valid, null);
  assert.equal(anonymous.status, 401);
}
