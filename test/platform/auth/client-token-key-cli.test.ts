import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SignJWT } from 'jose';
import { runCli } from '../../../src/cli/run.ts';
import { loadConfig } from '../../../src/config.ts';
import { buildApp } from '../../../src/app.ts';
import { durableStorage, type DurableStorage } from '../../support/process.ts';

interface Run {
  code: number;
  out: string;
  err: string;
}

describe('deuterium credential set-client-token-key', () => {
  let dir: string;
  let storage: DurableStorage;

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'deuterium-client-token-'));
    storage = await durableStorage();
  });
  after(async () => {
    await storage.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  async function cli(...argv: string[]): Promise<Run> {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, { out: (line) => out.push(line), err: (line) => err.push(line) }, storage.env);
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  async function file(name: string, content: string): Promise<string> {
    const target = path.join(dir, name);
    await writeFile(target, content);
    return target;
  }

  it('registers a key for a credential, and the token endpoint verifies with it', async () => {
    assert.equal((await cli('tenant', 'create', 'acme')).code, 0);
    const created = await cli('credential', 'create', '--tenant', 'acme', '--client-id', 'web-app', '--client-secret', 'web-app-secret', '--json');
    assert.equal(created.code, 0, created.err);

    const secret = 'the-tenant-backend-shares-this-secret';
    const set = await cli('credential', 'set-client-token-key', '--client-id', 'web-app', '--hs256-secret', secret);
    assert.equal(set.code, 0, set.err);
    assert.match(set.out, /web-app.*HS256/);

    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pemFile = await file('public.pem', publicKey.export({ type: 'spki', format: 'pem' }).toString());
    const replaced = await cli('credential', 'set-client-token-key', '--client-id', 'web-app', '--public-key-file', pemFile, '--json');
    assert.equal(replaced.code, 0, replaced.err);
    assert.deepEqual(Object.keys(JSON.parse(replaced.out)).sort(), ['client_id', 'kind', 'tenant_id']);
    assert.equal(JSON.parse(replaced.out).kind, 'public_key');

    const db = await storage.open();
    try {
      const rows = await db.query<{ kind: string }>('SELECT kind FROM client_token_key');
      assert.deepEqual(rows.map((r) => r.kind), ['public_key'], 'one key per credential, the last one set');
      const app = await buildApp({ config: { ...loadConfig({}), logLevel: 'silent' }, db });
      try {
        const basic = `Basic ${Buffer.from('web-app:web-app-secret').toString('base64')}`;
        const appToken = await app.inject({ method: 'POST', url: '/authorization/v1/oauth/token?grant_type=client_credentials', headers: { authorization: basic } });
        const created = await app.inject({
          method: 'POST',
          url: '/nucleus/v1/client',
          headers: { authorization: `Bearer ${appToken.json().access_token}` },
          payload: { username: 'embedded', client_type: 'individual' },
        });
        const clientId = created.json().id;
        const now = Math.floor(Date.now() / 1000);
        const jwt = await new SignJWT({ sub: clientId, iat: now, exp: now + 300 }).setProtectedHeader({ alg: 'RS256' }).sign(privateKey);
        const exchange = (token: string) =>
          app.inject({
            method: 'POST',
            url: '/authorization/v1/client-token',
            headers: { authorization: basic, 'client-token': `Bearer ${token}` },
          });
        const granted = await exchange(jwt);
        assert.equal(granted.statusCode, 200, granted.body);
        const hs256 = await new SignJWT({ sub: clientId, exp: now + 300 }).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(secret));
        assert.equal((await exchange(hs256)).statusCode, 400, 'the replaced secret no longer works');
      } finally {
        await app.close();
      }
    } finally {
      await db.close();
    }
  });

  it('refuses weak, private, unreadable and unsupported keys, and unknown credentials', async () => {
    const usage = async (...argv: string[]) => {
      const result = await cli('credential', 'set-client-token-key', ...argv);
      assert.equal(result.code, 2, `${argv.join(' ')}: ${result.err}`);
      return result.err;
    };
    const failure = async (...argv: string[]) => {
      const result = await cli('credential', 'set-client-token-key', ...argv);
      assert.equal(result.code, 1, `${argv.join(' ')}: ${result.err}`);
      return result.err;
    };
    assert.match(await usage('--hs256-secret', 'x'.repeat(40)), /--client-id/);
    assert.match(await usage('--client-id', 'web-app'), /exactly one/);
    assert.match(await usage('--client-id', 'web-app', '--hs256-secret', 'x'.repeat(40), '--public-key-file', 'k.pem'), /exactly one/);
    assert.match(await usage('--client-id', 'web-app', '--hs256-secret', 'too-short'), /at least 32 bytes/);

    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const privateFile = await file('private.pem', privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    assert.match(await failure('--client-id', 'web-app', '--public-key-file', privateFile), /private key/);
    assert.match(await failure('--client-id', 'web-app', '--public-key-file', path.join(dir, 'missing.pem')), /Cannot read/);
    assert.match(await failure('--client-id', 'web-app', '--public-key-file', await file('junk.pem', 'not a key')), /not a PEM public key/);
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    assert.match(await failure('--client-id', 'web-app', '--public-key-file', await file('small.pem', small)), /2048 bits/);
    const k1 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    assert.match(await failure('--client-id', 'web-app', '--public-key-file', await file('k1.pem', k1)), /not supported/);
    assert.match(await failure('--client-id', 'nobody', '--hs256-secret', 'x'.repeat(40)), /Unknown credential "nobody"/);
  });
});
