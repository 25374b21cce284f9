import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import type { TestServer } from '../support/server.ts';

/** Debian's chromium (`apt-get install chromium`): Playwright's own browser download is not used. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Flags for a headless chromium run as root in a container, with nothing reaching out to the
 * network. Playwright starts it on a fresh --user-data-dir of its own in the temp directory,
 * and each test opens a new context (its own cookies and storage) in it.
 */
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Where screenshots go for a person to look at: a temporary folder unless CONSOLE_SCREENSHOTS names one; never committed. */
const SCREENSHOTS = process.env.CONSOLE_SCREENSHOTS ?? path.join(os.tmpdir(), 'deuterium-console-screenshots');

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `console-${name}.png`), fullPage: true });
}

export async function signIn(page: Page, server: TestServer, username: string, password: string, tenant = 'default'): Promise<void> {
  await page.goto(`${server.url}/console/sign-in`);
  await page.getByLabel('Tenant').fill(tenant);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

export interface Watch {
  /**
   * The one 4xx/5xx answer a test provokes on purpose, at that path, together with the
   * "Failed to load resource" console error chromium logs for it. Anything else still fails.
   */
  expect(status: number, path: string): void;
  /** Fails on any problem, or on an expected answer that never came; then starts afresh. */
  assertClean(): void;
}

/** Every page's watch, so that `assertPagesClean` after each test misses none. */
const watches = new Set<Watch>();

/**
 * Collects what should never happen on a page: a console error, an uncaught exception, a
 * request that failed or was answered 4xx/5xx. `assertClean` fails the test on any of them.
 */
function watchPage(page: Page): Watch {
  const problems: string[] = [];
  const expected: { status: number; path: string; answered: boolean; logged: boolean }[] = [];
  const pathOf = (url: string) => new URL(url).pathname;
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const status = /^Failed to load resource: the server responded with a status of (\d+)/.exec(message.text())?.[1];
    const url = message.location().url;
    const match = status && url ? expected.find((e) => !e.logged && e.status === Number(status) && e.path === pathOf(url)) : undefined;
    if (match) match.logged = true;
    else problems.push(`console error: ${message.text()}${url ? ` (${url})` : ''}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  page.on('requestfailed', (request) => problems.push(`failed: ${request.method()} ${request.url()} ${request.failure()?.errorText ?? ''}`));
  page.on('response', (response) => {
    if (response.status() < 400) return;
    const match = expected.find((e) => !e.answered && e.status === response.status() && e.path === pathOf(response.url()));
    if (match) match.answered = true;
    else problems.push(`answered ${response.status()}: ${response.request().method()} ${response.url()}`);
  });
  const watch: Watch = {
    expect(status, path) {
      expected.push({ status, path, answered: false, logged: false });
    },
    assertClean() {
      const missing = expected.filter((e) => !e.answered).map((e) => `expected but never answered: ${e.status} ${e.path}`);
      const found = [...problems, ...missing];
      problems.length = 0;
      expected.length = 0;
      if (found.length > 0) throw new Error(`the page had problems:\n${found.join('\n')}`);
    },
  };
  watches.add(watch);
  return watch;
}

/** A page in a context of its own (its own cookies), watched from its creation. */
export async function openPage(browser: Browser, options?: BrowserContextOptions): Promise<{ context: BrowserContext; page: Page; watch: Watch }> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  return { context, page, watch: watchPage(page) };
}

/**
 * An admin user made through the API, signed in to the console in a watched page of its own,
 * whose confirmation dialogs are accepted: where each test file starts.
 */
export async function signedInAdmin(
  browser: Browser,
  server: TestServer,
  password: string,
  { authorities = 'ROLE_SUPER_ADMIN', context: options }: { authorities?: string; context?: BrowserContextOptions } = {},
): Promise<{ context: BrowserContext; page: Page; watch: Watch }> {
  const created = await server.request('POST', '/admin/v1/client', { body: { username: 'ada', password, authorities } });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const opened = await openPage(browser, options);
  opened.page.on('dialog', (dialog) => void dialog.accept());
  await signIn(opened.page, server, 'ada', password);
  await opened.page.waitForURL(/\/console$/);
  return opened;
}

/** For afterEach: fails unless every page watched so far was clean during the test. */
export function assertPagesClean(): void {
  const failures: string[] = [];
  for (const watch of watches) {
    try {
      watch.assertClean();
    } catch (error) {
      failures.push((error as Error).message);
    }
  }
  if (failures.length > 0) throw new Error(failures.join('\n'));
}

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 800 };

/** Screenshots of the page as it is, at desktop and phone widths; leaves it at desktop width. */
export async function screenshots(page: Page, name: string): Promise<void> {
  await page.setViewportSize(PHONE);
  await screenshot(page, `${name}-phone`);
  await page.setViewportSize(DESKTOP);
  await screenshot(page, `${name}-desktop`);
}
