import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import { ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, startServer, type TestServer } from '../../support/server.ts';
import { durableStorage, startServerProcess, stopServerProcess, type DurableStorage } from '../../support/process.ts';
import { readableLogs } from '../../../src/platform/logging/log-options.ts';

const OTP_GRANT = 'http://auth0.com/oauth/grant-type/mfa-otp';
const RECOVERY_GRANT = 'http://auth0.com/oauth/grant-type/mfa-recovery-code';

/** Every line the server logs, kept as written. */
function captured(): { write(line: string): void; lines: string[]; records(): Record<string, any>[] } {
  const lines: string[] = [];
  return { lines, write: (line) => void lines.push(line), records: () => lines.map((line) => JSON.parse(line) as Record<string, any>) };
}

function codeOf(secret: string, steps = 0): string {
  return new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: Date.now() + steps * 30_000 });
}

describe('request logs', () => {
  let server: TestServer;
  const log = captured();

  before(async () => {
    server = await startServer({ logLevel: 'info' }, log);
  });
  after(() => server.close());

  it('carry the request id on every line, and the tenant and credential once the caller is known', async () => {
    const [admin] = await server.db.query<{ id: string; tenant_id: string }>('SELECT id, tenant_id FROM api_credential WHERE client_id = $1', [ADMIN_CLIENT_ID]);
    const requestId = `log-${randomUUID()}`;
    const listed = await server.request('GET', '/nucleus/v1/client', { headers: { 'x-request-id': requestId } });
    assert.equal(listed.status, 200);
    const lines = log.records().filter((line) => line.reqId === requestId);
    assert.deepEqual(lines.map((line) => line.msg), ['incoming request', 'request completed']);
    // The first line is written as the request arrives, before its token is read.
    const completed = lines[1];
    assert.equal(completed.tenant, admin.tenant_id);
    assert.equal(completed.credential, admin.id);
    assert.equal(completed.res.statusCode, 200);

    const tokenRequest = `log-${randomUUID()}`;
    const basic = Buffer.from(`${ADMIN_CLIENT_ID}:${ADMIN_CLIENT_SECRET}`).toString('base64');
    const issued = await server.request('POST', '/authorization/v1/oauth/token?grant_type=client_credentials', {
      token: null,
      headers: { authorization: `Basic ${basic}`, 'x-request-id': tokenRequest },
    });
    assert.equal(issued.status, 200);
    const tokenLine = log.records().find((line) => line.reqId === tokenRequest && line.msg === 'request completed');
    assert.deepEqual([tokenLine?.tenant, tokenLine?.credential], [admin.tenant_id, admin.id], 'the token endpoint names the credential it authenticated');

    const refused = `log-${randomUUID()}`;
    assert.equal((await server.request('GET', '/nucleus/v1/client', { token: 'not-a-token', headers: { 'x-request-id': refused } })).status, 401);
    const refusedLine = log.records().find((line) => line.reqId === refused && line.msg === 'request completed');
    assert.equal(refusedLine?.tenant, undefined, 'a caller never admitted is named by nobody');
  });
});

/**
 * Every request that carries or answers a secret, at the most talkative level, and then a
 * search of everything logged for each secret's value.
 */
