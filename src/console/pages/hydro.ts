import { problemText, type ApiAnswer } from '../api.ts';
import { html, type Html } from '../html.ts';
import { consolePage, csrfField, type Notice } from '../layout.ts';
import type { ConsoleRoutes, PageContext } from '../routing.ts';
import { table, when, type ApiPage } from '../tables.ts';

interface Application {
  id: string;
  name: string;
  create_date: string;
}

interface Registration {
  hydro_id: string;
  application_id: string;
  application_name: string;
  create_date: string;
}

interface WhitelistedAddress {
  hydro_address_id: string;
  address: string;
  transaction_hash: string;
  create_date: string;
}

/**
 * How long the screen waits for the user's signature: Hydrogen's Raindrop screens gave 90
 * seconds, as the API's HYDRO_SIGNATURE_WINDOW_SECONDS does by default. The API keeps its own
 * window whatever the page says, so a page held open longer proves nothing.
 */
const TIMEOUT_SECONDS = 90;

function listed<T>(answer: ApiAnswer<ApiPage<T>>, render: (rows: T[]) => Html): Html {
  if (answer.status !== 200) return html`<p class="notice error" role="alert">${problemText(answer)}</p>`;
  const more = answer.body.total_elements > answer.body.content.length;
  return html`${render(answer.body.content)}${more ? html`<p class="hint">The newest ${answer.body.content.length} of ${answer.body.total_elements}.</p>` : ''}`;
}

interface Challenge {
  hydroId: string;
  applicationId: string;
  message: string;
  /** Milliseconds since the epoch when the message was made. */
  issued: number;
}

function challengeOf(context: PageContext): Challenge {
  const form = context.form;
  return { hydroId: form.text('hydro_id'), applicationId: form.text('application_id'), message: form.text('message'), issued: Number(form.text('issued')) };
}

async function applications(context: PageContext): Promise<ApiAnswer<ApiPage<Application>>> {
  return context.api.call<ApiPage<Application>>('GET', '/hydro/v1/application', { query: { size: 100 } });
}

