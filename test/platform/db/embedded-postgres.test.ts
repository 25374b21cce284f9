import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, startServerProcess, stopServerProcess, type RunningServer } from '../../support/process.ts';

/**
 * The default storage as `npm start` meets it: no DATABASE_URL, a real PostgreSQL that the
 * server starts in DATA_DIR/postgres, owns, and stops.
 */

const BIN = fileURLToPath(new URL('../../../bin/deuterium.js', import.meta.url));
const isRoot = process.getuid?.() === 0;

function embedded(dataDir: string): Record<string, string> {
  return { DATA_DIR: dataDir, DATABASE_URL: '' };
}

function postmasterRunning(dataDir: string): boolean {
  return fs.existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'));
}

function run(command: string, args: string[], env: Record<string, string>, options: { uid?: number; gid?: number } = {}): Promise<{ code: number; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...env }, ...options });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (out += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, out }));
  });
}

async function token(url: string, output: string): Promise<string> {
  const clientId = /client_id:\s+(\S+)/.exec(output)?.[1];
  const clientSecret = /client_secret:\s+(\S+)/.exec(output)?.[1];
  assert.ok(clientId && clientSecret, output);
  const issued = await fetch(`${url}/authorization/v1/oauth/token?grant_type=client_credentials`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}` },
  });
  assert.equal(issued.status, 200);
  return ((await issued.json()) as { access_token: string }).access_token;
}

async function readClient(url: string, bearer: string, id: string): Promise<number> {
  return (await fetch(`${url}/nucleus/v1/client/${id}`, { headers: { authorization: `Bearer ${bearer}` } })).status;
}

describe('the embedded PostgreSQL', () => {
  let dataDir: string;

  before(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'deuterium-embedded-'));
    // Root runs the database as the `postgres` user, who must reach the directory.
    fs.chmodSync(dataDir, 0o755);
  });
  after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('is started by the server, refuses a second server, serves the CLI beside it, survives SIGKILLs and stops with the server', async () => {
    // Two workers: the primary owns the database and hands the workers its socket.
    const first = await startServerProcess({ ...embedded(dataDir), WORKERS: '2' });
    let adopted: RunningServer | undefined;
    try {
      assert.ok(postmasterRunning(dataDir), 'the cluster lives in DATA_DIR/postgres');
      const bearer = await token(first.url, first.output());
      const created = await fetch(`${first.url}/nucleus/v1/client`, {
        method: 'POST',
        headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'embedded@example.com', client_type: 'individual' }),
      });
      assert.equal(created.status, 201);
      const { id } = (await created.json()) as { id: string };

      const second = await run(process.execPath, ['--import', 'tsx', 'src/main.ts'], { ...embedded(dataDir), PORT: String(await freePort()), HOST: '127.0.0.1' });
      assert.equal(second.code, 1, second.out);
      assert.match(second.out, new RegExp(`already running on ${dataDir} \\(server, pid ${first.child.pid}\\)`));

      const beside = await run(BIN, ['tenant', 'list', '--json'], embedded(dataDir));
      assert.equal(beside.code, 0, beside.out);
      assert.equal((JSON.parse(beside.out) as { name: string }[])[0].name, 'default');

      await stopServerProcess(first, 'SIGKILL');
      assert.ok(postmasterRunning(dataDir), 'the database outlives a killed server');
      adopted = await startServerProcess(embedded(dataDir));
      assert.equal(await readClient(adopted.url, bearer, id), 200, 'data and tokens survive');

      // Both killed outright, as a power cut would: the database recovers from its log.
      const postmaster = Number(fs.readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
      process.kill(postmaster, 'SIGKILL');
      await stopServerProcess(adopted, 'SIGKILL');
      adopted = await startServerProcess(embedded(dataDir));
      assert.equal(await readClient(adopted.url, bearer, id), 200, 'data and tokens survive a crash of the database');
      await stopServerProcess(adopted);
      assert.equal(adopted.child.exitCode, 0, adopted.output());
      assert.equal(postmasterRunning(dataDir), false, 'a server that stops stops its database');
    } finally {
      await stopServerProcess(first, 'SIGKILL');
      if (adopted) await stopServerProcess(adopted);
    }
  });

  it('is started and stopped by the CLI when no server runs', async () => {
    assert.equal(postmasterRunning(dataDir), false);
    const listed = await run(BIN, ['tenant', 'list', '--json'], embedded(dataDir));
    assert.equal(listed.code, 0, listed.out);
    assert.equal((JSON.parse(listed.out) as unknown[]).length, 1);
    assert.equal(postmasterRunning(dataDir), false);
  });

  it('runs for an ordinary user too', { skip: !isRoot && 'the suite already runs as an ordinary user' }, async () => {
    const uid = Number(execFileSync('id', ['-u', 'nobody']).toString());
    const gid = Number(execFileSync('id', ['-g', 'nobody']).toString());
    const own = path.join(dataDir, 'nobody');
    fs.mkdirSync(own);
    fs.chownSync(own, uid, gid);
    const ran = await run(BIN, ['tenant', 'create', 'ordinary', '--json'], { ...embedded(path.join(own, 'data')), HOME: own }, { uid, gid });
    assert.equal(ran.code, 0, ran.out);
    const owner = fs.statSync(path.join(own, 'data', 'postgres', 'PG_VERSION')).uid;
    assert.equal(owner, uid, 'the cluster belongs to the user who started it');
  });
});