describe('secrets in logs', () => {
  let server: TestServer;
  const log = captured();
  const secrets = new Set<string>([ADMIN_CLIENT_SECRET, Buffer.from(`${ADMIN_CLIENT_ID}:${ADMIN_CLIENT_SECRET}`).toString('base64')]);
  const keep = (...values: (string | undefined)[]) => values.forEach((value) => value && secrets.add(value));

  before(async () => {
    server = await startServer({ logLevel: 'trace' }, log);
  });
  after(() => server.close());

  it('never logs a client secret, password, token, TOTP secret or recovery code', async () => {
    const adminToken = await server.adminToken();
    keep(adminToken);

    // Credentials: created, read, rotated.
    const created = await server.request('POST', '/admin/v1/api_credential', { body: { name: 'logged', authorities: ['ROLE_ADMIN'] } });
    assert.equal(created.status, 201);
    keep(created.body.client_secret);
    const rotated = await server.request('POST', `/admin/v1/api_credential/${created.body.id}/rotate`, { body: { grace_period_seconds: 60 } });
    assert.equal(rotated.status, 200, JSON.stringify(rotated.body));
    keep(rotated.body.client_secret);
    const issued = await server.token(created.body.client_id, rotated.body.client_secret, { grant_type: 'client_credentials' });
    keep(issued.body.access_token);
    assert.equal((await server.token(created.body.client_id, 'a-wrong-secret-of-some-length', { grant_type: 'client_credentials' })).status, 401);
    keep('a-wrong-secret-of-some-length');

    // An admin user, its password grant in the query string and in a form body, a wrong password.
    const password = `Pass-${randomUUID()}`;
    const user = await server.request('POST', '/admin/v1/client', { body: { username: 'logged-admin', password, authorities: 'ROLE_ADMIN', is_2fa: true } });
    assert.equal(user.status, 201, JSON.stringify(user.body));
    keep(password);
    const asked = await server.token(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, { grant_type: 'password', username: 'logged-admin', password });
    assert.equal(asked.body.error, 'mfa_required');
    const mfaToken = asked.body.mfa_token as string;
    keep(mfaToken);
    const wrongPassword = `Wrong-${randomUUID()}`;
    keep(wrongPassword);
    const form = await fetch(`${server.url}/authorization/v1/oauth/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${ADMIN_CLIENT_ID}:${ADMIN_CLIENT_SECRET}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'password', username: 'logged-admin', password: wrongPassword }),
    });
    assert.equal(form.status, 400);

    // Its second factor: the TOTP secret, the codes, the recovery codes, and the grants spending them.
    const started = await server.request('POST', '/admin/v1/mfa/totp', { token: mfaToken });
    assert.equal(started.status, 201, JSON.stringify(started.body));
    keep(started.body.secret, started.body.otpauth_uri);
    const confirmCode = codeOf(started.body.secret);
    const confirmed = await server.request('POST', '/admin/v1/mfa/totp/confirm', { token: mfaToken, body: { otp: confirmCode } });
    assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
    for (const code of confirmed.body.recovery_codes as string[]) keep(code);
    const signInCode = codeOf(started.body.secret, 1);
    const signedIn = await server.token(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, { grant_type: OTP_GRANT, mfa_token: mfaToken, otp: signInCode });
    assert.equal(signedIn.status, 200, JSON.stringify(signedIn.body));
    keep(signedIn.body.access_token);
    const second = await server.token(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, { grant_type: 'password', username: 'logged-admin', password });
    keep(second.body.mfa_token);
    const recovered = await server.token(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, { grant_type: RECOVERY_GRANT, mfa_token: second.body.mfa_token, recovery_code: confirmed.body.recovery_codes[0] });
    assert.equal(recovered.status, 200, JSON.stringify(recovered.body));
    keep(recovered.body.access_token);

    // A Nucleus client with a password, and its own password grant.
    const clientPassword = `Client-${randomUUID()}`;
    const client = await server.request('POST', '/nucleus/v1/client', { body: { username: `logged-${randomUUID()}@example.com`, client_type: 'individual', password: clientPassword } });
    assert.equal(client.status, 201, JSON.stringify(client.body));
    keep(clientPassword);
    const clientLogin = await server.token(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, { grant_type: 'password', username: client.body.username, password: clientPassword });
    assert.equal(clientLogin.status, 200, JSON.stringify(clientLogin.body));
    keep(clientLogin.body.access_token);

    const output = log.lines.join('\n');
    assert.ok(log.lines.length >= 30, `every request was logged (${log.lines.length} lines)`);
    assert.ok(output.includes('[redacted]'), 'the password in the query string was logged redacted');
    for (const secret of secrets) assert.ok(!output.includes(secret), `a secret reached the log: ${secret.slice(0, 4)}...`);
  });

  it('blanks secret fields and headers in whatever is logged', () => {
    server.app.log.warn(
      { password: 'p-1', body: { client_secret: 'p-2', recovery_codes: ['p-3'] }, headers: { authorization: 'Bearer p-4' }, request: { headers: { authorization: 'Basic p-5' } } },
      'something carrying secrets',
    );
    const line = log.lines.at(-1)!;
    for (const value of ['p-1', 'p-2', 'p-3', 'p-4', 'p-5']) assert.ok(!line.includes(value), `${value} in ${line}`);
    assert.equal(JSON.parse(line).body.client_secret, '[redacted]');
  });
});

describe('log format', () => {
  it('is readable on a terminal and JSON elsewhere unless LOG_FORMAT says', () => {
    assert.equal(readableLogs('auto', true), true);
    assert.equal(readableLogs('auto', false), false);
    assert.equal(readableLogs('json', true), false);
    assert.equal(readableLogs('pretty', false), true);
  });

  let storage: DurableStorage;
  before(async () => {
    storage = await durableStorage();
  });
  after(() => storage.dispose());

  it('writes JSON lines when standard output is not a terminal, and readable ones with LOG_FORMAT=pretty', async () => {
    const json = await startServerProcess({ ...storage.env, LOG_LEVEL: 'info' });
    await stopServerProcess(json);
    const jsonLines = json.output().split('\n').filter((line) => line.includes('Deuterium is ready'));
    assert.equal(jsonLines.length, 1, json.output());
    assert.equal(JSON.parse(jsonLines[0]).msg, 'Deuterium is ready');

    const pretty = await startServerProcess({ ...storage.env, LOG_LEVEL: 'info', LOG_FORMAT: 'pretty' });
    const requestId = `pretty-${randomUUID()}`;
    await fetch(`${pretty.url}/health`, { headers: { 'x-request-id': requestId } });
    await stopServerProcess(pretty);
    const ready = pretty.output().split('\n').find((line) => line.includes('Deuterium is ready'));
    assert.ok(ready, pretty.output());
    assert.match(ready, /^\[\d{2}:\d{2}:\d{2}\.\d{3}\] INFO \(\d+\): Deuterium is ready/);
    assert.ok(pretty.output().includes(`reqId: "${requestId}"`), pretty.output());
  });
});
