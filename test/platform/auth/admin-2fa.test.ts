import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Secret, TOTP } from 'otpauth';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, startServer, type TestServer } from '../../support/server.ts';
import { signRegistration } from '../../../src/hydro/registration.ts';
import { tokenHash } from '../../../src/platform/auth/tokens.ts';

const PASSWORD = 'Admin-password-1';
const OTP = 'http://auth0.com/oauth/grant-type/mfa-otp';
const RECOVERY = 'http://auth0.com/oauth/grant-type/mfa-recovery-code';
const RAINDROP = 'urn:deuterium:params:oauth:grant-type:mfa-raindrop';

/** The code an authenticator app shows `steps` periods from now. */
function codeOf(secret: string, steps = 0): string {
  return new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: Date.now() + steps * 30_000 });
}

describe('two-factor sign-in of admin users', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ hydroChainDir: null });
  });
  after(() => server.close());

  const grant = (params: Record<string, string>) => server.token(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, params);
  const login = (username: string, password = PASSWORD) => grant({ grant_type: 'password', username, password });
  const mfa = (method: string, path: string, token: string, body?: unknown) => server.request(method, `/admin/v1/mfa${path}`, { token, body });

  async function adminUser(username: string, extra: Record<string, unknown> = { is_2fa: true }) {
    const created = await server.request('POST', '/admin/v1/client', { body: { username, password: PASSWORD, authorities: 'ROLE_ADMIN', ...extra } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    return created.body as { id: number };
  }

  async function mfaToken(username: string): Promise<string> {
    const answer = await login(username);
    assert.equal(answer.status, 403, JSON.stringify(answer.body));
    assert.equal(answer.body.error, 'mfa_required');
    assert.equal(answer.body.code, 'mfa_required');
    assert.match(answer.body.mfa_token, /^[A-Za-z0-9_-]{43}$/);
    return answer.body.mfa_token;
  }

  /** Enrols TOTP with the mfa_token of a user who has no factor yet; returns the secret and recovery codes. */
  async function enrolTotp(token: string) {
    const started = await mfa('POST', '/totp', token);
    assert.equal(started.status, 201, JSON.stringify(started.body));
    const confirmed = await mfa('POST', '/totp/confirm', token, { otp: codeOf(started.body.secret) });
    assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
    return { secret: started.body.secret as string, recoveryCodes: confirmed.body.recovery_codes as string[] };
  }

  it('answers a password of a user with is_2fa with mfa_required, and no access token', async () => {
    await adminUser('needs-2fa');
    const before = await server.db.query<{ n: string }>('SELECT count(*)::text AS n FROM access_token');
    const token = await mfaToken('needs-2fa');
    const answer = await login('needs-2fa');
    assert.match(answer.body.error_description, /enrol one at \/admin\/v1\/mfa\/totp/);
    assert.equal(answer.body.access_token, undefined);
    const after = await server.db.query<{ n: string }>('SELECT count(*)::text AS n FROM access_token');
    assert.equal(after[0].n, before[0].n, 'no access token was stored');
    assert.equal((await login('needs-2fa', 'Wrong-password-9')).body.error, 'invalid_grant', 'a wrong password is still just invalid_grant');
    const status = await mfa('GET', '', token);
    assert.equal(status.status, 200);
    assert.deepEqual(status.body, { is_2fa: true, is_2fa_verified: false, totp: false, raindrop: null, recovery_codes_left: 0 });
    // The mfa_token is no access token.
    assert.equal((await server.request('GET', '/admin/v1/client', { token })).status, 401);
  });

  it('enrols TOTP with an otpauth URI, then signs in with a code; the mfa_token works once', async () => {
    const user = await adminUser('totp-user');
    const token = await mfaToken('totp-user');
    assert.equal((await mfa('POST', '/totp/confirm', token, { otp: '123456' })).body.code, 'no_pending_enrolment');
    const started = await mfa('POST', '/totp', token);
    assert.equal(started.status, 201);
    assert.match(started.body.secret, /^[A-Z2-7]{32}$/);
    assert.match(started.body.otpauth_uri, /^otpauth:\/\/totp\/Deuterium:default%3Atotp-user\?issuer=Deuterium&secret=[A-Z2-7]+&algorithm=SHA1&digits=6&period=30$/);
    const wrong = await mfa('POST', '/totp/confirm', token, { otp: codeOf(started.body.secret, 5) });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.body.code, 'invalid_code');
    const confirmed = await mfa('POST', '/totp/confirm', token, { otp: codeOf(started.body.secret) });
    assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
    assert.equal(confirmed.body.recovery_codes.length, 10);
    assert.match(confirmed.body.recovery_codes[0], /^[a-z2-7]{4}(-[a-z2-7]{4}){3}$/);
    const stored = await server.db.query<{ code_sha256: string }>('SELECT code_sha256 FROM admin_recovery_code WHERE admin_user_id = $1', [user.id]);
    assert.equal(stored.length, 10);
    assert.ok(stored.every((row) => !confirmed.body.recovery_codes.some((code: string) => row.code_sha256.includes(code.replace(/-/g, '')))), 'hashed');
    const read = await server.request('GET', `/admin/v1/client/${user.id}`);
    assert.equal(read.body.is_2fa_verified, true);

    // Once a factor is in force, the password's mfa_token may not enrol another.
    assert.equal((await mfa('POST', '/totp', token)).status, 403);

    // The code just used to confirm is spent; the next one signs in.
    assert.equal((await grant({ grant_type: OTP, mfa_token: token, otp: codeOf(started.body.secret) })).body.error, 'invalid_grant');
    const signedIn = await grant({ grant_type: OTP, mfa_token: token, otp: codeOf(started.body.secret, 1) });
    assert.equal(signedIn.status, 200, JSON.stringify(signedIn.body));
    assert.equal(signedIn.body.environment, 'sandbox');
    assert.equal((await server.request('GET', '/admin/v1/client', { token: signedIn.body.access_token })).status, 200);
    const again = await grant({ grant_type: OTP, mfa_token: token, otp: codeOf(started.body.secret, -1) });
    assert.equal(again.status, 400);
    assert.equal(again.body.error, 'invalid_grant');
    assert.match(again.body.error_description, /mfa_token is invalid, expired or already used/);

    // With its access token, the user sees and may replace its factors.
    const status = await mfa('GET', '', signedIn.body.access_token);
    assert.deepEqual(status.body, { is_2fa: true, is_2fa_verified: true, totp: true, raindrop: null, recovery_codes_left: 10 });
    assert.equal((await mfa('POST', '/totp', signedIn.body.access_token)).status, 201);
  });

  it('takes a recovery code once, refuses an expired, foreign or unknown mfa_token, and a missing code', async () => {
    await adminUser('recovering');
    const { recoveryCodes } = await enrolTotp(await mfaToken('recovering'));
    const first = await mfaToken('recovering');
    const used = await grant({ grant_type: RECOVERY, mfa_token: first, recovery_code: recoveryCodes[3].toUpperCase() });
    assert.equal(used.status, 200, JSON.stringify(used.body));
    const second = await mfaToken('recovering');
    const reused = await grant({ grant_type: RECOVERY, mfa_token: second, recovery_code: recoveryCodes[3] });
    assert.equal(reused.body.error, 'invalid_grant');
    assert.match(reused.body.error_description, /recovery code is not valid or was already used/);
    assert.equal((await grant({ grant_type: RECOVERY, mfa_token: second, recovery_code: recoveryCodes[4] })).status, 200);

    const missing = await grant({ grant_type: OTP, mfa_token: await mfaToken('recovering') });
    assert.equal(missing.body.error, 'invalid_request');
    assert.equal((await grant({ grant_type: OTP, mfa_token: 'not-a-token', otp: '123456' })).body.error, 'invalid_grant');

    const expiring = await mfaToken('recovering');
    await server.db.query("UPDATE mfa_token SET expires_at = now() - interval '1 second' WHERE used_at IS NULL");
    const expired = await grant({ grant_type: RECOVERY, mfa_token: expiring, recovery_code: recoveryCodes[5] });
    assert.equal(expired.body.error, 'invalid_grant');
    assert.match(expired.body.error_description, /expired/);
    assert.equal((await server.db.query('SELECT 1 FROM admin_recovery_code WHERE used_at IS NULL')).length >= 8, true, 'the code was not spent');
    const stored = await server.db.query<{ seconds: number }>(
      'SELECT extract(epoch FROM expires_at - create_date)::int AS seconds FROM mfa_token WHERE token_hash = $1',
      [tokenHash(await mfaToken('recovering'))],
    );
    assert.equal(stored[0].seconds, 300, 'an mfa_token lives five minutes');

    // Bound to the credential that checked the password.
    const other = await server.credential(['ROLE_ADMIN']);
    const foreign = await server.token(other.clientId, other.clientSecret, { grant_type: RECOVERY, mfa_token: await mfaToken('recovering'), recovery_code: recoveryCodes[6] });
    assert.equal(foreign.body.error, 'invalid_grant');
  });

  it('locks the second factor after five wrong codes, even for the right one', async () => {
    await adminUser('guessed');
    const { secret } = await enrolTotp(await mfaToken('guessed'));
    const token = await mfaToken('guessed');
    for (let i = 0; i < 5; i++) {
      const wrong = await grant({ grant_type: OTP, mfa_token: token, otp: String(100000 + i) });
      assert.equal(wrong.body.error, 'invalid_grant');
    }
    const locked = await grant({ grant_type: OTP, mfa_token: token, otp: codeOf(secret, 1) });
    assert.equal(locked.body.error, 'invalid_grant', 'locked');
    await server.db.query('DELETE FROM login_failure');
    assert.equal((await grant({ grant_type: OTP, mfa_token: token, otp: codeOf(secret, 1) })).status, 200, 'the same code once the lock is gone');
  });

  it("lets a super-admin reset a user's factors, revoking its tokens; an admin may not", async () => {
    const user = await adminUser('lost-phone');
    const { secret } = await enrolTotp(await mfaToken('lost-phone'));
    const signedIn = await grant({ grant_type: OTP, mfa_token: await mfaToken('lost-phone'), otp: codeOf(secret, 1) });
    assert.equal(signedIn.status, 200);
    const pending = await mfaToken('lost-phone');

    await adminUser('plain-admin', {});
    const adminToken = (await login('plain-admin')).body.access_token;
    const refused = await server.request('DELETE', `/admin/v1/client/${user.id}/mfa`, { token: adminToken });
    assert.equal(refused.status, 403);
    assert.equal((await server.request('DELETE', '/admin/v1/client/999999/mfa')).status, 404);

    assert.equal((await server.request('DELETE', `/admin/v1/client/${user.id}/mfa`)).status, 204);
    assert.equal((await server.request('GET', '/admin/v1/client', { token: signedIn.body.access_token })).status, 401, 'revoked');
    assert.equal((await grant({ grant_type: OTP, mfa_token: pending, otp: codeOf(secret, 1) })).body.error, 'invalid_grant', 'pending sign-ins end');
    const read = await server.request('GET', `/admin/v1/client/${user.id}`);
    assert.deepEqual([read.body.is_2fa, read.body.is_2fa_verified], [true, false]);
    const again = await login('lost-phone');
    assert.equal(again.body.error, 'mfa_required');
    assert.match(again.body.error_description, /no second factor yet/);
    await enrolTotp(again.body.mfa_token);
  });

  it('keeps is_2fa_verified for the server to set, and leaves users without is_2fa to their password', async () => {
    const user = await adminUser('no-2fa', { is_2fa_verified: true });
    assert.equal((await server.request('GET', `/admin/v1/client/${user.id}`)).body.is_2fa_verified, false);
    const answer = await login('no-2fa');
    assert.equal(answer.status, 200);
    assert.deepEqual(Object.keys(answer.body).sort(), ['access_token', 'apps', 'environment', 'expires_in', 'scope', 'token_type']);
    // A token that is no admin user's has no second factors to manage.
    assert.equal((await mfa('GET', '', await server.adminToken())).status, 403);
    assert.equal((await mfa('GET', '', 'nonsense')).status, 401);
  });

  describe('with Raindrop', () => {
    const alice = privateKeyToAccount(generatePrivateKey());
    const submit = async (account = alice, message: string) => {
      const signature = await account.signMessage({ message });
      const submitted = await server.request('POST', '/hydro/v1/signature', { body: { hydro_id: 'alice', message, signature } });
      assert.equal(submitted.status, 201);
    };

    before(async () => {
      const contracts = (await server.request('GET', '/hydro/v1/contracts')).body;
      const signature = await signRegistration(alice, contracts.hydro_id_registry, 'alice');
      const registered = await server.request('POST', '/hydro/v1/hydro_id', { body: { hydro_id: 'alice', address: alice.address, signature } });
      assert.equal(registered.status, 201, JSON.stringify(registered.body));
    });

    it('enrols a HydroID whose key signed the message, then signs in with a signature verified on the chain', async () => {
      await adminUser('raindrop-user');
      const enrolling = await mfaToken('raindrop-user');
      const unknown = await mfa('POST', '/raindrop', enrolling, { hydro_id: 'nobody' });
      assert.equal(unknown.status, 400);
      assert.equal(unknown.body.code, 'hydro_id_not_registered');
      const started = await mfa('POST', '/raindrop', enrolling, { hydro_id: 'alice' });
      assert.equal(started.status, 201, JSON.stringify(started.body));
      assert.equal(started.body.address, alice.address);
      assert.match(started.body.message, /^\d{6}$/);
      const unsigned = await mfa('POST', '/raindrop/confirm', enrolling);
      assert.equal(unsigned.status, 400);
      assert.equal(unsigned.body.code, 'raindrop_not_verified');
      await submit(alice, started.body.message);
      const confirmed = await mfa('POST', '/raindrop/confirm', enrolling);
      assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
      assert.equal(confirmed.body.hydro_id, 'alice');
      assert.equal(confirmed.body.recovery_codes.length, 10);

      const token = await mfaToken('raindrop-user');
      const early = await grant({ grant_type: RAINDROP, mfa_token: token });
      assert.match(early.body.error_description, /raindrop\/challenge first/);
      const challenge = await mfa('POST', '/raindrop/challenge', token);
      assert.equal(challenge.status, 200, JSON.stringify(challenge.body));
      assert.deepEqual([challenge.body.challenge_type, challenge.body.hydro_id, challenge.body.expires_in], ['raindrop', 'alice', 300]);
      assert.equal((await grant({ grant_type: RAINDROP, mfa_token: token })).body.error, 'invalid_grant', 'not signed yet');
      await submit(privateKeyToAccount(generatePrivateKey()), challenge.body.message);
      assert.equal((await grant({ grant_type: RAINDROP, mfa_token: token })).body.error, 'invalid_grant', 'signed by another key');
      await submit(alice, challenge.body.message);
      assert.equal((await grant({ grant_type: RAINDROP, mfa_token: token, hydro_id: 'mallory' })).body.error, 'invalid_grant', 'not the enrolled HydroID');
      const signedIn = await grant({ grant_type: RAINDROP, mfa_token: token, hydro_id: 'alice' });
      assert.equal(signedIn.status, 200, JSON.stringify(signedIn.body));
      assert.equal((await server.request('GET', '/admin/v1/client', { token: signedIn.body.access_token })).status, 200);
      assert.equal((await grant({ grant_type: RAINDROP, mfa_token: token })).body.error, 'invalid_grant', 'the mfa_token is spent');
    });

    it('hands out a Raindrop challenge only for an mfa_token of a user with a HydroID', async () => {
      await adminUser('totp-only');
      const { secret } = await enrolTotp(await mfaToken('totp-only'));
      const notEnrolled = await mfa('POST', '/raindrop/challenge', await mfaToken('totp-only'));
      assert.equal(notEnrolled.status, 409);
      assert.equal(notEnrolled.body.code, 'mfa_not_enrolled');
      const signedIn = await grant({ grant_type: OTP, mfa_token: await mfaToken('totp-only'), otp: codeOf(secret, 1) });
      assert.equal((await mfa('POST', '/raindrop/challenge', signedIn.body.access_token)).status, 403);
    });
  });
});
