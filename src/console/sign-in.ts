import { firstAdminUserHint } from './first-admin-user.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { findTenant } from '../platform/auth/credentials.ts';
import { verifyNothing } from '../platform/auth/passwords.ts';
import { revokeToken } from '../platform/auth/tokens.ts';
import type { Database } from '../platform/db/database.ts';
import { isEnvironment } from '../platform/tenant/environment.ts';
import { ConsoleApi, problemText, type ApiAnswer } from './api.ts';
import type { ConsoleCredentials } from './console-credential.ts';
import { clearCookie, readCookie, setCookie, SESSION_COOKIE, SIGN_IN_COOKIE } from './cookies.ts';
import { html, type Fragment } from './html.ts';
import { csrfField, publicPage, type Notice } from './layout.ts';
import { CsrfRefused, FormFields, redirect, send, type Outcome } from './routing.ts';
import { newSecret, sameToken } from './sealing.ts';
import type { ConsoleSession, ConsoleSessions } from './sessions.ts';

export const MFA_GRANTS = {
  otp: 'http://auth0.com/oauth/grant-type/mfa-otp',
  recoveryCode: 'http://auth0.com/oauth/grant-type/mfa-recovery-code',
  raindrop: 'urn:deuterium:params:oauth:grant-type:mfa-raindrop',
};

/** How long the token endpoint keeps an mfa_token (docs/admin-2fa.md). */
const MFA_TOKEN_SECONDS = 5 * 60;
const SIGN_IN_FORM_SECONDS = 60 * 60;
const WRONG_SIGN_IN = 'The tenant, username or password is not right. After 5 wrong passwords in a row a username is locked for 15 minutes.';
const HIDDEN = { hide: true };

export interface SignInOptions {
  db: Database;
  sessions: ConsoleSessions;
  credentials: ConsoleCredentials;
}

interface SignInValues {
  tenant?: string;
  username?: string;
}

function signInForm(request: FastifyRequest, csrf: string, values: SignInValues, notice?: Notice): Outcome {
  const origin = `${request.protocol}://${request.host}`;
  const page = publicPage({
    title: 'Sign in',
    notice,
    body: html`<form class="stacked" method="post" action="/console/sign-in">
  <input type="hidden" name="_csrf" value="${csrf}">
  <div><label for="tenant">Tenant</label>
    <input id="tenant" name="tenant" type="text" required autocomplete="organization" value="${values.tenant ?? ''}" aria-describedby="tenant-hint">
    <span class="hint" id="tenant-hint">The tenant's name, as your operator gave it (the first tenant is "default").</span></div>
  <div><label for="username">Username</label>
    <input id="username" name="username" type="text" required autocomplete="username" autocapitalize="none" spellcheck="false" value="${values.username ?? ''}"></div>
  <div><label for="password">Password</label>
    <input id="password" name="password" type="password" required autocomplete="current-password"></div>
  <div><button type="submit">Sign in</button></div>
</form>
<p class="hint">For the administrators of a tenant (admin users of <code>/admin/v1/client</code>). <a href="/docs">API reference</a></p>
<details><summary>No admin user yet?</summary>
<p>A new installation has only the super-admin API credential printed when the server first started. Make the first admin user with it, then sign in here:</p>
<pre>${firstAdminUserHint(origin)}</pre></details>`,
  });
  return notice?.kind === 'error' ? { status: 400, page } : page;
}

/** A fresh value for the sign-in form and its cookie: the form is only accepted back with both (a double-submitted token). */
function signInToken(request: FastifyRequest, reply: FastifyReply): string {
  const token = newSecret();
  setCookie(request, reply, SIGN_IN_COOKIE, token, SIGN_IN_FORM_SECONDS);
  return token;
}

function sameOrigin(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  return origin === undefined || origin === `${request.protocol}://${request.host}`;
}

function errorNotice(text: Fragment): Notice {
  return { kind: 'error', text };
}

/** The second factors this user can use, as GET /admin/v1/mfa tells the holder of its mfa_token. */
interface FactorStatus {
  totp: boolean;
  raindrop: { hydro_id: string } | null;
  recovery_codes_left: number;
}

/**
 * Sign-in through the token endpoint's password grant, with the tenant's console credential
 * (console-credential.ts), then the second factor when the user has one: the console holds
 * the mfa_token in a session of its own until the factor's grant answers an access token.
 */
