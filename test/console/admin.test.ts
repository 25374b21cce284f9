import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { Secret, TOTP } from 'otpauth';
import { ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, startServer, type TestServer } from '../support/server.ts';
import { assertPagesClean, launchBrowser, openPage, screenshots, signIn, type Watch, signedInAdmin } from './browser.ts';

const PASSWORD = 'Admin-password-1';

describe('console: admin users, the management audit trail and the API audit log', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let watch: Watch;
  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    ({ page, watch } = await signedInAdmin(browser, server, PASSWORD));
  });
  afterEach(assertPagesClean);
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('creates an admin user who must use 2FA, changes its authorities, and resets its second factor', async () => {
    await page.goto(`${server.url}/console/users`);
    await page.getByRole('link', { name: 'New admin user' }).click();
    await page.getByLabel('Username').fill('linus');
    await page.getByLabel('Password').fill('short');
    watch.expect(400, '/console/users');
    await page.getByRole('checkbox', { name: 'ROLE_SUPPORT' }).check();
    await page.getByRole('checkbox', { name: /Require a second factor/ }).check();
    await page.getByRole('button', { name: 'Create the admin user' }).click();
    assert.equal(await page.getByRole('alert').count(), 1, "the API's password rules are shown");
    assert.equal(await page.getByRole('checkbox', { name: 'ROLE_SUPPORT' }).isChecked(), true, 'what was entered is kept');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create the admin user' }).click();
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Admin user linus');
    assert.match(await page.locator('dl.fields').innerText(), /required, not set up yet/);

    await page.getByRole('checkbox', { name: 'ROLE_OPERATIONS' }).check();
    await page.getByRole('button', { name: 'Save' }).click();
    assert.match(await page.getByRole('status').innerText(), /saved/);
    assert.match(await page.locator('dl.fields').innerText(), /ROLE_OPERATIONS, ROLE_SUPPORT/);
    const id = page.url().match(/\/console\/users\/(\d+)/)![1];

    // linus enrols an authenticator through the API, then loses it.
    const login = await server.token(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, { grant_type: 'password', username: 'linus', password: PASSWORD });
    const mfaToken = login.body.mfa_token as string;
    const started = await server.request('POST', '/admin/v1/mfa/totp', { token: mfaToken });
    const code = new TOTP({ secret: Secret.fromBase32(started.body.secret) }).generate();
    assert.equal((await server.request('POST', '/admin/v1/mfa/totp/confirm', { token: mfaToken, body: { otp: code } })).status, 200);
    await page.reload();
    assert.match(await page.locator('dl.fields').innerText(), /required, set up/);
    await page.getByRole('button', { name: 'Reset the second factor' }).click();
    assert.match(await page.getByRole('status').innerText(), /second factors were removed/);
    assert.match(await page.locator('dl.fields').innerText(), /required, not set up yet/);
    await screenshots(page, 'admin-user');

    const listed = await server.request('GET', `/admin/v1/client/${id}`);
    assert.equal(listed.body.authorities, 'ROLE_OPERATIONS,ROLE_SUPPORT');
  });

  it('lists the audit trail by action and date, and opens one record', async () => {
    await page.goto(`${server.url}/console/audit`);
    await page.getByLabel('Action').selectOption('mfa_reset');
    const today = new Date().toISOString().slice(0, 10);
    await page.getByLabel('From').fill(today);
    await page.getByLabel(/To/).fill(today);
    await page.getByRole('button', { name: 'Show' }).click();
    assert.equal(await page.locator('tbody tr').count(), 1);
    assert.match(await page.locator('tbody').innerText(), /mfa_reset\s+admin user \d+\s+admin user \d+ from 127\.0\.0\.1/);
    await screenshots(page, 'audit');
    await page.locator('tbody a').first().click();
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Audit record: mfa_reset');
    assert.match(await page.locator('pre').first().innerText(), /"factors_removed"/);

    await page.goto(`${server.url}/console/audit?from=2000-01-01&to=2000-01-02`);
    assert.match(await page.locator('main').innerText(), /Nothing to show/);
  });

  it('lists the API audit log by client, account, method, status and date, and opens one record', async () => {
    const client = async (first: string) => {
      const created = await server.request('POST', '/nucleus/v1/client', { body: { first_name: first, username: `${first}@example.com`, client_type: 'individual' } });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      return created.body.id as string;
    };
    const [grace, alan] = [await client('grace'), await client('alan')];
    const renamed = await server.request('PUT', `/nucleus/v1/client/${grace}`, { body: { last_name: 'Hopper' } });
    assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
    const type = await server.request('POST', '/nucleus/v1/account_type', { body: { name: 'Brokerage' } });
    const account = await server.request('POST', '/nucleus/v1/account', {
      body: { name: 'Joint', account_type_id: type.body.id, clients: [{ client_id: alan, client_account_association_type: 'owner' }] },
    });
    assert.equal(account.status, 201, JSON.stringify(account.body));

    await page.goto(`${server.url}/console`);
    await page.getByRole('link', { name: 'API audit log' }).click();
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'API audit log');
    await page.getByLabel('Client id').fill(grace);
    await page.getByRole('button', { name: 'Show' }).click();
    assert.equal(await page.locator('tbody tr').count(), 2, "the client's create and update");
    await page.getByLabel('Method').selectOption('PUT');
    await page.getByLabel('Status').fill('200');
    const today = new Date().toISOString().slice(0, 10);
    await page.getByLabel('From').fill(today);
    await page.getByLabel(/To/).fill(today);
    await page.getByRole('button', { name: 'Show' }).click();
    assert.equal(await page.locator('tbody tr').count(), 1);
    assert.match(await page.locator('tbody').innerText(), new RegExp(`PUT\\s+/nucleus/v1/client/${grace}\\s+200`));
    await screenshots(page, 'api-audit');
    await page.locator('tbody a').first().click();
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'API audit record: PUT 200');
    assert.match(await page.locator('dl.fields').innerText(), new RegExp(`Touched\\s+client ${grace}`));
    assert.match(await page.locator('pre').innerText(), /"last_name": "Hopper"/);

    await page.goto(`${server.url}/console/api-audit?account_id=${account.body.id}`);
    assert.equal(await page.locator('tbody tr').count(), 2, "the account's create, and its permission list the server wrote after it");
    const rows = await page.locator('tbody tr').allInnerTexts();
    assert.ok(rows.some((row) => /POST\s+\/nucleus\/v1\/account\s+201\s+the server/.test(row)), rows.join('\n'));
    assert.ok(rows.some((row) => /POST\s+\/nucleus\/v1\/account\s+201\s+(?!the server)\S+/.test(row)), rows.join('\n'));
    await page.locator('tbody tr', { hasText: 'the server' }).locator('a').click();
    const fields = await page.locator('dl.fields').innerText();
    assert.match(fields, /By\s+the server: the permission list follows the clients named on account/);
    assert.match(fields, /On behalf of credential\s+\S/);
    assert.doesNotMatch(fields, /On behalf of credential\s+—/);
    await page.goto(`${server.url}/console/api-audit?client_id=${grace}&from=2000-01-01&to=2000-01-02`);
    assert.match(await page.locator('main').innerText(), /Nothing to show/);
    await page.goto(`${server.url}/console/api-audit?client_id=not-an-id`);
    assert.match(await page.getByRole('alert').innerText(), /client id/);
    await page.getByRole('link', { name: 'Management audit', exact: true }).click();
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Management audit trail');
  });

  it('shows what the API refuses a user, and lets it do nothing more', async () => {
    const created = await server.request('POST', '/admin/v1/client', { body: { username: 'support', password: PASSWORD, authorities: 'ROLE_ADMIN' } });
    assert.equal(created.status, 201);
    const { context: other, page: small } = await openPage(browser);
    await signIn(small, server, 'support', PASSWORD);
    await small.waitForURL(/\/console$/);
    await small.goto(`${server.url}/console/audit`);
    assert.match(await small.getByRole('alert').innerText(), /Only ROLE_SUPER_ADMIN may read the admin audit trail/);
    await small.goto(`${server.url}/console/users`);
    const ada = small.getByRole('link', { name: 'ada' });
    await ada.click();
    small.on('dialog', (dialog) => void dialog.accept());
    await small.getByRole('button', { name: 'Reset the second factor' }).click();
    assert.match(await small.getByRole('alert').innerText(), /ROLE_SUPER_ADMIN/);
    await other.close();
  });
  it('resets the sandbox from the overview once its name is typed, keeping the session', async () => {
    const client = await server.request('POST', '/nucleus/v1/client', { body: { first_name: 'Gone', last_name: 'Soon', username: 'gone@example.com', email: 'gone@example.com', client_type: 'individual' } });
    assert.equal(client.status, 201);
    await page.goto(`${server.url}/console`);
    await page.getByLabel(/to confirm/).fill('not-the-name');
    watch.expect(400, '/console/reset');
    await page.getByRole('button', { name: 'Reset the sandbox' }).click();
    assert.match(await page.getByRole('alert').innerText(), /confirm/);
    await page.getByLabel(/to confirm/).fill('default');
    await page.getByRole('button', { name: 'Reset the sandbox' }).click();
    assert.match(await page.getByRole('status').first().innerText(), /The sandbox was reset: \d+ records removed/);
    assert.equal((await server.request('GET', `/nucleus/v1/client/${client.body.id}`)).status, 404);
    await page.goto(`${server.url}/console/credentials`);
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'API credentials', 'still signed in');
  });
});
