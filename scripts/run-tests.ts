import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { withSuitePostgres } from '../test/support/suite-postgres.ts';

/**
 * `npm test [-- files]`: runs the compiled suite (or the given compiled test files) with
 * node --test, on the embedded PostgreSQL this starts for the run, or on DATABASE_URL's server.
 */
const root = path.resolve(import.meta.dirname, '..');

function testFiles(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.test.js'))
    .map((name) => path.join(dir, name))
    .sort();
}

const asked = process.argv.slice(2);
const files = asked.length > 0 ? asked : testFiles(path.join(root, '.build/test'));
// Test files spend most of their time waiting on PostgreSQL, child processes and timers, so
// more of them run at once than there are cores; TEST_CONCURRENCY overrides.
const concurrency = Number(process.env.TEST_CONCURRENCY) || Math.min(6, Math.max(4, os.availableParallelism() * 2));

const code = await withSuitePostgres(
  (url) =>
    new Promise<number>((resolve) => {
      // Test files given as TypeScript run through tsx, as `npm run fuzz` does.
      const loader = files.some((file) => file.endsWith('.ts')) ? ['--import', 'tsx'] : [];
      const child = spawn(process.execPath, [...loader, '--test', `--test-concurrency=${concurrency}`, ...files], {
        stdio: 'inherit',
        env: { ...process.env, DATABASE_URL: url, SPECS_DIR: process.env.SPECS_DIR ?? '../shared/specs' },
      });
      // Ctrl-C reaches the tests through the terminal; the server must still be stopped after them.
      process.on('SIGINT', () => {});
      child.on('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0)));
    }),
);
process.exitCode = code;
