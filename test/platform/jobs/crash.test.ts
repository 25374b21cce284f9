import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { freshDatabase } from '../../support/server.ts';
import type { Database } from '../../../src/platform/db/database.ts';
import { prepareDatabase } from '../../../src/platform/db/prepare.ts';
import { NO_TENANT } from '../../../src/platform/jobs/queue.ts';

const JOBS = 300;
const LEASE_MS = 1000;

/**
 * The job engine in several processes on one database, as servers sharing it run: workers
 * killed outright mid-job, one stopped with SIGTERM, one started late. Every job's work is
 * recorded in the transaction that finishes it, so the records show what ran to the end.
 */
describe('job engine across processes and crashes', () => {
  let db: Database;
  let url: string;
  let drop: () => Promise<void>;
  const children: ChildProcess[] = [];

  before(async () => {
    ({ db, url, drop } = await freshDatabase());
    await prepareDatabase(db, []);
    await db.query('CREATE TABLE job_effect (job_id uuid NOT NULL, pid integer NOT NULL, attempts integer NOT NULL)');
  });
  after(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await db.close();
    await drop();
  });

  async function worker(): Promise<ChildProcess> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/platform/jobs/crash-worker.ts', url, String(LEASE_MS)], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(child);
    let output = '';
    child.stdout!.on('data', (chunk) => (output += chunk));
    while (!output.includes('ready')) {
      if (child.exitCode !== null) throw new Error('a worker process exited early');
      await sleep(20);
    }
    return child;
  }

  const effects = async () => Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM job_effect'))[0].n);
  async function until(check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error('timed out');
      await sleep(20);
    }
  }

  it('finishes every job exactly once, taking over the jobs of killed workers', { timeout: 180_000 }, async () => {
    await db.query(`INSERT INTO job (tenant_id, id, kind, payload) SELECT $1, gen_random_uuid(), 'crash-test', '{}' FROM generate_series(1, $2)`, [NO_TENANT, JOBS]);
    const [first, second, third] = await Promise.all([worker(), worker(), worker()]);
    await until(async () => (await effects()) >= JOBS / 5);
    first.kill('SIGKILL');
    await until(async () => (await effects()) >= (2 * JOBS) / 5);
    second.kill('SIGKILL');
    third.kill('SIGTERM');
    const [code] = await once(third, 'exit');
    assert.equal(code, 0, 'SIGTERM hands the running jobs back and exits');
    await worker();
    await until(async () => (await db.query('SELECT 1 FROM job LIMIT 1')).length === 0);

    const twice = await db.query('SELECT job_id FROM job_effect GROUP BY job_id HAVING count(*) > 1');
    assert.deepEqual(twice, [], 'no job finished twice');
    assert.equal(await effects(), JOBS, 'every job finished');
    const [{ most }] = await db.query<{ most: number }>('SELECT max(attempts)::int AS most FROM job_effect');
    assert.ok(most >= 2, 'some job was taken over from a killed worker once its lease ran out');
  });
});
