import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { durableStorage, startServerProcess, stopServerProcess, type RunningServer } from '../../support/process.ts';

async function stop(running: RunningServer): Promise<number | null> {
  await stopServerProcess(running);
  return running.child.exitCode;
}

const startProcess = (env: Record<string, string>) => startServerProcess({ ...env, LOG_LEVEL: 'info' });

async function token(url: string, id: string, secret: string): Promise<Response> {
  return fetch(`${url}/authorization/v1/oauth/token?grant_type=client_credentials`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}` },
  });
}

describe('server process lifecycle', () => {
  let env: Record<string, string>;
  let dispose: () => Promise<void>;

  before(async () => {
    ({ env, dispose } = await durableStorage());
  });
  after(() => dispose());

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
    assert.equal(((await ready.json()) as { status: string }).status, 'ready');

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
    const storage = await durableStorage();
    const running = await startProcess({ ...storage.env, ADMIN_CLIENT_ID: 'ops-admin', ADMIN_CLIENT_SECRET: 'ops-admin-secret-value' });
    try {
      assert.doesNotMatch(running.output(), /ops-admin-secret-value/);
      assert.equal((await token(running.url, 'ops-admin', 'ops-admin-secret-value')).status, 200);
      assert.equal((await token(running.url, 'ops-admin', 'wrong')).status, 401);
    } finally {
      await stop(running);
      await storage.dispose();
    }
  });
});
