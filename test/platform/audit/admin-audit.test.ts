import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Secret, TOTP } from 'otpauth';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, freshDatabase, startServer, type HttpResult, type TestServer } from '../../support/server.ts';
import { signRegistration } from '../../../src/hydro/registration.ts';
import { runCli } from '../../../src/cli/run.ts';
import { buildApp } from '../../../src/app.ts';
import { loadConfig } from '../../../src/config.ts';
import { listAudit } from '../../../src/platform/audit/admin-audit.ts';
import { migrate } from '../../../src/platform/db/migrations.ts';
import { allMigrations } from '../../../src/platform/db/prepare.ts';

const TRAIL = '/admin/v1/audit_trail';
const OTP = 'http://auth0.com/oauth/grant-type/mfa-otp';
const RECOVERY = 'http://auth0.com/oauth/grant-type/mfa-recovery-code';

interface AuditRecord {
  id: string;
  action: string;
  credential_id: string | null;
  credential_client_id: string | null;
  admin_user_id: string | null;
  actor: Record<string, unknown>;
  details: Record<string, any>;
  create_date: string;
}

function codeOf(secret: string, steps = 0): string {
  return new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: Date.now() + steps * 30_000 });
}

/** Every key and every string value in a JSON value: a short code is looked for as a whole value, not as digits inside an id. */
function leaves(value: unknown, found = { keys: [] as string[], values: [] as string[] }) {
  if (typeof value === 'string') found.values.push(value);
  else if (Array.isArray(value)) for (const item of value) leaves(item, found);
  else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      found.keys.push(key);
      leaves(inner, found);
    }
  }
  return found;
}

/**
 * Every management action recorded in the tenant's admin audit trail over real HTTP: admin
 * users, second factors, the tenant's reset, the bootstrap credential, and the operator tool's
 * tenant commands. Every secret, code and token the test sees is kept, to prove none reaches
 * the trail or the table behind it; a refused change must add no record.
 */
