import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startServer, type TestServer } from '../support/server.ts';
import { requestFrom } from '../support/from-address.ts';
import { assertPagesClean, launchBrowser, openPage, screenshot, screenshots, signIn, PHONE, type Watch, signedInAdmin } from './browser.ts';

const PASSWORD = 'Admin-password-1';
const XSS = `<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>"'&`;

describe('console: API credentials', () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let watch: Watch;
  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    ({ context, page, watch } = await signedInAdmin(browser, server, PASSWORD));
  });
  afterEach(assertPagesClean);
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('creates a credential and shows its secret once, which then obtains a token', async () => {
    await page.goto(`${server.url}/console/credentials`);
    await page.getByRole('link', { name: 'New credential' }).click();
    assert.equal(await page.getByRole('checkbox', { name: 'metrics' }).count(), 0, 'only the operator tool grants the metrics app');
    await page.getByLabel('Name').fill('mobile app');
    await page.getByRole('checkbox', { name: 'ROLE_SUPPORT' }).check();
    await page.getByRole('checkbox', { name: 'electron' }).uncheck();
    await page.getByLabel(/IP allowlist/).fill('127.0.0.1\n10.0.0.0/8');
    await page.getByRole('button', { name: 'Create the credential' }).click();
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Credential created');
    const clientId = (await page.locator('#client-id').textContent())!.trim();
    const secret = (await page.locator('#client-secret').textContent())!.trim();
    assert.match(secret, /^[A-Za-z0-9_-]{43}$/);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    await page.getByRole('button', { name: 'Copy the secret' }).click();
    await page.getByText('Copied').waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), secret);
    await screenshots(page, 'credential-secret');

    const token = await server.token(clientId, secret, { grant_type: 'client_credentials' });
    assert.equal(token.status, 200, 'the secret shown works');
    assert.equal(token.body.apps, 'nucleus,proton,hydro');
    // The allowlist set in the form holds: the same token from another loopback address is refused.
    const port = Number(new URL(server.url).port);
    const bearer = { authorization: `Bearer ${token.body.access_token}` };
    assert.equal((await requestFrom('127.0.0.1', port, 'GET', '/nucleus/v1/client?size=1', { headers: bearer })).status, 200);
    const elsewhere = await requestFrom('127.0.0.2', port, 'GET', '/nucleus/v1/client?size=1', { headers: bearer });
    assert.equal(elsewhere.status, 403, JSON.stringify(elsewhere.body));

    await page.getByRole('link', { name: 'Go to the credential' }).click();
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Credential mobile app');
    assert.equal((await page.content()).includes(secret), false, 'the secret is never shown again');
    assert.match(await page.locator('dl.fields').innerText(), /127\.0\.0\.1, 10\.0\.0\.0\/8/);
    await screenshots(page, 'credential');
  });

  it('edits, rotates with a grace period, and revokes', async () => {
    await page.goto(`${server.url}/console/credentials?filter=${encodeURIComponent('name=="mobile app"')}`);
    await page.getByRole('link', { name: 'mobile app' }).click();
    const clientId = (await page.locator('dl.fields code').first().textContent())!.trim();
    await page.getByLabel('Rate limit').fill('not a number');
    watch.expect(400, new URL(page.url()).pathname);
    await page.getByRole('button', { name: 'Save' }).click();
    assert.match(await page.getByRole('alert').innerText(), /rate_limit/, "the API's refusal is shown");
    await page.getByLabel('Rate limit').fill('500');
    await page.getByLabel(/IP allowlist/).fill('');
    await page.getByRole('button', { name: 'Save' }).click();
    assert.match(await page.getByRole('status').innerText(), /saved/);
    assert.match(await page.locator('dl.fields').innerText(), /Rate limit\s+500/);
    assert.match(await page.locator('dl.fields').innerText(), /every address/);

    await page.getByLabel(/Grace period/).fill('0');
    await page.getByRole('button', { name: 'Rotate' }).click();
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Secret rotated');
    const rotated = (await page.locator('#client-secret').textContent())!.trim();
    assert.equal((await server.token(clientId, rotated, { grant_type: 'client_credentials' })).status, 200);

    await page.getByRole('link', { name: 'Go to the credential' }).click();
    await page.getByRole('button', { name: 'Revoke the credential' }).click();
    assert.match(await page.getByRole('status').innerText(), /revoked/);
    assert.match(await page.locator('dl.fields').innerText(), /revoked since/i);
    assert.equal((await server.token(clientId, rotated, { grant_type: 'client_credentials' })).status, 401, 'revoked for good');
    const trail = await server.request('GET', '/admin/v1/audit_trail', { query: undefined } as never);
    const actions = (trail.body.content as { action: string; actor: { admin_user_id: string | null } }[]).slice(0, 4);
    assert.deepEqual(actions.map((a) => a.action), ['credential_revoked', 'credential_rotated', 'credential_allowlist_changed', 'credential_updated']);
    assert.ok(actions.every((a) => a.actor.admin_user_id !== null), "the audit trail names the console's user");
  });

  it('pages and filters through the API', async () => {
    for (let i = 0; i < 12; i++) {
      const created = await server.request('POST', '/admin/v1/api_credential', { body: { name: `batch ${String(i).padStart(2, '0')}`, authorities: ['ROLE_SUPPORT'] } });
      assert.equal(created.status, 201);
    }
    await page.goto(`${server.url}/console/credentials`);
    await page.getByLabel(/Filter/).fill('name=like=batch*');
    await page.getByLabel('Per page').selectOption('10');
    await page.getByRole('button', { name: 'Show' }).click();
    assert.match(await page.locator('.pager').innerText(), /Page 1 of 2 \(12 in all\)/);
    assert.equal(await page.locator('tbody tr').count(), 10);
    await page.getByRole('link', { name: 'Next page' }).click();
    assert.match(await page.locator('.pager').innerText(), /Page 2 of 2/);
    assert.equal(await page.locator('tbody tr').count(), 2);
    assert.match(page.url(), /filter=name%3Dlike%3Dbatch\*/);
    await page.goto(`${server.url}/console/credentials?filter=${encodeURIComponent('name=bogus=1')}`);
    assert.equal(await page.getByRole('alert').count(), 1, "a malformed filter shows the API's refusal");
  });

  it('shows hostile text as text', async () => {
    const created = await server.request('POST', '/admin/v1/api_credential', { body: { name: XSS, authorities: ['ROLE_SUPPORT'] } });
    assert.equal(created.status, 201);
    await page.goto(`${server.url}/console/credentials?filter=${encodeURIComponent(`id==${created.body.id}`)}`);
    assert.equal(await page.locator('tbody a').first().textContent(), XSS);
    await page.locator('tbody a').first().click();
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), `Credential ${XSS}`);
    assert.equal(await page.getByLabel('Name').inputValue(), XSS);
    assert.equal(await page.evaluate(() => (window as { __xss?: number }).__xss), undefined);
    assert.equal(await page.locator('img[src="x"]').count(), 0);
    await page.goto(`${server.url}/console/credentials?filter=${encodeURIComponent(`"><script>window.__xss=3</script>`)}`);
    assert.equal(await page.evaluate(() => (window as { __xss?: number }).__xss), undefined);
  });

  it('reads at phone width', async () => {
    const { context: phone, page: small } = await openPage(browser, { viewport: PHONE, isMobile: true, hasTouch: true });
    await signIn(small, server, 'ada', PASSWORD);
    await small.waitForURL(/\/console$/);
    for (const path of ['/console', '/console/credentials', '/console/credentials/new']) {
      await small.goto(server.url + path);
      const overflow = await small.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${path} is ${overflow}px wider than the phone`);
    }
    assert.equal(await small.locator('header .badge').isVisible(), true, 'the environment is marked on a phone too');
    await small.goto(`${server.url}/console/credentials`);
    await screenshot(small, 'phone-credentials');
    await phone.close();
  });
});
