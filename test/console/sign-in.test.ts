import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { Secret, TOTP } from 'otpauth';
import { startServer, type TestServer } from '../support/server.ts';
import { tokenHash } from '../../src/platform/auth/tokens.ts';
import { assertPagesClean, launchBrowser, openPage, screenshots, signIn } from './browser.ts';

const PASSWORD = 'Admin-password-1';

function codeOf(secret: string, steps = 0): string {
  return new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: Date.now() + steps * 30_000 });
}

describe('console sign-in and sessions', () => {
  let server: TestServer;
  let browser: Browser;
  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    for (const username of ['ada', 'grace']) {
      const created = await server.request('POST', '/admin/v1/client', { body: { username, password: PASSWORD, authorities: 'ROLE_SUPER_ADMIN' } });
      assert.equal(created.status, 201, JSON.stringify(created.body));
    }
  });
  afterEach(assertPagesClean);
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('signs in with the keyboard alone, marks the environment on the page, and signs out', async () => {
    const { context, page } = await openPage(browser);
    await page.goto(`${server.url}/console`);
    assert.match(page.url(), /\/console\/sign-in$/, 'an anonymous visitor is sent to sign in');
    await page.keyboard.press('Tab'); // the first stop is the tenant field
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'tenant');
    await page.keyboard.type('default');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'username');
    await page.keyboard.type('ada');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'password');
    await page.keyboard.type(PASSWORD);
    await screenshots(page, 'sign-in');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/console$/);
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Overview');
    assert.equal((await page.locator('header .badge').textContent())?.trim(), 'sandbox');
    assert.match(await page.locator('header').innerText(), /Signed in as ada/);
    await screenshots(page, 'overview-signed-in');

    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === 'deuterium_console');
    assert.ok(session, 'a session cookie was set');
    assert.equal(session.httpOnly, true);
    assert.equal(session.sameSite, 'Strict');
    assert.equal(session.path, '/console');

    const response = await page.goto(`${server.url}/console/credentials`);
    const csp = response!.headers()['content-security-policy'];
    assert.match(csp, /frame-ancestors 'none'/);
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline/);
    assert.equal(response!.headers()['cache-control'], 'no-store');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/console\/sign-in\?signed_out=1$/);
    await page.goto(`${server.url}/console`);
    assert.match(page.url(), /\/console\/sign-in/, 'signed out: the session is gone');
    await context.close();
  });

  it('refuses a wrong password without saying which part was wrong', async () => {
    const { context, page, watch } = await openPage(browser);
    watch.expect(400, '/console/sign-in');
    watch.expect(400, '/console/sign-in');
    await signIn(page, server, 'ada', 'Not-the-password-1');
    assert.match(await page.getByRole('alert').innerText(), /tenant, username or password is not right/);
    await signIn(page, server, 'ada', PASSWORD, 'no-such-tenant');
    assert.match(await page.getByRole('alert').innerText(), /tenant, username or password is not right/);
    assert.equal((await context.cookies()).some((c) => c.name === 'deuterium_console'), false);
    await context.close();
  });

  it('ends a session left unused, and revokes its token', async () => {
    const { context, page } = await openPage(browser);
    await signIn(page, server, 'grace', PASSWORD);
    await page.waitForURL(/\/console$/);
    const before = await server.db.query<{ n: string }>(
      "SELECT count(*)::text AS n FROM access_token t JOIN admin_user u ON u.id = t.admin_user_id WHERE u.username = 'grace' AND t.revoked_at IS NULL",
    );
    assert.equal(before[0].n, '1');
    await server.db.query("UPDATE console_session SET last_seen_at = now() - interval '2 hours' WHERE username = 'grace'");
    await page.goto(`${server.url}/console/credentials`);
    assert.match(page.url(), /\/console\/sign-in\?ended=1$/);
    assert.match(await page.getByRole('status').innerText(), /Your session ended/);
    const after = await server.db.query<{ n: string }>(
      "SELECT count(*)::text AS n FROM access_token t JOIN admin_user u ON u.id = t.admin_user_id WHERE u.username = 'grace' AND t.revoked_at IS NULL",
    );
    assert.equal(after[0].n, '0', 'the session took its token with it');
    assert.equal((await server.db.query("SELECT 1 FROM console_session WHERE username = 'grace'")).length, 0);
    await context.close();
  });

  it('refuses a form posted without the session’s CSRF token', async () => {
    const { context, page } = await openPage(browser);
    await signIn(page, server, 'ada', PASSWORD);
    await page.waitForURL(/\/console$/);
    // The context's request client sends the session cookie, as a forged form would have to.
    const forged = await context.request.post(`${server.url}/console/credentials`, {
      form: { name: 'forged', authorities: 'ROLE_SUPER_ADMIN', apps: 'nucleus' },
      maxRedirects: 0,
    });
    assert.equal(forged.status(), 403);
    assert.match(await forged.text(), /Form refused/);
    const wrong = await context.request.post(`${server.url}/console/credentials`, {
      form: { _csrf: 'A'.repeat(43), name: 'forged', authorities: 'ROLE_SUPER_ADMIN', apps: 'nucleus' },
      maxRedirects: 0,
    });
    assert.equal(wrong.status(), 403);
    const otherSite = await context.request.post(`${server.url}/console/sign-out`, {
      form: { _csrf: 'x' },
      headers: { origin: 'https://attacker.example' },
      maxRedirects: 0,
    });
    assert.equal(otherSite.status(), 403);
    const listed = await server.request('GET', '/admin/v1/api_credential?filter=name==forged');
    assert.equal(listed.body.total_elements, 0, 'nothing was created');
    const signInForged = await context.request.post(`${server.url}/console/sign-in`, { form: { tenant: 'default', username: 'ada', password: PASSWORD }, maxRedirects: 0 });
    assert.equal(signInForged.status(), 403, 'the sign-in form needs its own token too');
    await context.close();
  });

  it('asks a user with 2FA for a code from its app, and enrols one who has none yet', async () => {
    const created = await server.request('POST', '/admin/v1/client', { body: { username: 'hopper', password: PASSWORD, authorities: 'ROLE_ADMIN', is_2fa: true } });
    assert.equal(created.status, 201);
    const { context, page, watch } = await openPage(browser);
    await signIn(page, server, 'hopper', PASSWORD);
    await page.waitForURL(/\/console\/sign-in\/second-factor$/);
    await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
    const secret = (await page.locator('#totp-secret').textContent())!.trim();
    assert.match(secret, /^[A-Z2-7]{32}$/);
    await screenshots(page, 'enrol-totp');
    await page.getByLabel('The code your app shows now').fill(codeOf(secret));
    await page.getByRole('button', { name: 'Confirm' }).click();
    const codes = (await page.locator('#recovery-codes').textContent())!.trim().split('\n');
    assert.equal(codes.length, 10);
    await page.getByLabel(/enter the next code/).fill(codeOf(secret, 1));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/console$/);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/signed_out/);

    // The next sign-in asks for a code; a wrong one is refused, a recovery code passes.
    await signIn(page, server, 'hopper', PASSWORD);
    await page.waitForURL(/\/console\/sign-in\/second-factor$/);
    await screenshots(page, 'second-factor');
    await page.getByLabel('Code from your authenticator app').fill(codeOf(secret, -20));
    watch.expect(400, '/console/sign-in/second-factor');
    await page.getByRole('button', { name: 'Continue' }).click();
    assert.match(await page.getByRole('alert').innerText(), /did not pass/);
    await page.getByLabel(/A recovery code/).fill(codes[0]);
    await page.getByRole('button', { name: 'Use the recovery code' }).click();
    await page.waitForURL(/\/console$/);
    assert.match(await page.locator('header').innerText(), /Signed in as hopper/);
    await context.close();
  });

  it('keeps a Nucleus client out: the console is for admin users', async () => {
    const client = await server.request('POST', '/nucleus/v1/client', {
      body: { first_name: 'Nu', last_name: 'Client', username: 'nu@example.com', password: PASSWORD, client_type: 'individual', email: 'nu@example.com' },
    });
    assert.equal(client.status, 201, JSON.stringify(client.body));
    const { context, page, watch } = await openPage(browser);
    watch.expect(400, '/console/sign-in');
    await signIn(page, server, 'nu@example.com', PASSWORD);
    assert.match(await page.getByRole('alert').innerText(), /for the admin users/);
    const live = await server.db.query('SELECT 1 FROM access_token WHERE nucleus_client_id = $1 AND revoked_at IS NULL', [client.body.id]);
    assert.equal(live.length, 0, 'its token was revoked at once');
    await context.close();
  });

  it('keeps tokens only sealed: the session row holds no usable token', async () => {
    const { context, page } = await openPage(browser);
    await signIn(page, server, 'ada', PASSWORD);
    await page.waitForURL(/\/console$/);
    const rows = await server.db.query<{ sealed_token: string }>("SELECT sealed_token FROM console_session WHERE username = 'ada'");
    const hashes = new Set((await server.db.query<{ token_hash: string }>('SELECT token_hash FROM access_token')).map((r) => r.token_hash));
    for (const row of rows) assert.equal(hashes.has(tokenHash(row.sealed_token)), false);
    await context.close();
  });
});
