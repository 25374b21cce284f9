import type { TestServer } from '../../support/server.ts';

/** Two client logins of one tenant, each owning an account, for the access rule of an endpoint. */
export async function twoClients(server: TestServer, tag: string) {
  const type = await server.request('POST', '/nucleus/v1/account_type', { body: { name: `Savings ${tag}` } });
  const people: Record<'owner' | 'outsider', { id: string; account: string; token: string }> = {} as never;
  for (const name of ['owner', 'outsider'] as const) {
    const username = `${name}-${tag}@simulation.test`;
    const password = `${name}-Pass-word-1`;
    const client = await server.request('POST', '/nucleus/v1/client', {
      body: { username, client_type: 'individual', password, authorities: ['ROLE_CLIENT'] },
    });
    const account = await server.request('POST', '/nucleus/v1/account', {
      body: { name, account_type_id: type.body.id, clients: [{ client_id: client.body.id, client_account_association_type: 'owner' }] },
    });
    const login = await server.token('test-admin', 'test-admin-secret', { grant_type: 'password', username, password });
    people[name] = { id: client.body.id, account: account.body.id, token: login.body.access_token };
  }
  return people;
}
