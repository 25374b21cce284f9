import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import bcrypt from 'bcryptjs';
import { cli, deuterium } from './operator-tool.ts';
import { loadConfig } from '../../src/config.ts';
import { buildApp } from '../../src/app.ts';
import { durableStorage, type DurableStorage } from '../support/process.ts';

async function requestToken(url: string, clientId: string, clientSecret: string): Promise<Response> {
  const basic = Buffer.from(`${clientId}:${clientSecret}`).toString('base64');
  return fetch(`${url}/authorization/v1/oauth/token?grant_type=client_credentials`, {
    method: 'POST',
    headers: { authorization: `Basic ${basic}` },
  });
}

// One database for the whole file; close what store.open() gives before the CLI runs again.
let store: DurableStorage;
before(async () => {
  store = await durableStorage();
});
after(() => store.dispose());

describe('deuterium CLI (runCli)', () => {
  it('creates tenants on an empty database and lists them', async () => {
    const created = await cli(store.env, 'tenant', 'create', 'acme', '--json');
    assert.equal(created.code, 0, created.err);
    const tenant = JSON.parse(created.out);
    assert.equal(tenant.name, 'acme');
    assert.match(tenant.id, /^[0-9a-f-]{36}$/);

    const readable = await cli(store.env, 'tenant', 'create', 'Beta Corp');
    assert.equal(readable.code, 0, readable.err);
    assert.match(readable.out, /^Created sandbox tenant "Beta Corp" \(id [0-9a-f-]{36}\)$/);

    const listed = await cli(store.env, 'tenant', 'list', '--json');
    assert.deepEqual(
      JSON.parse(listed.out).map((t: { name: string }) => t.name),
      ['acme', 'Beta Corp'],
    );
    const table = await cli(store.env, 'tenant', 'list');
    assert.match(table.out, /^ID +NAME +ENVIRONMENT +CREATED\n/);
    assert.ok(table.out.includes(tenant.id) && table.out.includes('Beta Corp'));
  });

  it('refuses a duplicate tenant name with exit code 1', async () => {
    const again = await cli(store.env, 'tenant', 'create', 'acme');
    assert.equal(again.code, 1);
    assert.match(again.err, /tenant named "acme" already exists/);
  });

  it('creates a credential whose secret is stored as a bcrypt hash and works at the token endpoint', async () => {
    const created = await cli(store.env, 'credential', 'create', '--tenant', 'acme', '--name', 'backend', '--json');
    assert.equal(created.code, 0, created.err);
    const credential = JSON.parse(created.out);
    assert.deepEqual(credential.authorities, ['ROLE_ADMIN']);
    assert.equal(credential.name, 'backend');
    assert.ok(credential.client_secret.length >= 32);

    const db = await store.open();
    try {
      const [row] = await db.query<{ secret_hash: string; tenant_name: string }>(
        `SELECT c.secret_hash, t.name AS tenant_name FROM api_credential c JOIN tenant t ON t.id = c.tenant_id WHERE c.client_id = $1`,
        [credential.client_id],
      );
      assert.equal(row.tenant_name, 'acme');
      assert.match(row.secret_hash, /^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/);
      assert.notEqual(row.secret_hash, credential.client_secret);
      assert.ok(await bcrypt.compare(credential.client_secret, row.secret_hash));

      const app = await buildApp({ config: { ...loadConfig({}), logLevel: 'silent' }, db });
      try {
        await app.listen({ host: '127.0.0.1', port: 0 });
        const address = app.server.address();
        assert.ok(address && typeof address !== 'string');
        const url = `http://127.0.0.1:${address.port}`;

        const granted = await requestToken(url, credential.client_id, credential.client_secret);
        const body = await granted.json();
        assert.equal(granted.status, 200, JSON.stringify(body));
        assert.equal(body.token_type, 'bearer');
        const clients = await fetch(`${url}/nucleus/v1/client`, { headers: { authorization: `Bearer ${body.access_token}` } });
        assert.equal(clients.status, 200);

        const refused = await requestToken(url, credential.client_id, 'not-the-secret');
        assert.equal(refused.status, 401);
      } finally {
        await app.close();
      }
    } finally {
      await db.close();
    }
  });

  it('takes repeated --authority, a chosen client id and secret, and a tenant by id', async () => {
    const tenant = JSON.parse((await cli(store.env, 'tenant', 'list', '--json')).out)[1];
    const created = await cli(
      store.env,
      'credential', 'create', '--tenant', tenant.id,
      '--authority', 'ROLE_SUPPORT', '--authority', 'ROLE_CLIENT',
      '--client-id', 'beta-support', '--client-secret', 'beta-support-secret',
    );
    assert.equal(created.code, 0, created.err);
    assert.match(created.out, /in tenant "Beta Corp" with ROLE_SUPPORT, ROLE_CLIENT/);
    assert.match(created.out, /client_id: +beta-support$/m);
    assert.match(created.out, /client_secret: +beta-support-secret$/m);
    assert.match(created.out, /cannot be shown again/);
  });

  it('refuses a duplicate client id with exit code 1', async () => {
    const again = await cli(store.env, 'credential', 'create', '--tenant', 'acme', '--client-id', 'beta-support');
    assert.equal(again.code, 1);
    assert.match(again.err, /client id "beta-support" already exists/);
  });

  it('lists credentials, filtered by tenant, without secrets or hashes', async () => {
    const all = await cli(store.env, 'credential', 'list', '--json');
    assert.equal(all.code, 0, all.err);
    const credentials = JSON.parse(all.out);
    assert.equal(credentials.length, 2);
    for (const credential of credentials) {
      assert.deepEqual(Object.keys(credential).sort(), ['apps', 'authorities', 'client_id', 'create_date', 'id', 'is_active', 'name', 'tenant_id']);
    }

    const beta = await cli(store.env, 'credential', 'list', '--tenant', 'Beta Corp');
    assert.equal(beta.code, 0, beta.err);
    assert.match(beta.out, /^CLIENT_ID +NAME +TENANT +AUTHORITIES +ACTIVE +CREATED\nbeta-support +API credential +Beta Corp +ROLE_SUPPORT,ROLE_CLIENT +yes /);
    assert.equal(beta.out.split('\n').length, 2);
    assert.ok(!beta.out.includes('beta-support-secret') && !beta.out.includes('$2'));
  });

  it('shows, fences, rotates and revokes a credential through the services the API uses, each change audited', async () => {
    const made = await cli(store.env, 'credential', 'create', '--tenant', 'acme', '--name', 'lifecycle', '--app', 'nucleus', '--allow-ip', '10.0.0.0/8', '--json');
    assert.equal(made.code, 0, made.err);
    const created = JSON.parse(made.out);
    assert.deepEqual(created.apps, ['nucleus']);
    assert.deepEqual(created.allowed_ips, ['10.0.0.0/8']);
    const id = ['--client-id', created.client_id];

    assert.match((await cli(store.env, 'credential', 'allowlist', ...id)).out, /may be used only from: 10\.0\.0\.0\/8$/);
    const edited = await cli(store.env, 'credential', 'allowlist', ...id, '--add', '127.0.0.1', '--add', '::1', '--remove', '10.0.0.0/8', '--json');
    assert.equal(edited.code, 0, edited.err);
    assert.deepEqual(JSON.parse(edited.out).allowed_ips, ['127.0.0.1', '::1']);
    const bad = await cli(store.env, 'credential', 'allowlist', ...id, '--set', '127.0.0.1', '--set', 'nowhere');
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--set\[1\]: "nowhere" is not an IPv4 or IPv6 address/);
    assert.equal((await cli(store.env, 'credential', 'allowlist', ...id, '--set', '::1', '--clear')).code, 2);
    assert.match((await cli(store.env, 'credential', 'allowlist', ...id, '--clear')).out, /may be used from any address/);

    const rotated = await cli(store.env, 'credential', 'rotate', ...id, '--grace-seconds', '0', '--json');
    assert.equal(rotated.code, 0, rotated.err);
    const next = JSON.parse(rotated.out);
    assert.notEqual(next.client_secret, created.client_secret);
    assert.equal(next.previous_secret.is_accepted, false);
    assert.equal((await cli(store.env, 'credential', 'rotate', ...id, '--grace-seconds', 'soon')).code, 2);
    const longer = await cli(store.env, 'credential', 'rotate', ...id, '--grace-seconds', '600');
    assert.match(longer.out, /client_secret: \S{43}\n[^]*The previous secret is accepted until /);

    const shown = await cli(store.env, 'credential', 'show', ...id);
    assert.equal(shown.code, 0, shown.err);
    assert.match(shown.out, /^apps: +nucleus$/m);
    assert.match(shown.out, /^old secret: +accepted until .*, last used never$/m);
    assert.match(shown.out, /^tokens: +0 issued, 0 active$/m);
    assert.ok(!shown.out.includes(next.client_secret) && !shown.out.includes('$2'));

    assert.match((await cli(store.env, 'credential', 'revoke', ...id)).out, /is revoked, with its 0 active token\(s\)/);
    assert.match((await cli(store.env, 'credential', 'revoke', ...id)).out, /was already revoked/);
    assert.match((await cli(store.env, 'credential', 'rotate', ...id)).err, /is revoked; create a new one instead/);
    const unknown = await cli(store.env, 'credential', 'show', '--client-id', 'nobody');
    assert.equal(unknown.code, 1);
    assert.match(unknown.err, /Unknown credential "nobody"/);

    const db = await store.open();
    try {
      const trail = await db.query<{ action: string; actor: object; row: string }>(
        'SELECT action, actor, row_to_json(a)::text AS row FROM admin_audit a WHERE credential_client_id = $1 ORDER BY create_date, action',
        [created.client_id],
      );
      assert.deepEqual(trail.map((r) => r.action), [
        'credential_created',
        'credential_allowlist_changed',
        'credential_allowlist_changed',
        'credential_rotated',
        'credential_rotated',
        'credential_revoked',
      ]);
      for (const record of trail) {
        assert.deepEqual(record.actor, { via: 'cli' });
        assert.ok(!record.row.includes(created.client_secret) && !record.row.includes(next.client_secret) && !record.row.includes('$2'));
      }
    } finally {
      await db.close();
    }
  });

  it('answers usage mistakes with exit code 2 and failures with exit code 1', async () => {
    const cases: Array<[string[], number, RegExp]> = [
      [['bogus'], 2, /Unknown command "bogus"/],
      [['tenant'], 2, /Missing subcommand: deuterium tenant create\|list/],
      [['tenant', 'delete'], 2, /Unknown command "tenant delete"/],
      [['tenant', 'create'], 2, /Missing tenant name/],
      [['tenant', 'create', '  '], 2, /must not be empty/],
      [['tenant', 'create', 'a', 'b'], 2, /Unexpected argument "b"/],
      [['tenant', 'list', '--tenant', 'acme'], 2, /Unknown option '--tenant'/],
      [['credential', 'create'], 2, /Missing --tenant/],
      [['credential', 'create', '--tenant'], 2, /argument missing/],
      [['credential', 'create', '--tenant', 'acme', '--authority', 'ROLE_ROOT'], 2, /--authority: unknown authority "ROLE_ROOT"; expected one of ROLE_SUPER_ADMIN, ROLE_ADMIN/],
      [['credential', 'create', '--tenant', 'acme', '--client-id', 'a:b'], 2, /must not contain ":"/],
      [['credential', 'create', '--tenant', 'nobody'], 1, /Unknown tenant "nobody"/],
      [['credential', 'list', '--tenant', 'nobody'], 1, /Unknown tenant "nobody"/],
    ];
    for (const [argv, code, message] of cases) {
      const run = await cli(store.env, ...argv);
      assert.equal(run.code, code, argv.join(' '));
      assert.match(run.err, message, argv.join(' '));
      assert.equal(run.out, '', argv.join(' '));
    }
  });

  it('checks arguments before opening the database', async () => {
    const unusable = { DATA_DIR: '/dev/null/data' };
    const run = await cli(unusable, 'credential', 'create', '--tenant', 'acme', '--authority', 'ROLE_ROOT');
    assert.equal(run.code, 2);
    assert.match(run.err, /unknown authority/);
  });

  it('prints help with exit code 0, and to stderr with exit code 2 when called without arguments', async () => {
    for (const argv of [['help'], ['--help'], ['credential', 'create', '-h']]) {
      const run = await cli(store.env, ...argv);
      assert.equal(run.code, 0);
      assert.match(run.out, /^Usage: deuterium <command>/);
      assert.match(run.out, /works on its database beside it/);
    }
    const bare = await cli(store.env);
    assert.equal(bare.code, 2);
    assert.match(bare.err, /^Usage: deuterium <command>/);
  });
});

describe('bin/deuterium.js', () => {
  it('runs as an executable and exits with the command\'s code', async () => {
    const created = await deuterium(store.env, 'tenant', 'create', 'spawned', '--json');
    assert.equal(created.code, 0, created.err);
    assert.equal(JSON.parse(created.out).name, 'spawned');

    const failed = await deuterium(store.env, 'credential', 'create', '--tenant', 'nobody');
    assert.equal(failed.code, 1);
    assert.match(failed.err, /^error: Unknown tenant "nobody"/);
  });
});