describe('the admin audit trail of every management action', () => {
  let server: TestServer;
  let bootstrapCredentialId: string;
  /** Long secrets: none may appear anywhere in the trail. */
  const secrets: string[] = [ADMIN_CLIENT_SECRET];
  /** Six-digit codes and messages: none may be a value in the trail. */
  const codes: string[] = [];

  const trail = async (query = '', token?: string): Promise<HttpResult<{ content: AuditRecord[]; total_elements: number }>> =>
    server.request('GET', `${TRAIL}?size=1000&ascending=true${query}`, { token });
  const records = async (query = ''): Promise<AuditRecord[]> => {
    const answer = await trail(query);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    return answer.body.content;
  };
  const count = async () => (await trail()).body.total_elements;

  async function unchanged(what: string, change: () => Promise<HttpResult>, status: number): Promise<void> {
    const before = await count();
    const answer = await change();
    assert.equal(answer.status, status, `${what}: ${JSON.stringify(answer.body)}`);
    assert.equal(await count(), before, `${what} adds no record`);
  }

  function byApi(record: AuditRecord, credentialId: string, adminUserId: string | null = null): void {
    assert.deepEqual(record.actor, { via: 'api', credential_id: credentialId, admin_user_id: adminUserId, nucleus_client_id: null, ip: '127.0.0.1' }, record.action);
  }

  async function credentialIdOf(clientId: string): Promise<string> {
    return (await server.db.query<{ id: string }>('SELECT id FROM api_credential WHERE client_id = $1', [clientId]))[0].id;
  }

  async function tokenOf(clientId: string, clientSecret: string): Promise<string> {
    const answer = await server.token(clientId, clientSecret, { grant_type: 'client_credentials' });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    secrets.push(answer.body.access_token);
    return answer.body.access_token;
  }

  async function adminUser(username: string, password: string, extra: Record<string, unknown> = {}): Promise<string> {
    secrets.push(password);
    const created = await server.request('POST', '/admin/v1/client', { body: { username, password, authorities: 'ROLE_ADMIN', ...extra } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    return String(created.body.id);
  }

  const grant = async (params: Record<string, string>): Promise<HttpResult> => {
    const answer = await server.token(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, params);
    if (answer.body.access_token) secrets.push(answer.body.access_token);
    if (answer.body.mfa_token) secrets.push(answer.body.mfa_token);
    return answer;
  };

  before(async () => {
    server = await startServer({ hydroChainDir: null });
    bootstrapCredentialId = await credentialIdOf(ADMIN_CLIENT_ID);
    secrets.push(await server.adminToken());
  });
  after(() => server.close());

  it('starts with the super-admin credential the server made at first start', async () => {
    const [first] = await records();
    assert.equal(first.action, 'credential_created');
    assert.deepEqual(first.actor, { via: 'system' });
    assert.equal(first.credential_id, bootstrapCredentialId);
    assert.equal(first.credential_client_id, ADMIN_CLIENT_ID);
    assert.equal(first.admin_user_id, null);
    assert.deepEqual(first.details, { name: 'super admin', authorities: ['ROLE_SUPER_ADMIN'], apps: ['nucleus', 'proton', 'electron', 'hydro'], allowed_ips: [] });
  });

  it('records admin users created, updated, their passwords changed and deleted, by whoever did it, never a password', async () => {
    const passwords = ['Audited-password-1', 'Audited-password-2', 'Audited-password-3'];
    const id = await adminUser('audited', passwords[0], { is_2fa: false });
    const boss = await adminUser('boss', 'Boss-password-1');
    const support = await server.credential(['ROLE_SUPPORT']);
    secrets.push(support.clientSecret);
    const supportToken = await tokenOf(support.clientId, support.clientSecret);
    const bossToken = (await grant({ grant_type: 'password', username: 'boss', password: 'Boss-password-1' })).body.access_token;
    secrets.push(...passwords);

    const updated = await server.request('PUT', `/admin/v1/client/${id}`, {
      body: { password: passwords[1], authorities: 'ROLE_ADMIN,ROLE_SUPPORT', is_account_non_locked: false, username: 'audited' },
    });
    assert.equal(updated.status, 200, JSON.stringify(updated.body));
    const same = await server.request('PUT', `/admin/v1/client/${id}`, { body: { ...updated.body } });
    assert.equal(same.status, 200, 'an update that changes nothing');
    assert.equal((await server.request('PUT', `/admin/v1/client/${id}`, { body: { is_account_non_locked: true }, token: bossToken })).status, 200);
    const changed = await server.request('POST', '/admin/v1/client_credentials', {
      body: { username: 'audited', current_password: passwords[1], new_password: passwords[2] },
      token: supportToken,
    });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));

    await unchanged('a wrong current password', () => server.request('POST', '/admin/v1/client_credentials', {
      body: { username: 'audited', current_password: passwords[0], new_password: 'Never-stored-password-9' },
    }), 400);
    await unchanged('a weak new password', () => server.request('PUT', `/admin/v1/client/${id}`, { body: { password: 'short' } }), 400);
    await unchanged('a taken username', () => server.request('PUT', `/admin/v1/client/${id}`, { body: { username: 'boss' } }), 409);
    await unchanged('a taken username at creation', () => server.request('POST', '/admin/v1/client', {
      body: { username: 'boss', password: 'Another-password-1', authorities: 'ROLE_ADMIN' },
    }), 409);
    await unchanged('an admin granting super-admin', () => server.request('PUT', `/admin/v1/client/${id}`, {
      body: { authorities: 'ROLE_SUPER_ADMIN' },
      token: bossToken,
    }), 403);
    await unchanged('an admin creating a super-admin', () => server.request('POST', '/admin/v1/client', {
      body: { username: 'usurper', password: 'Usurper-password-1', authorities: 'ROLE_SUPER_ADMIN' },
      token: bossToken,
    }), 403);
    await unchanged('a support role deleting', () => server.request('DELETE', `/admin/v1/client/${id}`, { token: supportToken }), 403);
    await unchanged('an unknown user', () => server.request('DELETE', '/admin/v1/client/999999'), 404);
    assert.equal((await server.request('DELETE', `/admin/v1/client/${id}`, { token: bossToken })).status, 204);

    const mine = await records(`&admin_user_id=${id}`);
    assert.deepEqual(mine.map((r) => r.action), [
      'admin_user_created',
      'admin_user_updated',
      'admin_user_updated',
      'admin_user_password_changed',
      'admin_user_deleted',
    ]);
    const [created, update, unlock, password, deletion] = mine;
    for (const record of mine) {
      assert.equal(record.admin_user_id, id);
      assert.equal(record.credential_id, null);
      assert.equal(record.credential_client_id, null);
    }
    byApi(created, bootstrapCredentialId);
    assert.deepEqual(created.details, {
      username: 'audited',
      authorities: ['ROLE_ADMIN'],
      is_enabled: true,
      is_account_non_locked: true,
      is_account_non_expired: true,
      is_credentials_non_expired: true,
      is_2fa: false,
      is_2fa_verified: false,
    });
    byApi(update, bootstrapCredentialId);
    assert.deepEqual(update.details, {
      changes: {
        authorities: { from: ['ROLE_ADMIN'], to: ['ROLE_ADMIN', 'ROLE_SUPPORT'] },
        is_account_non_locked: { from: true, to: false },
      },
      password_changed: true,
    });
    byApi(unlock, bootstrapCredentialId, boss);
    assert.deepEqual(unlock.details, { changes: { is_account_non_locked: { from: false, to: true } } });
    byApi(password, await credentialIdOf(support.clientId));
    assert.deepEqual(password.details, { password_changed: true });
    byApi(deletion, bootstrapCredentialId, boss);
    assert.deepEqual(deletion.details, { username: 'audited', authorities: ['ROLE_ADMIN', 'ROLE_SUPPORT'] });

    const byFilter = await records(`&filter=${encodeURIComponent(`admin_user_id==${id};action==admin_user_updated`)}`);
    assert.deepEqual(byFilter.map((r) => r.id), [update.id, unlock.id]);
    assert.deepEqual((await records(`&admin_user_id=${boss}`)).map((r) => r.action), ['admin_user_created']);
  });

  it('records second factors enrolled, recovery codes used and a reset, never a secret, code or recovery code', async () => {
    const id = await adminUser('two-factor', 'Two-factor-password-1', { is_2fa: true });
    const login = async () => {
      const answer = await grant({ grant_type: 'password', username: 'two-factor', password: 'Two-factor-password-1' });
      assert.equal(answer.body.error, 'mfa_required', JSON.stringify(answer.body));
      return answer.body.mfa_token as string;
    };
    const mfa = (method: string, path: string, token: string, body?: unknown) => server.request(method, `/admin/v1/mfa${path}`, { token, body });

    const enrolling = await login();
    const started = await mfa('POST', '/totp', enrolling);
    assert.equal(started.status, 201);
    secrets.push(started.body.secret, started.body.otpauth_uri);
    const wrongCode = codeOf(started.body.secret, 5);
    codes.push(wrongCode);
    await unchanged('a wrong code at enrolment', () => mfa('POST', '/totp/confirm', enrolling, { otp: wrongCode }), 400);
    const code = codeOf(started.body.secret);
    codes.push(code);
    const confirmed = await mfa('POST', '/totp/confirm', enrolling, { otp: code });
    assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
    const recoveryCodes = confirmed.body.recovery_codes as string[];
    secrets.push(...recoveryCodes, ...recoveryCodes.map((c) => c.replace(/-/g, '')));
    const hashes = await server.db.query<{ code_sha256: string }>('SELECT code_sha256 FROM admin_recovery_code WHERE admin_user_id = $1', [id]);
    secrets.push(...hashes.map((h) => h.code_sha256));

    const recovered = await grant({ grant_type: RECOVERY, mfa_token: await login(), recovery_code: recoveryCodes[2] });
    assert.equal(recovered.status, 200, JSON.stringify(recovered.body));
    await unchanged('a used recovery code', () => grant({ grant_type: RECOVERY, mfa_token: enrolling, recovery_code: recoveryCodes[2] }), 400);
    const otp = codeOf(started.body.secret, 1);
    codes.push(otp);
    const signedIn = await grant({ grant_type: OTP, mfa_token: await login(), otp });
    assert.equal(signedIn.status, 200, JSON.stringify(signedIn.body));

    const ownToken = signedIn.body.access_token;
    await unchanged('the user resetting itself', () => server.request('DELETE', `/admin/v1/client/${id}/mfa`, { token: ownToken }), 403);
    await unchanged('a reset of nobody', () => server.request('DELETE', '/admin/v1/client/999999/mfa'), 404);
    assert.equal((await server.request('DELETE', `/admin/v1/client/${id}/mfa`)).status, 204);

    const mine = await records(`&admin_user_id=${id}`);
    assert.deepEqual(mine.map((r) => r.action), ['admin_user_created', 'mfa_enrolled', 'mfa_recovery_code_used', 'mfa_reset']);
    const [, enrolled, used, reset] = mine;
    byApi(enrolled, bootstrapCredentialId, id);
    assert.deepEqual(enrolled.details, { factor: 'totp', recovery_codes_issued: 10 });
    byApi(used, bootstrapCredentialId, id);
    assert.deepEqual(used.details, { recovery_codes_left: 9 });
    byApi(reset, bootstrapCredentialId);
    assert.deepEqual(reset.details, { factors_removed: ['totp'], unused_recovery_codes_removed: 9 });
    assert.deepEqual((await records('&action=mfa_reset')).map((r) => r.admin_user_id), [id], 'filtered by action');
  });

  it('records a HydroID enrolled for Raindrop', async () => {
    const alice = privateKeyToAccount(generatePrivateKey());
    const contracts = (await server.request('GET', '/hydro/v1/contracts')).body;
    const registration = await signRegistration(alice, contracts.hydro_id_registry, 'alice');
    assert.equal((await server.request('POST', '/hydro/v1/hydro_id', { body: { hydro_id: 'alice', address: alice.address, signature: registration } })).status, 201);
    const id = await adminUser('raindrop-audited', 'Raindrop-password-1', { is_2fa: true });
    const mfaToken = (await grant({ grant_type: 'password', username: 'raindrop-audited', password: 'Raindrop-password-1' })).body.mfa_token;

    const started = await server.request('POST', '/admin/v1/mfa/raindrop', { token: mfaToken, body: { hydro_id: 'alice' } });
    assert.equal(started.status, 201, JSON.stringify(started.body));
    codes.push(started.body.message);
    await unchanged('an unsigned message', () => server.request('POST', '/admin/v1/mfa/raindrop/confirm', { token: mfaToken }), 400);
    const signature = await alice.signMessage({ message: started.body.message });
    assert.equal((await server.request('POST', '/hydro/v1/signature', { body: { hydro_id: 'alice', message: started.body.message, signature } })).status, 201);
    const confirmed = await server.request('POST', '/admin/v1/mfa/raindrop/confirm', { token: mfaToken });
    assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
    secrets.push(...confirmed.body.recovery_codes);

    const [enrolled] = await records(`&admin_user_id=${id}&action=mfa_enrolled`);
    byApi(enrolled, bootstrapCredentialId, id);
    assert.deepEqual(enrolled.details, { factor: 'raindrop', hydro_id: 'alice', recovery_codes_issued: 10 });
  });

  it('records a reset of the tenant, with the rows it removed, in the trail the reset keeps', async () => {
    const client = await server.request('POST', '/nucleus/v1/client', { body: { username: 'wiped@example.com', client_type: 'individual' } });
    assert.equal(client.status, 201);
    const before = await records();
    const admin = await server.credential(['ROLE_ADMIN']);
    secrets.push(admin.clientSecret);
    const adminToken = await tokenOf(admin.clientId, admin.clientSecret);
    await unchanged('a wrong confirmation', () => server.request('POST', '/admin/v1/tenant/reset?confirm=nope'), 400);
    await unchanged('a reset by an admin', () => server.request('POST', '/admin/v1/tenant/reset?confirm=default', { token: adminToken }), 403);

    const reset = await server.request('POST', '/admin/v1/tenant/reset?confirm=default');
    assert.equal(reset.status, 200, JSON.stringify(reset.body));
    const after = await records();
    assert.deepEqual(after.slice(0, before.length), before, 'the trail survives the reset');
    assert.equal(after.length, before.length + 1);
    const record = after[after.length - 1];
    assert.equal(record.action, 'tenant_reset');
    byApi(record, bootstrapCredentialId);
    assert.deepEqual([record.credential_id, record.credential_client_id, record.admin_user_id], [null, null, null]);
    assert.deepEqual(record.details, { removed: reset.body.removed, total: reset.body.total });
    assert.ok(record.details.removed.nucleus_client >= 1);
  });

  it('shows the trail to super-admins only, each tenant its own, and checks its filters', async () => {
    const admin = await server.credential(['ROLE_ADMIN']);
    const support = await server.credential(['ROLE_SUPPORT']);
    secrets.push(admin.clientSecret, support.clientSecret);
    await adminUser('plain-admin', 'Plain-admin-password-1');
    const adminUserToken = (await grant({ grant_type: 'password', username: 'plain-admin', password: 'Plain-admin-password-1' })).body.access_token;
    for (const [who, token] of [
      ['an admin credential', await tokenOf(admin.clientId, admin.clientSecret)],
      ['a support credential', await tokenOf(support.clientId, support.clientSecret)],
      ['an admin user', adminUserToken],
    ]) {
      const refused = await trail('', token);
      assert.equal(refused.status, 403, who);
      assert.equal((refused.body as unknown as { code: string }).code, 'forbidden', who);
    }
    const other = await server.otherTenant();
    assert.equal((await trail('', other.token)).body.total_elements, 0, "another tenant's trail");
    const refused = await trail('&admin_user_id=alice');
    assert.equal(refused.status, 400);
    assert.equal((refused.body as unknown as { field: string }).field, 'admin_user_id');
    const bad = await trail('&action=admin_user_stolen');
    assert.equal(bad.status, 400);

    const spec = (await server.request('GET', '/openapi.json', { token: null })).body;
    const operation = spec.paths[TRAIL].get;
    assert.ok(operation.parameters.some((p: { name: string }) => p.name === 'admin_user_id'));
    const record = operation.responses['200'].content['application/json'].schema.properties.content.items;
    assert.ok(record.properties.action.enum.includes('tenant_reset') && record.properties.action.enum.includes('mfa_enrolled'));
    assert.deepEqual(record.properties.actor.properties.via.enum, ['api', 'cli', 'system']);
    assert.ok(record.required.includes('admin_user_id'));
  });

  it('holds no secret, code, token or hash anywhere, in the answer or the table', async () => {
    const everything = await trail();
    assert.ok(everything.body.total_elements > 10);
    const rows = (await server.db.query<{ row: string }>('SELECT row_to_json(a)::text AS row FROM admin_audit a')).map((r) => r.row);
    const hashes = await server.db.query<{ h: string }>('SELECT password_hash AS h FROM admin_user UNION SELECT secret_hash FROM api_credential');
    for (const [what, text, found] of [
      ['the answer', JSON.stringify(everything.body), leaves(everything.body)],
      ...rows.map((row) => ['a row', row, leaves(JSON.parse(row))] as const),
    ] as const) {
      for (const secret of [...secrets, ...hashes.map((h) => h.h)]) assert.ok(!text.includes(secret), `${what} holds a secret`);
      for (const code of codes) assert.ok(!found.values.includes(code), `${what} holds a code`);
      assert.ok(!/\$2[aby]\$/.test(text), `${what} holds a bcrypt hash`);
      const named = found.keys.filter((key) => /password|secret|hash|token$|^otp$|^code$|^recovery_codes?$/.test(key) && key !== 'password_changed');
      assert.deepEqual(named, [], `${what} names a secret field`);
    }
  });
});

