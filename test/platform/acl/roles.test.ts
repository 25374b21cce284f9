import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, startServer, type TestServer } from '../../support/server.ts';

describe('access control by authority and ownership', () => {
  let server: TestServer;
  let accountTypeId: string;
  const users: Record<string, { id: string; token: string }> = {};
  const records: Record<string, string> = {};

  async function user(name: string, authorities: string[], extra: Record<string, unknown> = {}) {
    const password = `pw-${name}-long-enough`;
    const created = await server.request('POST', '/nucleus/v1/client', {
      body: { username: `${name}@example.com`, client_type: 'individual', password, authorities, ...extra },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const login = await server.token(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, { grant_type: 'password', username: `${name}@example.com`, password });
    assert.equal(login.status, 200);
    users[name] = { id: created.body.id, token: login.body.access_token };
  }

  async function account(name: string, holders: [string, string][]) {
    const created = await server.request('POST', '/nucleus/v1/account', {
      body: {
        name,
        account_type_id: accountTypeId,
        clients: holders.map(([holder, type]) => ({ client_id: users[holder].id, client_account_association_type: type })),
      },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    records[name] = created.body.id;
    const portfolio = await server.request('POST', '/nucleus/v1/portfolio', { body: { name: `${name} portfolio`, account_id: created.body.id, percentage: 100 } });
    assert.equal(portfolio.status, 201);
    records[`${name} portfolio`] = portfolio.body.id;
  }

  const as = (name: string) => ({ token: users[name].token });
  const ids = (page: { content: { id: string }[] }) => page.content.map((r) => r.id).sort();

  before(async () => {
    server = await startServer();
    accountTypeId = (await server.request('POST', '/nucleus/v1/account_type', { body: { name: 'Brokerage' } })).body.id;
    await user('alice', ['ROLE_CLIENT']);
    await user('bob', ['ROLE_CLIENT']);
    await user('viewer', ['ROLE_CLIENT']);
    await user('advisor', ['ROLE_ADVISOR']);
    await user('support', ['ROLE_SUPPORT']);
    await user('ops', ['ROLE_OPERATIONS']);
    await account('alice main', [['alice', 'owner'], ['viewer', 'viewer'], ['advisor', 'advisor']]);
    await account('bob main', [['bob', 'owner']]);
    const security = await server.request('POST', '/nucleus/v1/security', { body: { name: 'Index fund', ticker: 'IDX' } });
    records.security = security.body.id;
  });
  after(() => server.close());

  it('derives account permissions from the clients named on the account', async () => {
    const list = await server.request('GET', `/nucleus/v1/account_permission?filter=account_id==${records['alice main']}`);
    assert.equal(list.body.total_elements, 1);
    const grants = Object.fromEntries(list.body.content[0].clients.map((g: { client_id: string; permission_type: string }) => [g.client_id, g.permission_type]));
    assert.equal(grants[users.alice.id], 'FULL_AUTHORITY');
    assert.equal(grants[users.viewer.id], 'INQUIRY_ACCESS');
    const audited = await server.db.query<{ doc: { request: string; request_url: string } }>(
      `SELECT doc FROM nucleus_audit_log WHERE doc->'account_ids' ? $1 AND doc->>'request' LIKE '%"actor":"system"%'`,
      [records['alice main']],
    );
    assert.equal(audited.length, 1, 'the list written for the account is audited once, as the system');
    const request = JSON.parse(audited[0].doc.request);
    assert.match(request.reason, /permission list follows the clients named on account/);
    assert.equal(request.method, 'POST', 'on behalf of the request that created the account');
    assert.equal(audited[0].doc.request_url, '/nucleus/v1/account');
  });

  it('shows a client only its own records, and 404 for anything else', async () => {
    const accounts = await server.request('GET', '/nucleus/v1/account', as('alice'));
    assert.equal(accounts.status, 200);
    assert.deepEqual(ids(accounts.body), [records['alice main']]);
    const clients = await server.request('GET', '/nucleus/v1/client', as('alice'));
    assert.deepEqual(ids(clients.body), [users.alice.id]);
    const portfolios = await server.request('GET', '/nucleus/v1/portfolio', as('alice'));
    assert.deepEqual(ids(portfolios.body), [records['alice main portfolio']]);
    assert.equal((await server.request('GET', `/nucleus/v1/account/${records['bob main']}`, as('alice'))).status, 404);
    assert.equal((await server.request('GET', `/nucleus/v1/client/${users.bob.id}`, as('alice'))).status, 404);
    assert.equal((await server.request('GET', `/nucleus/v1/portfolio/${records['bob main portfolio']}`, as('alice'))).status, 404);
    const filtered = await server.request('GET', `/nucleus/v1/account?filter=${encodeURIComponent(`id==${records['bob main']}`)}`, as('alice'));
    assert.equal(filtered.body.total_elements, 0, 'a filter cannot reach past the scope');
  });

  it('lets every caller read the firm-wide reference data', async () => {
    const securities = await server.request('GET', '/nucleus/v1/security', as('alice'));
    assert.deepEqual(ids(securities.body), [records.security]);
    const types = await server.request('GET', '/nucleus/v1/account_type', as('bob'));
    assert.equal(types.body.total_elements, 1);
  });

  it('lets a client write its own records only, as far as its permission goes', async () => {
    const own = await server.request('POST', '/nucleus/v1/portfolio', {
      ...as('alice'),
      body: { name: 'second', account_id: records['alice main'], percentage: 0 },
    });
    assert.equal(own.status, 201, JSON.stringify(own.body));
    const foreign = await server.request('POST', '/nucleus/v1/portfolio', {
      ...as('alice'),
      body: { name: 'sneaky', account_id: records['bob main'], percentage: 0 },
    });
    assert.equal(foreign.status, 403);
    const inquiryOnly = await server.request('POST', '/nucleus/v1/portfolio', {
      ...as('viewer'),
      body: { name: 'viewer', account_id: records['alice main'], percentage: 0 },
    });
    assert.equal(inquiryOnly.status, 403, 'INQUIRY_ACCESS reads but does not write');
    assert.equal((await server.request('GET', `/nucleus/v1/account/${records['alice main']}`, as('viewer'))).status, 200);
    const update = await server.request('PUT', `/nucleus/v1/client/${users.alice.id}`, { ...as('alice'), body: { first_name: 'Alice' } });
    assert.equal(update.status, 200);
    const escalate = await server.request('PUT', `/nucleus/v1/client/${users.alice.id}`, { ...as('alice'), body: { authorities: ['ROLE_ADMIN'] } });
    assert.equal(escalate.status, 403);
    const otherUpdate = await server.request('PUT', `/nucleus/v1/client/${users.bob.id}`, { ...as('alice'), body: { first_name: 'X' } });
    assert.equal(otherUpdate.status, 404);
    const newClient = await server.request('POST', '/nucleus/v1/client', { ...as('alice'), body: { username: 'x@example.com', client_type: 'individual' } });
    assert.equal(newClient.status, 403);
    const security = await server.request('POST', '/nucleus/v1/security', { ...as('alice'), body: { name: 'Mine', ticker: 'MINE' } });
    assert.equal(security.status, 403);
    const removeOther = await server.request('DELETE', `/nucleus/v1/portfolio/${records['bob main portfolio']}`, as('alice'));
    assert.equal(removeOther.status, 404);
  });

  it('lets an advisor reach the clients it shares an account with', async () => {
    const clients = await server.request('GET', '/nucleus/v1/client', as('advisor'));
    assert.deepEqual(ids(clients.body), [users.alice.id, users.viewer.id, users.advisor.id].sort());
    assert.equal((await server.request('GET', `/nucleus/v1/account/${records['bob main']}`, as('advisor'))).status, 404);
  });

  it('gives staff roles the whole tenant for what their role covers', async () => {
    const support = await server.request('GET', '/nucleus/v1/account', as('support'));
    assert.equal(support.body.total_elements, 2);
    const supportWrite = await server.request('POST', '/nucleus/v1/account_type', { ...as('support'), body: { name: 'Nope' } });
    assert.equal(supportWrite.status, 403);
    assert.equal(supportWrite.body.code, 'forbidden');
    const opsFunding = await server.request('PUT', `/nucleus/v1/portfolio/${records['bob main portfolio']}`, { ...as('ops'), body: { description: 'checked' } });
    assert.equal(opsFunding.status, 200);
    const opsClient = await server.request('PUT', `/nucleus/v1/client/${users.bob.id}`, { ...as('ops'), body: { first_name: 'Bobby' } });
    assert.equal(opsClient.status, 403);
    const audit = await server.request('GET', '/nucleus/v1/audit_log', as('support'));
    assert.equal(audit.status, 403, 'administration data is for administrators');
  });

  it('serves account permissions by account id, changed only by those allowed', async () => {
    const account = records['alice main'];
    const read = await server.request('GET', `/nucleus/v1/account_permission/${account}`);
    assert.equal(read.status, 200);
    assert.deepEqual(Object.keys(read.body).sort(), ['account_id', 'clients']);
    assert.equal(read.body.clients.length, 3);

    const viewerGrants = await server.request('POST', '/nucleus/v1/account_permission', {
      ...as('viewer'),
      body: { account_id: account, client_id: users.bob.id, permission_type: 'FULL_AUTHORITY' },
    });
    assert.equal(viewerGrants.status, 403, 'inquiry access cannot hand out authority');

    const ownerGrants = await server.request('POST', '/nucleus/v1/account_permission', {
      ...as('alice'),
      body: { account_id: account, client_id: users.bob.id, permission_type: 'INQUIRY_ACCESS' },
    });
    assert.equal(ownerGrants.status, 200, JSON.stringify(ownerGrants.body));
    assert.equal((await server.request('GET', `/nucleus/v1/account/${account}`, as('bob'))).status, 200, 'bob now reads it');

    const upgrade = await server.request('PUT', `/nucleus/v1/account_permission/${account}`, {
      body: { account_id: account, client_id: users.viewer.id, permission_type: 'LIMITED_AUTHORITY' },
    });
    assert.equal(upgrade.status, 200);
    const grant = upgrade.body.clients.find((g: { client_id: string }) => g.client_id === users.viewer.id);
    assert.equal(grant.permission_type, 'LIMITED_AUTHORITY');

    const badType = await server.request('PUT', `/nucleus/v1/account_permission/${account}`, {
      body: { client_id: users.viewer.id, permission_type: 'GOD_MODE' },
    });
    assert.equal(badType.status, 400);
    const otherAccount = await server.request('PUT', `/nucleus/v1/account_permission/${account}`, {
      body: { account_id: records['bob main'], client_id: users.viewer.id, permission_type: 'INQUIRY_ACCESS' },
    });
    assert.equal(otherAccount.status, 400);
    assert.equal(otherAccount.body.field, 'account_id');

    const revoke = await server.request('DELETE', `/nucleus/v1/account_permission/${account}?client_id=${users.bob.id}`);
    assert.equal(revoke.status, 200);
    assert.equal((await server.request('GET', `/nucleus/v1/account/${account}`, as('bob'))).status, 404, 'bob lost it again');

    assert.equal((await server.request('GET', `/nucleus/v1/account_permission/${records['bob main']}`, as('alice'))).status, 404);
    const other = await server.otherTenant();
    assert.equal((await server.request('GET', `/nucleus/v1/account_permission/${account}`, { token: other.token })).status, 404);
    assert.equal((await server.request('GET', `/nucleus/v1/account_permission/${account}`, { token: null })).status, 401);
  });
});