export function signInRoutes(app: FastifyInstance, { db, sessions, credentials }: SignInOptions): void {
  async function pending(request: FastifyRequest): Promise<ConsoleSession | undefined> {
    const session = await sessions.find(readCookie(request, SESSION_COOKIE));
    return session?.stage === 'second_factor' ? session : undefined;
  }

  const grant = (request: FastifyRequest, tenantId: string, params: Record<string, string>) => credentials.grant(app, request, tenantId, params);

  /** Opens the signed-in session for a granted token, replacing any session the browser had. */
  async function signedIn(request: FastifyRequest, reply: FastifyReply, from: { tenantId: string; tenantName: string; username: string }, answer: ApiAnswer): Promise<Outcome> {
    const token = answer.body.access_token as string;
    // Nucleus clients sign in through the same grant; the console is for admin users, whose own token alone reads its factors.
    const factors = await ConsoleApi.asUser(app, request, token).call('GET', '/admin/v1/mfa');
    if (factors.status !== 200) {
      await revokeToken(db, token);
      return signInForm(request, signInToken(request, reply), { tenant: from.tenantName, username: from.username }, errorNotice('The console is for the admin users of a tenant; this username is not one.'));
    }
    const previous = readCookie(request, SESSION_COOKIE);
    if (previous) await sessions.end(previous);
    const environment = answer.body.environment;
    const session = await sessions.start({
      ...from,
      environment: isEnvironment(environment) ? environment : 'production',
      stage: 'signed_in',
      token,
      tokenExpiresAt: new Date(Date.now() + Number(answer.body.expires_in) * 1000),
    });
    setCookie(request, reply, SESSION_COOKIE, session.cookie);
    clearCookie(request, reply, SIGN_IN_COOKIE);
    return redirect('/console');
  }

  app.get('/sign-in', { schema: HIDDEN }, async (request, reply) => {
    const query = request.query as Record<string, string | undefined>;
    const notice: Notice | undefined = query.ended
      ? { kind: 'warning', text: 'Your session ended. Sign in again.' }
      : query.signed_out
        ? { kind: 'done', text: 'You signed out.' }
        : undefined;
    return send(reply, signInForm(request, signInToken(request, reply), { tenant: query.tenant }, notice));
  });

  app.post('/sign-in', { schema: HIDDEN }, async (request, reply) => {
    const form = new FormFields(request.body as Record<string, string>);
    const expected = readCookie(request, SIGN_IN_COOKIE);
    if (!expected || !sameOrigin(request) || !sameToken(form.text('_csrf'), expected)) throw new CsrfRefused();
    const tenantName = form.text('tenant');
    const username = form.text('username');
    const password = (request.body as Record<string, string>).password ?? '';
    const again = (notice: Notice) => send(reply, signInForm(request, signInToken(request, reply), { tenant: tenantName, username }, notice));
    if (!tenantName || !username || !password) return again(errorNotice('Enter the tenant, your username and your password.'));
    const tenant = await findTenant(db, tenantName);
    if (!tenant) {
      // As long as a wrong password takes, so the answer does not tell which tenants exist.
      await verifyNothing(password);
      return again(errorNotice(WRONG_SIGN_IN));
    }
    const answer = await grant(request, tenant.id, { grant_type: 'password', username, password });
    const from = { tenantId: tenant.id, tenantName: tenant.name, username };
    if (answer.status === 200) return send(reply, await signedIn(request, reply, from, answer));
    if (answer.status === 403 && answer.body?.error === 'mfa_required') {
      const previous = readCookie(request, SESSION_COOKIE);
      if (previous) await sessions.end(previous);
      const session = await sessions.start({
        ...from,
        environment: tenant.environment,
        stage: 'second_factor',
        token: answer.body.mfa_token,
        tokenExpiresAt: new Date(Date.now() + MFA_TOKEN_SECONDS * 1000),
      });
      setCookie(request, reply, SESSION_COOKIE, session.cookie);
      clearCookie(request, reply, SIGN_IN_COOKIE);
      return send(reply, redirect('/console/sign-in/second-factor'));
    }
    if (answer.status === 400 && answer.body?.error === 'invalid_grant') return again(errorNotice(WRONG_SIGN_IN));
    if (answer.status === 429) return again(errorNotice('Too many sign-in attempts for this tenant just now; wait a minute and try again.'));
    return again(errorNotice(problemText(answer)));
  });

  function secondFactorPage(session: ConsoleSession, factors: FactorStatus, notice?: Notice): Outcome {
    const csrf = csrfField(session);
    const totp = factors.totp && html`<form class="stacked" method="post" action="/console/sign-in/second-factor">${csrf}
  <div><label for="otp">Code from your authenticator app</label>
    <input id="otp" name="otp" type="text" inputmode="numeric" pattern="[0-9]{6}" maxlength="6" required autocomplete="one-time-code"></div>
  <div><button type="submit">Continue</button></div>
</form>`;
    const raindrop = factors.raindrop && html`<h2>Raindrop</h2>
<p>Sign a message with HydroID <strong>${factors.raindrop.hydro_id}</strong>.</p>
<form method="post" action="/console/sign-in/raindrop">${csrf}<button class="secondary" type="submit">Show the message to sign</button></form>`;
    const recovery = factors.recovery_codes_left > 0 && html`<h2>Recovery code</h2>
<form class="stacked" method="post" action="/console/sign-in/second-factor">${csrf}
  <div><label for="recovery_code">A recovery code <span class="hint">(each works once; ${factors.recovery_codes_left} left)</span></label>
    <input id="recovery_code" name="recovery_code" type="text" required autocomplete="off" spellcheck="false"></div>
  <div><button class="secondary" type="submit">Use the recovery code</button></div>
</form>`;
    const none = !factors.totp && !factors.raindrop && html`<p>Your account needs a second factor, and has none yet. Set up an authenticator app now.</p>
<form method="post" action="/console/sign-in/enrol">${csrf}<button type="submit">Set up an authenticator app</button></form>`;
    const page = publicPage({
      title: 'Second factor',
      notice,
      body: html`<p>Signing in to <strong>${session.tenantName}</strong> as <strong>${session.username}</strong>.</p>
${totp}${raindrop}${recovery}${none}
<p><a href="/console/sign-in">Start again</a></p>`,
    });
    return notice?.kind === 'error' ? { status: 400, page } : page;
  }

  /** The pending session and the user's factors, or where to go when the sign-in is over. */
  async function pendingWithFactors(request: FastifyRequest): Promise<{ session: ConsoleSession; factors: FactorStatus } | Outcome> {
    const session = await pending(request);
    if (!session) return redirect('/console/sign-in?ended=1');
    const answer = await ConsoleApi.withMfaToken(app, request, session.token).call<FactorStatus>('GET', '/admin/v1/mfa');
    if (answer.status !== 200) return redirect('/console/sign-in?ended=1');
    return { session, factors: answer.body };
  }

  function checkCsrf(request: FastifyRequest, session: ConsoleSession): FormFields {
    const form = new FormFields(request.body as Record<string, string>);
    if (!sameOrigin(request) || !sameToken(form.text('_csrf'), session.csrf)) throw new CsrfRefused();
    return form;
  }

  app.get('/sign-in/second-factor', { schema: HIDDEN }, async (request, reply) => {
    const found = await pendingWithFactors(request);
    return send(reply, 'session' in found ? secondFactorPage(found.session, found.factors) : found);
  });

  async function completeWith(request: FastifyRequest, reply: FastifyReply, params: Record<string, string>) {
    const found = await pendingWithFactors(request);
    if (!('session' in found)) return send(reply, found);
    const { session, factors } = found;
    checkCsrf(request, session);
    const answer = await grant(request, session.tenantId, { ...params, mfa_token: session.token });
    if (answer.status === 200) return send(reply, await signedIn(request, reply, session, answer));
    const description = String(answer.body?.error_description ?? '');
    if (/mfa_token is invalid/.test(description)) return send(reply, redirect('/console/sign-in?ended=1'));
    const text = answer.status === 400 && answer.body?.error === 'invalid_grant'
      ? 'That did not pass. After 5 wrong codes in a row the second factor is locked for 15 minutes.'
      : problemText(answer);
    return send(reply, secondFactorPage(session, factors, errorNotice(text)));
  }

  app.post('/sign-in/second-factor', { schema: HIDDEN }, async (request, reply) => {
    const form = new FormFields(request.body as Record<string, string>);
    const recovery = form.text('recovery_code');
    const params: Record<string, string> = recovery ? { grant_type: MFA_GRANTS.recoveryCode, recovery_code: recovery } : { grant_type: MFA_GRANTS.otp, otp: form.text('otp') };
    return completeWith(request, reply, params);
  });

  app.post('/sign-in/raindrop', { schema: HIDDEN }, async (request, reply) => {
    const found = await pendingWithFactors(request);
    if (!('session' in found)) return send(reply, found);
    const { session, factors } = found;
    const form = checkCsrf(request, session);
    if (form.has('signed')) return completeWith(request, reply, { grant_type: MFA_GRANTS.raindrop });
    const challenge = await ConsoleApi.withMfaToken(app, request, session.token).call('POST', '/admin/v1/mfa/raindrop/challenge');
    if (challenge.status !== 200) return send(reply, secondFactorPage(session, factors, errorNotice(problemText(challenge))));
    return send(
      reply,
      publicPage({
        title: 'Sign with Raindrop',
        body: html`<p>Sign this message with the key of HydroID <strong>${challenge.body.hydro_id}</strong> in your Raindrop authenticator, and submit it:</p>
<p class="secret" id="raindrop-message">${challenge.body.message}</p>
<p class="hint">It must be signed within ${Math.round(Number(challenge.body.expires_in) / 60)} minutes.</p>
<form method="post" action="/console/sign-in/raindrop">${csrfField(session)}<input type="hidden" name="signed" value="1"><button type="submit">I have signed it</button></form>
<p><a href="/console/sign-in/second-factor">Back</a></p>`,
      }),
    );
  });

  app.post('/sign-in/enrol', { schema: HIDDEN }, async (request, reply) => {
    const found = await pendingWithFactors(request);
    if (!('session' in found)) return send(reply, found);
    const { session, factors } = found;
    const form = checkCsrf(request, session);
    const api = ConsoleApi.withMfaToken(app, request, session.token);
    let secret = form.text('secret');
    let uri = form.text('otpauth_uri');
    let notice: Notice | undefined;
    if (form.has('otp')) {
      const confirmed = await api.call('POST', '/admin/v1/mfa/totp/confirm', { body: { otp: form.text('otp') } });
      if (confirmed.status === 200) {
        const codes = (confirmed.body.recovery_codes as string[]).join('\n');
        return send(
          reply,
          publicPage({
            title: 'Keep your recovery codes',
            notice: { kind: 'done', text: 'Your authenticator app is set up.' },
            body: html`<p>Each of these codes stands in for your authenticator once. They are shown only now: keep them somewhere safe.</p>
<pre class="secret" id="recovery-codes">${codes}</pre>
<p class="actions"><button type="button" class="secondary" data-copy="recovery-codes">Copy the codes</button><span id="recovery-codes-status" role="status"></span></p>
<form class="stacked" method="post" action="/console/sign-in/second-factor">${csrfField(session)}
  <div><label for="otp">To finish signing in, enter the next code your app shows</label>
    <input id="otp" name="otp" type="text" inputmode="numeric" pattern="[0-9]{6}" maxlength="6" required autocomplete="one-time-code"></div>
  <div><button type="submit">Sign in</button></div>
</form>`,
          }),
        );
      }
      notice = errorNotice(problemText(confirmed));
    } else {
      const started = await api.call('POST', '/admin/v1/mfa/totp');
      if (started.status !== 201) return send(reply, secondFactorPage(session, factors, errorNotice(problemText(started))));
      secret = started.body.secret;
      uri = started.body.otpauth_uri;
    }
    return send(
      reply,
      publicPage({
        title: 'Set up an authenticator app',
        notice,
        body: html`<p>Add this key to your authenticator app (it is a time-based code, 6 digits every 30 seconds):</p>
<p class="secret" id="totp-secret">${secret}</p>
<p class="actions"><button type="button" class="secondary" data-copy="totp-secret">Copy the key</button><span id="totp-secret-status" role="status"></span></p>
<details><summary>The otpauth URI, for apps that take one</summary><p><code>${uri}</code></p></details>
<form class="stacked" method="post" action="/console/sign-in/enrol">${csrfField(session)}
  <input type="hidden" name="secret" value="${secret}"><input type="hidden" name="otpauth_uri" value="${uri}">
  <div><label for="otp">The code your app shows now</label>
    <input id="otp" name="otp" type="text" inputmode="numeric" pattern="[0-9]{6}" maxlength="6" required autocomplete="one-time-code"></div>
  <div><button type="submit">Confirm</button></div>
</form>`,
      }),
    );
  });

  app.post('/sign-out', { schema: HIDDEN }, async (request, reply) => {
    const cookie = readCookie(request, SESSION_COOKIE);
    const session = await sessions.find(cookie);
    if (session) {
      checkCsrf(request, session);
      await sessions.end(session.cookie);
    }
    clearCookie(request, reply, SESSION_COOKIE);
    return send(reply, redirect('/console/sign-in?signed_out=1'));
  });
}
