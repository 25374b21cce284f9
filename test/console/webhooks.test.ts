import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { startServer, type TestServer } from '../support/server.ts';
import { startReceiver } from '../platform/webhooks/receiver.ts';
import { assertPagesClean, launchBrowser, screenshots, type Watch, signedInAdmin } from './browser.ts';

const PASSWORD = 'Admin-password-1';

describe('console: webhooks and their deliveries', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let watch: Watch;
  let receiver: http.Server;
  let received = 0;
  before(async () => {
    server = await startServer({ webhookTimings: { pollIntervalMs: 50, retryDelaysMs: [60_000] } });
    receiver = http.createServer((request, response) => {
      received++;
      request.resume();
      response.writeHead(received === 1 ? 500 : 200).end();
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    browser = await launchBrowser();
    ({ page, watch } = await signedInAdmin(browser, server, PASSWORD));
  });
  afterEach(assertPagesClean);
  after(async () => {
    await browser?.close();
    await server?.close();
    receiver?.close();
  });

  it('subscribes a webhook, shows its failed delivery as it happens, and sends it again', async () => {
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/events`;
    await page.goto(`${server.url}/console/webhooks`);
    await page.getByRole('link', { name: 'New webhook' }).click();
    await page.getByLabel(/URL/).fill('ftp://example.com/');
    watch.expect(400, '/console/webhooks');
    await page.getByRole('checkbox', { name: 'client', exact: true }).check();
    await page.getByRole('button', { name: 'Create the webhook' }).click();
    assert.equal(await page.getByRole('alert').count(), 1, "the API's refusal of the URL is shown");
    await page.getByLabel(/URL/).fill(url);
    await page.getByRole('button', { name: 'Create the webhook' }).click();
    assert.match(await page.getByRole('status').first().innerText(), /created/);
    assert.match(await page.locator('dl.fields').innerText(), /Services\s+client/);

    const client = await server.request('POST', '/nucleus/v1/client', { body: { first_name: 'Ada', last_name: 'L', username: 'ada@example.com', email: 'ada@example.com', client_type: 'individual' } });
    assert.equal(client.status, 201);
    // htmx reloads the log in place: no navigation needed to see the delivery arrive and fail.
    await page.locator('#deliveries tbody tr').first().waitFor({ timeout: 20_000 });
    await page.locator('#deliveries', { hasText: 'failed' }).or(page.locator('#deliveries', { hasText: 'pending' })).first().waitFor();
    await page.waitForFunction(() => /500/.test(document.querySelector('#deliveries')?.textContent ?? ''), null, { timeout: 20_000 });
    await screenshots(page, 'webhook');

    await page.locator('#deliveries tbody a').first().click();
    assert.match((await page.getByRole('heading', { level: 1 }).textContent())!, /Delivery of client/);
    await page.getByRole('button', { name: 'Send it again' }).click();
    assert.match(await page.getByRole('status').first().innerText(), /queued/);
    for (let i = 0; i < 40 && !/delivered/.test(await page.locator('dl.fields').innerText()); i++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      await page.reload();
    }
    assert.match(await page.locator('dl.fields').innerText(), /Status\s+delivered/);
    assert.equal(received, 2);

    await page.getByRole('link', { name: 'Back to the webhook' }).click();
    await page.getByRole('checkbox', { name: 'client_status' }).check();
    await page.getByRole('button', { name: 'Save' }).click();
    assert.match(await page.locator('dl.fields').innerText(), /Services\s+client, client_status/);
    await page.getByRole('button', { name: 'Delete the webhook' }).click();
    assert.match(await page.getByRole('status').first().innerText(), /deleted/);
  });

  it('sends a test event that shows in the delivery log, and shows the secret only after the password', async () => {
    const target = await startReceiver();
    try {
      const hook = (await server.request('POST', '/nucleus/v1/webhook', { body: { url: target.url, atom_service: ['client'] } })).body;
      await page.goto(`${server.url}/console/webhooks/${hook.id}`);
      assert.ok(!(await page.content()).includes(hook.secret), 'the secret is not on the page before the password');

      await page.getByRole('button', { name: 'Send a test event' }).click();
      assert.match(await page.getByRole('status').first().innerText(), /test event was queued/);
      await target.waitFor(1, (r) => r.headers['x-hydrogen-service'] === 'webhook.test');
      // htmx reloads the log in place until the delivery is recorded as delivered.
      await page.waitForFunction(() => /webhook\.test[\s\S]*delivered/.test(document.querySelector('#deliveries')?.textContent ?? ''), null, { timeout: 20_000 });
      await page.locator('#deliveries tbody a').first().click();
      assert.match((await page.getByRole('heading', { level: 1 }).textContent())!, /Delivery of webhook\.test/);
      assert.match(await page.locator('table').innerText(), /200/);
      await page.getByRole('link', { name: 'Back to the webhook' }).click();

      await page.getByLabel(/Your password/).fill('not-the-password');
      await page.getByRole('button', { name: 'Show the secret' }).click();
      assert.match(await page.getByRole('alert').innerText(), /password is not right/);
      assert.ok(!(await page.content()).includes(hook.secret));
      await page.getByLabel(/Your password/).fill(PASSWORD);
      await page.getByRole('button', { name: 'Show the secret' }).click();
      assert.equal(await page.locator('#webhook-secret').innerText(), hook.secret);
      await screenshots(page, 'webhook-secret');
      await page.goto(`${server.url}/console/webhooks/${hook.id}`);
      assert.ok(!(await page.content()).includes(hook.secret), 'the secret is shown in that one answer only');
    } finally {
      await target.close();
    }
  });
});
