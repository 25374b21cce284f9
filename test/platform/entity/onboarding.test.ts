import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../../support/server.ts';

/** Hydrogen's onboarding flow with the JSON its documentation sends: client, account, portfolio. */
describe('onboarding flow', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  it('signs up a client, opens an account for it and creates its portfolio', async () => {
    const client = await server.request('POST', '/nucleus/v1/client', {
      body: {
        email: 'jd@email.com',
        username: 'jd@email.com',
        password: 'a-strong-password',
        authorities: ['ROLE_CLIENT'],
        client_type: 'individual',
        title: 'Mrs.',
        first_name: 'Jane',
        middle_name: 'Mary',
        last_name: 'Doe',
        phone_number: '987-765-1244',
        date_of_birth: '1971-12-27',
        identification_number: '123-44-5566',
        country_of_residence: 'US',
        is_verified: true,
        hydro_id: '10lm4nz',
        is_active: true,
        metadata: { median_household_income: '10000', net_worth: '100000', occupation: 'Business Owner' },
        address: [
          {
            address_line1: '3 Downtown Street',
            address_line2: '',
            city: 'New York',
            type: 'Home',
            postalcode: '01191',
            country: 'US',
            state: 'NY',
          },
        ],
        employment: { employer: 'Acme', employment_status: 'employed', job_title: 'CFO', occupation: 'Finance' },
      },
    });
    assert.equal(client.status, 201, JSON.stringify(client.body));
    assert.match(client.body.id, /^[0-9a-f-]{36}$/);
    assert.equal(client.body.address[0].city, 'New York');
    assert.equal(client.body.metadata.occupation, 'Business Owner');
    assert.equal(client.body.employment.job_title, 'CFO');
    assert.equal(client.body.password, undefined);
    assert.equal(new Date(client.body.create_date).toISOString(), client.body.create_date);
    assert.equal(client.body.create_date, client.body.update_date);

    const accountType = await server.request('POST', '/nucleus/v1/account_type', {
      body: { name: 'Taxable', short_name: 'TAX', category: 'Investment', is_taxable: true },
    });
    assert.equal(accountType.status, 201);
    assert.equal(accountType.body.is_active, true, 'spec default applied');

    const account = await server.request('POST', '/nucleus/v1/account', {
      body: {
        name: 'Investment Account 60',
        account_type_id: accountType.body.id,
        clients: [{ client_id: client.body.id, client_account_association_type: 'owner' }],
      },
    });
    assert.equal(account.status, 201, JSON.stringify(account.body));
    assert.deepEqual(account.body.clients, [{ client_id: client.body.id, client_account_association_type: 'owner' }]);

    const portfolio = await server.request('POST', '/nucleus/v1/portfolio', {
      body: { name: 'Investment Account 60', account_id: account.body.id, percentage: 100, description: 'Stocks and bonds' },
    });
    assert.equal(portfolio.status, 201, JSON.stringify(portfolio.body));
    assert.equal(portfolio.body.percentage, 100);
    assert.equal(portfolio.body.is_subledger, false);

    const accountsOfClient = await server.request('GET', `/nucleus/v1/account?filter=clients.client_id==${client.body.id}`);
    assert.equal(accountsOfClient.body.total_elements, 1);
    assert.equal(accountsOfClient.body.content[0].id, account.body.id);

    const login = await server.token('test-admin', 'test-admin-secret', {
      grant_type: 'password',
      username: 'jd@email.com',
      password: 'a-strong-password',
    });
    assert.equal(login.status, 200);
  });
});