/** The first step: which user, through which application. */
async function startScreen(context: PageContext, notice?: Notice, values = { hydroId: '', applicationId: '' }) {
  const apps = await applications(context);
  const options = apps.status === 200 ? apps.body.content : [];
  return consolePage(context.session, 'hydro', {
    title: 'Raindrop sign-in',
    notice: notice ?? (apps.status !== 200 ? { kind: 'error', text: problemText(apps) } : undefined),
    body: html`<p>The client-side Raindrop screen, as a tenant's own sign-in would show it: a six-digit message for the user to sign
with the authenticator app of their HydroID, then verified through <code>GET /hydro/v1/verify_signature</code>.</p>
${options.length === 0
  ? html`<p>There is no application yet: create one with <code>POST /hydro/v1/application</code>, and register the user's HydroID with it.</p>`
  : html`<form class="stacked" method="post" action="/console/hydro/raindrop">${csrfField(context.session)}
  <div><label for="application_id">Application</label><select id="application_id" name="application_id">${options.map(
    (a) => html`<option value="${a.id}"${a.id === values.applicationId ? html` selected` : ''}>${a.name}</option>`,
  )}</select></div>
  <div><label for="hydro_id">HydroID <span class="hint">(the user's, registered with the application)</span></label>
    <input id="hydro_id" name="hydro_id" type="text" required minlength="3" maxlength="32" autocomplete="username" spellcheck="false" value="${values.hydroId}"></div>
  <div><button type="submit">Show a message to sign</button></div>
</form>`}
<p><a href="/console/hydro">Back to Hydro</a></p>`,
  });
}

/** The message, its countdown (console.js runs it), and the verification. */
function challengeScreen(context: PageContext, challenge: Challenge, notice?: Notice): Html {
  const deadline = new Date(challenge.issued + TIMEOUT_SECONDS * 1000).toISOString();
  const left = Math.max(0, Math.ceil((challenge.issued + TIMEOUT_SECONDS * 1000 - Date.now()) / 1000));
  return consolePage(context.session, 'hydro', {
    title: 'Raindrop sign-in',
    notice,
    body: html`<p>Sign this message with the authenticator app of <strong>${challenge.hydroId}</strong>:</p>
<p class="raindrop-message" aria-label="Message to sign: ${challenge.message.split('').join(' ')}">${challenge.message}</p>
<p><span class="countdown" data-deadline="${deadline}" role="timer" aria-live="off">${left}</span> seconds left. Then choose Verify.</p>
<form method="post" action="/console/hydro/raindrop/verify">${csrfField(context.session)}
  <input type="hidden" name="hydro_id" value="${challenge.hydroId}">
  <input type="hidden" name="application_id" value="${challenge.applicationId}">
  <input type="hidden" name="message" value="${challenge.message}">
  <input type="hidden" name="issued" value="${challenge.issued}">
  <p class="actions"><button type="submit">Verify</button> <a href="/console/hydro/raindrop">Start again</a></p>
</form>`,
  });
}

/** Hydro: the partner's applications, HydroIDs and whitelisted addresses, and the Raindrop screen. */
export function hydroPages(routes: ConsoleRoutes): void {
  routes.page('/hydro', async (context) => {
    const [apps, registrations, addresses] = await Promise.all([
      applications(context),
      context.api.call<ApiPage<Registration>>('GET', '/hydro/v1/application/client', { query: { size: 100 } }),
      context.api.call<ApiPage<WhitelistedAddress>>('GET', '/hydro/v1/whitelist', { query: { size: 100 } }),
    ]);
    return consolePage(context.session, 'hydro', {
      title: 'Hydro',
      body: html`<p>Raindrop two-factor authentication on the chain (<a href="/docs">API reference</a>, Hydro).
<a class="button" href="/console/hydro/raindrop">Try the Raindrop screen</a></p>
<h2>Applications</h2>
${listed(apps, (rows) => table<Application>('Applications', [
  { label: 'Name', cell: (a) => a.name },
  { label: 'Id', cell: (a) => html`<code>${a.id}</code>` },
  { label: 'Created', cell: (a) => when(a.create_date) },
], rows))}
<h2>HydroIDs</h2>
${listed(registrations, (rows) => table<Registration>('HydroIDs registered with the applications', [
  { label: 'HydroID', cell: (r) => r.hydro_id },
  { label: 'Application', cell: (r) => r.application_name },
  { label: 'Registered', cell: (r) => when(r.create_date) },
], rows))}
<h2>Whitelisted addresses</h2>
<p class="hint">Server-side Raindrop: addresses that may answer a challenge.</p>
${listed(addresses, (rows) => table<WhitelistedAddress>('Whitelisted addresses', [
  { label: 'Address', cell: (a) => html`<code>${a.address}</code>` },
  { label: 'hydro_address_id', cell: (a) => html`<code>${a.hydro_address_id}</code>` },
  { label: 'Whitelisted', cell: (a) => when(a.create_date) },
], rows))}`,
    });
  });

  routes.page('/hydro/raindrop', async (context) => startScreen(context));

  routes.action('/hydro/raindrop', async (context) => {
    const values = { hydroId: context.form.text('hydro_id'), applicationId: context.form.text('application_id') };
    const made = await context.api.call<{ message: string }>('GET', '/hydro/v1/message');
    if (made.status !== 200) return startScreen(context, { kind: 'error', text: problemText(made) }, values);
    return challengeScreen(context, { ...values, message: made.body.message, issued: Date.now() });
  });

  routes.action('/hydro/raindrop/verify', async (context) => {
    const challenge = challengeOf(context);
    const values = { hydroId: challenge.hydroId, applicationId: challenge.applicationId };
    if (!Number.isFinite(challenge.issued) || Date.now() - challenge.issued > TIMEOUT_SECONDS * 1000) {
      return startScreen(context, { kind: 'error', text: `Timed out: the message was not verified within ${TIMEOUT_SECONDS} seconds. Show a new one.` }, values);
    }
    const answer = await context.api.call<{ authenticated: boolean; verification_id?: string; code?: string }>('GET', '/hydro/v1/verify_signature', {
      query: { message: challenge.message, hydro_id: challenge.hydroId, application_id: challenge.applicationId },
    });
    if (answer.status === 200) {
      return startScreen(context, { kind: 'done', text: html`Verified: <strong>${challenge.hydroId}</strong> signed the message (verification <code>${answer.body.verification_id}</code>).` }, values);
    }
    // Not signed yet: the user may still be at it, so the same message waits out its time.
    if (answer.body.code === 'no_signature') {
      return challengeScreen(context, challenge, { kind: 'warning', text: 'No signature of this message by the HydroID’s key yet. Sign it, then choose Verify again.' });
    }
    return startScreen(context, { kind: 'error', text: problemText(answer) }, values);
  });
}
