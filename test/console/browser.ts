import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { TestServer } from '../support/server.ts';

/** Debian's chromium (`apt-get install chromium`): Playwright's own browser download is not used. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Flags for a headless chromium run as root in a container, with nothing reaching out to the
 * network. Playwright starts it on a fresh --user-data-dir of its own in the temp directory,
 * and each test opens a new context (its own cookies and storage) in it.
 */
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Where screenshots go for a person to look at, when the folder exists; never committed. */
const SCREENSHOTS = process.env.CONSOLE_SCREENSHOTS ?? '/work/scratch';

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  if (!fs.existsSync(SCREENSHOTS)) return;
  await page.screenshot({ path: path.join(SCREENSHOTS, `console-${name}.png`), fullPage: true });
}

export async function signIn(page: Page, server: TestServer, username: string, password: string, tenant = 'default'): Promise<void> {
  await page.goto(`${server.url}/console/sign-in`);
  await page.getByLabel('Tenant').fill(tenant);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}
