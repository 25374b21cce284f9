import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { signRegistration } from '../../src/hydro/registration.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { holdLock } from '../support/held-lock.ts';
import { assertPagesClean, launchBrowser, screenshots, DESKTOP, signedInAdmin } from './browser.ts';

const PASSWORD = 'Admin-password-1';

/** One server and one signed-in page for the overview, bulk jobs and Hydro, which need the same setup. */
describe('console: overview, bulk jobs and Hydro', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    ({ page } = await signedInAdmin(browser, server, PASSWORD, { context: { viewport: DESKTOP } }));
  });
  afterEach(assertPagesClean);
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it("shows today's requests and error rate, webhook health and pending bulk jobs on the overview", async () => {
    assert.equal((await server.request('GET', '/nucleus/v1/client')).status, 200);
    assert.equal((await server.request('GET', '/nucleus/v1/client/not-a-uuid')).status, 400);
    const webhook = await server.request('POST', '/nucleus/v1/webhook', { body: { url: 'http://127.0.0.1:9/hook', atom_service: ['client'] } });
    assert.equal(webhook.status, 201, JSON.stringify(webhook.body));
    const counts = (await server.request('GET', '/admin/v1/tenant/requests')).body;
    await page.goto(`${server.url}/console`);
    const today = page.locator('.card', { hasText: 'API requests on' });
    const shown = Number(await today.locator('.figure').innerText());
    // At least what the API counted before the page, plus the page's own calls.
    assert.ok(shown > counts.total.requests, `${shown} requests shown, ${counts.total.requests} before`);
    const nucleus = page.getByRole('row', { name: /^nucleus/ });
    assert.match(await nucleus.innerText(), /nucleus\s+\d+\s+1\s+0/);
    assert.match(await page.locator('.card', { hasText: 'answered with an error' }).innerText(), /1 4xx, 0 5xx/);
    assert.match(await page.locator('.card', { hasText: 'webhooks healthy' }).innerText(), /1 of 1\s+webhooks healthy\s+1 healthy/);
    assert.match(await page.locator('.card', { hasText: 'bulk jobs pending' }).innerText(), /^0/);
    await screenshots(page, 'overview');
  });

  it('follows a bulk job to Complete and shows each refused item', async () => {
    const sent = await server.request('POST', '/nucleus/v1/bulk/client', {
      body: [
        { username: 'b1@example.com', client_type: 'individual' },
        { client_type: 'individual' },
        { username: 'b2@example.com', client_type: 'individual', email: 'not an email' },
        { username: 'b3@example.com', client_type: 'individual' },
        { username: 'b4@example.com', client_type: 'individual' },
        { username: 'b5@example.com', client_type: 'individual' },
      ],
    });
    assert.equal(sent.status, 200);
    // The last item's row is held locked, so the job cannot complete before the page has been seen following it.
    const release = await holdLock(server.db, 'SELECT 1 FROM bulk_item WHERE bulk_id = $1 ORDER BY position DESC LIMIT 1 FOR UPDATE', [sent.body.id]);
    await page.goto(`${server.url}/console`);
    assert.match(await page.locator('.card', { hasText: 'bulk jobs pending' }).innerText(), /^1/);
    await page.getByRole('link', { name: 'Bulk jobs', exact: true }).click();
    assert.match(await page.getByRole('row', { name: /create client/ }).innerText(), /Queued|In Progress/);
    await page.getByRole('row', { name: /create client/ }).getByRole('link').click();
    await page.waitForURL(new RegExp(`/console/bulk/${sent.body.id}$`));
    const url = page.url();
    assert.notEqual(await page.locator('[data-status]').getAttribute('data-status'), 'Complete', 'the job is followed while it runs');
    await screenshots(page, 'bulk-running');
    await release();
    // htmx replaces the state in place: the page is never reloaded.
    await page.locator('[data-status="Complete"]').waitFor({ timeout: 20_000 });
    assert.equal(page.url(), url);
    assert.match(await page.locator('.progress').innerText(), /6 of 6 done, 2 refused/);
    const refused = page.getByRole('table', { name: /Refused items/ }).locator('tbody tr');
    assert.equal(await refused.count(), 2);
    assert.match(await refused.nth(0).innerText(), /^1\s+400\s+invalid_request\s+username/);
    assert.match(await refused.nth(1).innerText(), /^2\s+400\s+invalid_request\s+email/);
    assert.equal(await page.locator('#job-state[hx-get]').count(), 0, 'a finished job is no longer asked for');
    await screenshots(page, 'bulk-complete');
    await page.goto(`${server.url}/console/bulk?status=Complete`);
    assert.match(await page.getByRole('row', { name: /create client/ }).innerText(), /Complete\s+6 of 6 done, 2 refused/);
  });

  it('runs the client-side Raindrop screen against the embedded chain, with its time-out', async () => {
    const contracts = (await server.request('GET', '/hydro/v1/contracts')).body;
    const application = await server.request('POST', '/hydro/v1/application', { body: { name: 'web bank' } });
    assert.equal(application.status, 201);
    const alice = privateKeyToAccount(generatePrivateKey());
    const registration = await signRegistration(alice, contracts.hydro_id_registry, 'alice');
    assert.equal((await server.request('POST', '/hydro/v1/hydro_id', { body: { hydro_id: 'alice', address: alice.address, signature: registration } })).status, 201);
    assert.equal((await server.request('POST', '/hydro/v1/application/client', { body: { hydro_id: 'alice', application_id: application.body.id } })).status, 201);
    assert.equal((await server.request('POST', '/hydro/v1/whitelist', { body: { address: alice.address } })).status, 200);

    await page.getByRole('link', { name: 'Hydro', exact: true }).click();
    assert.match(await page.getByRole('table', { name: 'HydroIDs registered with the applications' }).innerText(), /alice\s+web bank/);
    assert.match(await page.getByRole('table', { name: 'Whitelisted addresses' }).innerText(), new RegExp(alice.address));
    await screenshots(page, 'hydro');

    await page.getByRole('link', { name: 'Try the Raindrop screen' }).click();
    await page.getByLabel('Application', { exact: true }).selectOption({ label: 'web bank' });
    await page.getByLabel(/HydroID/).fill('alice');
    await page.getByRole('button', { name: 'Show a message to sign' }).click();
    const message = (await page.locator('.raindrop-message').innerText()).trim();
    assert.match(message, /^[0-9]{6}$/);
    assert.match(await page.getByRole('timer').innerText(), /^(90|89|88)$/);
    await screenshots(page, 'raindrop');
    await page.getByRole('button', { name: 'Verify' }).click();
    assert.match(await page.getByRole('status').first().innerText(), /No signature of this message/);
    assert.equal((await page.locator('.raindrop-message').innerText()).trim(), message, 'the same message waits out its time');

    // The user's authenticator signs the message and submits it, as the CLI's `hydro sign` does.
    const signature = await alice.signMessage({ message });
    assert.equal((await server.request('POST', '/hydro/v1/signature', { body: { hydro_id: 'alice', message, signature } })).status, 201);
    await page.getByRole('button', { name: 'Verify' }).click();
    assert.match(await page.getByRole('status').first().innerText(), /Verified: alice signed the message/);
    await screenshots(page, 'raindrop-verified');

    await page.getByRole('button', { name: 'Show a message to sign' }).click();
    // A page held past its 90 seconds, without waiting them out.
    await page.locator('input[name="issued"]').evaluate((input: HTMLInputElement) => (input.value = String(Date.now() - 91_000)));
    await page.getByRole('button', { name: 'Verify' }).click();
    assert.match(await page.getByRole('alert').innerText(), /Timed out/);
  });
});
