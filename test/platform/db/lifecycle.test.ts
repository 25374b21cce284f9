import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freshDatabase } from '../../support/server.ts';

interface Running {
  child: ChildProcess;
  url: string;
  output: () => string;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as net.AddressInfo).port;
  server.close();
  await once(server, 'close');
  return port;
}

/** Starts the real server process the way `npm start` does. */
async function startProcess(env: Record<string, string>): Promise<Running> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const deadline = Date.now() + 60_000;
  while (!output.includes('Deuterium is ready')) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${output}`);
    if (Date.now() > deadline) throw new Error(`server did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, url: `http://127.0.0.1:${port}`, output: () => output };
}

async function stop(running: Running): Promise<number | null> {
  running.child.kill('SIGTERM');
  const [code] = await once(running.child, 'exit');
  return code as number | null;
}

async function token(url: string, id: string, secret: string): Promise<Response> {
  return fetch(`${url}/authorization/v1/oauth/token?grant_type=client_credentials`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}` },
  });
}

describe('server process lifecycle', () => {
  const env: Record<string, string> = {};
  let dataDir: string;
  let drop: () => Promise<void> = async () => {};

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'deuterium-lifecycle-'));
    if (process.env.DATABASE_URL) {
      const fresh = await freshDatabase();
      await fresh.db.close();
      env.DATABASE_URL = fresh.url!;
      drop = fresh.drop;
    } else {
      env.DATA_DIR = dataDir;
    }
  });
  after(async () => {
    fs.rmSync(dataDir, { recursive: true, force: true });
    await drop();
  });

  it('prints generated credentials once, keeps data across a restart and drains on SIGTERM', async () => {
    const first = await startProcess(env);
    const clientId = /client_id:\s+(\S+)/.exec(first.output())?.[1];
    const clientSecret = /client_secret:\s+(\S+)/.exec(first.output())?.[1];
    assert.ok(clientId && clientSecret, first.output());
    const logLines = first.output().split('\n').filter((l) => l.startsWith('{'));
    assert.ok(logLines.length > 0);
    assert.ok(logLines.every((l) => !l.includes(clientSecret)), 'the secret is never in a log line');

    assert.equal((await fetch(`${first.url}/health`)).status, 200);
    const ready = await fetch(`${first.url}/ready`);
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), { status: 'ready' });

    const issued = await token(first.url, clientId, clientSecret);
    assert.equal(issued.status, 200);
    const { access_token } = await issued.json();
    const created = await fetch(`${first.url}/nucleus/v1/client`, {
      method: 'POST',
      headers: { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'persist@example.com', client_type: 'individual' }),
    });
    assert.equal(created.status, 201);
    const { id } = await created.json();
    assert.equal(await stop(first), 0);

    const second = await startProcess(env);
    try {
      assert.doesNotMatch(second.output(), /client_secret/, 'credentials are printed on the first start only');
      const reread = await fetch(`${second.url}/nucleus/v1/client/${id}`, { headers: { authorization: `Bearer ${access_token}` } });
      assert.equal(reread.status, 200, 'data and tokens survive a restart');
      assert.equal((await reread.json()).username, 'persist@example.com');
      assert.equal((await token(second.url, clientId, clientSecret)).status, 200);
    } finally {
      assert.equal(await stop(second), 0);
    }
  });

  it('uses ADMIN_CLIENT_ID and ADMIN_CLIENT_SECRET on an empty database', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deuterium-admin-'));
    let dropOwn = async () => {};
    const own: Record<string, string> = { ADMIN_CLIENT_ID: 'ops-admin', ADMIN_CLIENT_SECRET: 'ops-admin-secret-value' };
    if (process.env.DATABASE_URL) {
      const fresh = await freshDatabase();
      await fresh.db.close();
      own.DATABASE_URL = fresh.url!;
      dropOwn = fresh.drop;
    } else {
      own.DATA_DIR = dir;
    }
    const running = await startProcess(own);
    try {
      assert.doesNotMatch(running.output(), /ops-admin-secret-value/);
      assert.equal((await token(running.url, 'ops-admin', 'ops-admin-secret-value')).status, 200);
      assert.equal((await token(running.url, 'ops-admin', 'wrong')).status, 401);
    } finally {
      await stop(running);
      fs.rmSync(dir, { recursive: true, force: true });
      await dropOwn();
    }
  });
});
