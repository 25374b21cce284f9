import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startServer, type TestServer } from '../support/server.ts';
import { assertPagesClean, launchBrowser, screenshots, signedInAdmin } from './browser.ts';

const PASSWORD = 'Admin-password-1';

describe('console: the data browser', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    ({ page } = await signedInAdmin(browser, server, PASSWORD, { authorities: 'ROLE_SUPPORT' }));
  });
  afterEach(assertPagesClean);
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('finds a client and opens it with its accounts, portfolios, goals and cards', async () => {
    const names = ['Grace Hopper', 'Alan Turing', 'Edsger "Dijkstra"'];
    const ids: string[] = [];
    for (const name of names) {
      const [first, last] = name.split(' ');
      const client = await server.request('POST', '/nucleus/v1/client', {
        body: { first_name: first, last_name: last, username: `${first.toLowerCase()}@example.com`, email: `${first.toLowerCase()}@example.com`, client_type: 'individual' },
      });
      assert.equal(client.status, 201, JSON.stringify(client.body));
      ids.push(client.body.id);
    }
    const type = await server.request('POST', '/nucleus/v1/account_type', { body: { name: 'Brokerage' } });
    const account = await server.request('POST', '/nucleus/v1/account', {
      body: { name: 'Joint brokerage', account_type_id: type.body.id, clients: [{ client_id: ids[0], client_account_association_type: 'owner' }] },
    });
    assert.equal(account.status, 201, JSON.stringify(account.body));
    const portfolio = await server.request('POST', '/nucleus/v1/portfolio', { body: { name: 'Growth', account_id: account.body.id, percentage: 100 } });
    assert.equal(portfolio.status, 201, JSON.stringify(portfolio.body));
    const model = await server.request('POST', '/nucleus/v1/model', { body: { name: 'Growth model' } });
    assert.equal(model.status, 201, JSON.stringify(model.body));
    for (const [date, value] of [['2026-01-05T00:00:00Z', 1000], ['2026-01-06T00:00:00Z', 1234.5]] as const) {
      const size = await server.request('POST', '/nucleus/v1/portfolio_asset_size', { body: { portfolio_id: portfolio.body.id, account_id: account.body.id, model_id: model.body.id, date, asset_size: value, cash_flow: 0, currency_code: 'USD' } });
      assert.equal(size.status, 201, JSON.stringify(size.body));
    }
    const goal = await server.request('POST', '/nucleus/v1/goal', { body: { name: 'Retire early', client_id: ids[0], category: 'Retirement', type: 'Client Goal' } });
    assert.equal(goal.status, 201, JSON.stringify(goal.body));

    await page.goto(`${server.url}/console/data`);
    assert.equal(await page.locator('tbody tr').count(), 3);
    await page.getByLabel(/Search/).fill('dijkstra"');
    await page.getByRole('button', { name: 'Search' }).click();
    assert.equal(await page.locator('tbody tr').count(), 1, 'a quote in the search stays part of the value');
    await page.getByLabel(/Search/).fill('hopp');
    await page.getByRole('button', { name: 'Search' }).click();
    assert.equal(await page.locator('tbody tr').count(), 1);
    await page.getByRole('link', { name: 'Grace Hopper' }).click();
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Client Grace Hopper');
    assert.match(await page.locator('dl.fields').innerText(), /Latest asset size\s+1,234\.50 USD on 2026-01-06/);
    const main = await page.locator('main').innerText();
    assert.match(main, /Accounts \(1\)[\s\S]*Joint brokerage/);
    assert.match(main, /Portfolios \(1\)[\s\S]*Growth/);
    assert.match(main, /Goals \(1\)[\s\S]*Retire early/);
    assert.match(main, /Cards \(0\)/);
    assert.equal(await page.locator('main form[method="post"]').count(), 0, 'read only');
    await screenshots(page, 'data-client');
  });
});