describe("the operator tool's tenant commands in the admin audit trail", () => {
  it('records a tenant created and its environment changed, as the operator tool', async () => {
    const { db, url, drop } = await freshDatabase('prepared');
    try {
      const run = async (...argv: string[]) => {
        const out: string[] = [];
        const err: string[] = [];
        const code = await runCli(argv, { out: (line) => out.push(line), err: (line) => err.push(line) }, { DATABASE_URL: url });
        return { code, out: out.join('\n'), err: err.join('\n') };
      };
      const created = await run('tenant', 'create', 'audited', '--environment', 'production', '--json');
      assert.equal(created.code, 0, created.err);
      const tenantId = JSON.parse(created.out).id;
      assert.equal((await run('tenant', 'create', 'audited')).code, 1, 'a duplicate');
      assert.equal((await run('tenant', 'set-environment', 'audited', 'sandbox')).code, 0);
      assert.equal((await run('tenant', 'set-environment', 'audited', 'sandbox')).code, 0, 'already a sandbox');
      assert.equal((await run('tenant', 'set-environment', 'audited', 'staging')).code, 2);
      const made = await run('credential', 'create', '--tenant', 'audited', '--authority', 'ROLE_SUPER_ADMIN', '--json');
      assert.equal(made.code, 0, made.err);
      const credential = JSON.parse(made.out);

      const app = await buildApp({ config: { ...loadConfig({}), logLevel: 'silent' }, db });
      try {
        await app.listen({ host: '127.0.0.1', port: 0 });
        const address = app.server.address();
        assert.ok(address && typeof address !== 'string');
        const base = `http://127.0.0.1:${address.port}`;
        const basic = Buffer.from(`${credential.client_id}:${credential.client_secret}`).toString('base64');
        const token = (await (await fetch(`${base}/authorization/v1/oauth/token?grant_type=client_credentials`, { method: 'POST', headers: { authorization: `Basic ${basic}` } })).json()).access_token;
        const answer = await fetch(`${base}${TRAIL}?ascending=true`, { headers: { authorization: `Bearer ${token}` } });
        assert.equal(answer.status, 200);
        const text = await answer.text();
        const records = JSON.parse(text).content as AuditRecord[];
        assert.deepEqual(records.map((r) => [r.action, r.actor]), [
          ['tenant_created', { via: 'cli' }],
          ['tenant_environment_changed', { via: 'cli' }],
          ['credential_created', { via: 'cli' }],
        ]);
        assert.deepEqual(records[0].details, { name: 'audited', environment: 'production' });
        assert.deepEqual(records[1].details, { from: 'production', to: 'sandbox' });
        assert.deepEqual([records[0].credential_id, records[0].admin_user_id], [null, null]);
        assert.equal(records[2].credential_client_id, credential.client_id);
        assert.ok(!text.includes(credential.client_secret) && !text.includes(token));
        const all = await db.query<{ tenant_id: string }>('SELECT tenant_id FROM admin_audit');
        assert.ok(all.every((row) => row.tenant_id === tenantId), "each record in the tenant's own trail");
      } finally {
        await app.close();
      }
    } finally {
      await db.close();
      await drop();
    }
  });

  it('lists the records made before admin users could be subjects (migration 24)', async () => {
    const { db, drop } = await freshDatabase('empty');
    try {
      await migrate(db, allMigrations.filter((m) => m.version < 24));
      await db.query("INSERT INTO tenant (id, name) VALUES ('00000000-0000-4000-8000-000000000024', 'older')");
      await db.query(
        `INSERT INTO admin_audit (tenant_id, id, action, credential_id, credential_client_id, actor, details)
         VALUES ('00000000-0000-4000-8000-000000000024', '00000000-0000-4000-8000-000000000001', 'credential_revoked',
                 '00000000-0000-4000-8000-000000000002', 'dt_old', '{"via":"cli"}', '{"tokens_revoked":0}')`,
      );
      await migrate(db, allMigrations);
      const page = await listAudit(db, '00000000-0000-4000-8000-000000000024', { page: 0, size: 10, order_by: 'create_date', ascending: false });
      assert.equal(page.content.length, 1);
      assert.equal(page.content[0].admin_user_id, null);
      assert.equal(page.content[0].credential_client_id, 'dt_old');
      const indexes = await db.query<{ indexdef: string }>("SELECT indexdef FROM pg_indexes WHERE indexname = 'admin_audit_admin_user'");
      assert.match(indexes[0].indexdef, /\(tenant_id, admin_user_id, create_date\)/);
    } finally {
      await db.close();
      await drop();
    }
  });
});
