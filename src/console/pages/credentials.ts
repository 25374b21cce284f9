import { AUTHORITIES } from '../../platform/auth/authorities.ts';
import { ALL_APPS, DEFAULT_APPS } from '../../platform/credentials/apps.ts';
import type { ManagedCredential } from '../../platform/credentials/credential-view.ts';
import { problemText, type ApiAnswer } from '../api.ts';
import { consolePath, html, type Fragment, type Html } from '../html.ts';
import { consolePage, csrfField, type Notice } from '../layout.ts';
import { redirect, type ConsoleRoutes, type FormFields, type PageContext } from '../routing.ts';
import { filterForm, listQuery, pager, table, when, type ApiPage } from '../tables.ts';

/** As the management API answers it; client_secret only when one is made (create, rotate). */
type Credential = ManagedCredential & { client_secret?: string };

const DONE: Record<string, string> = {
  updated: 'The credential was saved.',
  revoked: 'The credential was revoked: it and every token issued with it no longer work.',
  deleted: 'The credential was deleted.',
};

const DEFAULT_GRACE_SECONDS = 86_400;

function status(credential: Credential): Html {
  return credential.is_active ? html`<span class="badge active">active</span>` : html`<span class="badge inactive">revoked</span>`;
}

function pathOf(id: string, ...rest: string[]): string {
  return consolePath(['credentials', id, ...rest]);
}

/** The writable fields, as the form holds them; the values are the credential's or what was sent. */
interface Values {
  name: string;
  authorities: string[];
  apps: string[];
  allowed_ips: string;
  rate_limit: string;
}

function valuesOf(credential: Credential): Values {
  return {
    name: credential.name,
    authorities: credential.authorities,
    apps: credential.apps,
    allowed_ips: credential.allowed_ips.join('\n'),
    rate_limit: credential.rate_limit === null ? '' : String(credential.rate_limit),
  };
}

function valuesFrom(form: FormFields): Values {
  return { name: form.text('name'), authorities: form.all('authorities'), apps: form.all('apps'), allowed_ips: form.text('allowed_ips'), rate_limit: form.text('rate_limit') };
}

/** The body of a POST or PUT: a value the API cannot take is sent as typed, for the API to refuse in its own words. */
function bodyOf(values: Values): Record<string, unknown> {
  const rate = values.rate_limit;
  return {
    name: values.name,
    authorities: values.authorities,
    apps: values.apps,
    allowed_ips: values.allowed_ips.split(/[\s,]+/).filter(Boolean),
    rate_limit: rate === '' ? null : /^\d+$/.test(rate) ? Number(rate) : rate,
  };
}

function checkboxes(legend: string, name: string, options: readonly string[], chosen: string[]): Html {
  return html`<fieldset><legend>${legend}</legend>${options.map(
    (option) => html`<label><input type="checkbox" name="${name}" value="${option}"${chosen.includes(option) ? html` checked` : ''}> ${option}</label>`,
  )}</fieldset>`;
}

/**
 * The apps a form offers: only the operator tool grants metrics, so it is offered only on a
 * credential that has it already, to keep or take away.
 */
function appsOffered(held: readonly string[]): string[] {
  return ALL_APPS.filter((app) => DEFAULT_APPS.includes(app) || held.includes(app));
}

function credentialFields(values: Values, held: readonly string[]): Html {
  return html`<div><label for="name">Name</label><input id="name" name="name" type="text" required maxlength="255" value="${values.name}"></div>
${checkboxes('Authorities', 'authorities', AUTHORITIES, values.authorities)}
${checkboxes('Apps (the APIs its tokens may call)', 'apps', appsOffered(held), values.apps)}
<div><label for="allowed_ips">IP allowlist <span class="hint">(addresses and CIDR ranges, one a line; empty allows every address)</span></label>
  <textarea id="allowed_ips" name="allowed_ips" rows="3" spellcheck="false">${values.allowed_ips}</textarea></div>
<div><label for="rate_limit">Rate limit <span class="hint">(requests per window; empty: the tenant's; 0: none)</span></label>
  <input id="rate_limit" name="rate_limit" type="text" inputmode="numeric" value="${values.rate_limit}"></div>`;
}

function secretPage(context: PageContext, credential: Credential, title: string): Html {
  return consolePage(context.session, 'credentials', {
    title,
    notice: { kind: 'warning', text: 'Copy the secret now: it is shown only this once, and only its hash is kept.' },
    body: html`<dl class="fields">
  <dt>Name</dt><dd>${credential.name}</dd>
  <dt>Client id</dt><dd><code id="client-id">${credential.client_id}</code></dd>
</dl>
<h2>Client secret</h2>
<p><code class="secret" id="client-secret">${credential.client_secret}</code></p>
<p class="actions"><button type="button" data-copy="client-secret">Copy the secret</button><span id="client-secret-status" role="status"></span></p>
<p><a href="${pathOf(credential.id)}">Go to the credential</a> · <a href="/console/credentials">All credentials</a></p>`,
  });
}

function errorOf(answer: ApiAnswer): Notice {
  return { kind: 'error', text: problemText(answer) };
}

function newForm(context: PageContext, values: Values, notice?: Notice): Html {
  return consolePage(context.session, 'credentials', {
    title: 'New API credential',
    notice,
    body: html`<form class="stacked" method="post" action="/console/credentials">${csrfField(context.session)}
${credentialFields(values, [])}
<div><button type="submit">Create the credential</button></div>
</form>`,
  });
}

function detailPage(context: PageContext, credential: Credential, notice?: Notice, values = valuesOf(credential)): Html {
  const csrf = csrfField(context.session);
  const previous = credential.previous_secret;
  const changes: Fragment = credential.is_active && html`<h2>Edit</h2>
<form class="stacked" method="post" action="${pathOf(credential.id)}">${csrf}
${credentialFields(values, credential.apps)}
<div><button type="submit">Save</button></div>
</form>
<h2>Rotate the secret</h2>
<form class="stacked" method="post" action="${pathOf(credential.id, 'rotate')}" data-confirm="Replace this credential's secret?">${csrf}
  <div><label for="grace">Grace period in seconds <span class="hint">(how long the old secret keeps working; 0 ends it now)</span></label>
    <input id="grace" name="grace_period_seconds" type="text" inputmode="numeric" value="${DEFAULT_GRACE_SECONDS}"></div>
  <div><button type="submit">Rotate</button></div>
</form>
<h2>Revoke</h2>
<p>Ends the credential and every token issued with it, for good.</p>
<form method="post" action="${pathOf(credential.id, 'revoke')}" data-confirm="Revoke this credential for good?">${csrf}<button class="danger" type="submit">Revoke the credential</button></form>`;
  return consolePage(context.session, 'credentials', {
    title: `Credential ${credential.name}`,
    notice,
    body: html`<dl class="fields">
  <dt>Status</dt><dd>${status(credential)} ${credential.revoked_at && html`since ${when(credential.revoked_at)}`}</dd>
  <dt>Client id</dt><dd><code>${credential.client_id}</code></dd>
  <dt>Authorities</dt><dd>${credential.authorities.join(', ')}</dd>
  <dt>Apps</dt><dd>${credential.apps.join(', ')}</dd>
  <dt>IP allowlist</dt><dd>${credential.allowed_ips.length > 0 ? credential.allowed_ips.join(', ') : 'every address'}</dd>
  <dt>Rate limit</dt><dd>${credential.rate_limit === null ? 'the tenant’s' : credential.rate_limit === 0 ? 'none' : credential.rate_limit}</dd>
  <dt>Last used</dt><dd>${when(credential.last_used_at)} ${credential.last_used_ip && html`from ${credential.last_used_ip}`}</dd>
  ${previous && html`<dt>Previous secret</dt><dd>${previous.is_accepted ? 'accepted until' : 'refused since'} ${when(previous.expires_at)}; last used ${when(previous.last_used_at)}</dd>`}
  <dt>Tokens</dt><dd>${credential.active_tokens} active of ${credential.tokens_issued} issued</dd>
  <dt>Created</dt><dd>${when(credential.create_date)}</dd>
</dl>
${changes}
<h2>Delete</h2>
<form method="post" action="${pathOf(credential.id, 'delete')}" data-confirm="Delete this credential and its tokens?">${csrf}<button class="danger" type="submit">Delete the credential</button></form>`,
  });
}

/** API credentials over /admin/v1/api_credential. */
export function credentialPages(routes: ConsoleRoutes): void {
  routes.page('/credentials', async (context) => {
    const { page, size, filter } = listQuery(context.query);
    const answer = await context.api.call<ApiPage<Credential>>('GET', '/admin/v1/api_credential', { query: { page, size, filter } });
    const list = answer.status === 200
      ? html`${table<Credential>('API credentials', [
          { label: 'Name', cell: (c) => html`<a href="${pathOf(c.id)}">${c.name}</a>` },
          { label: 'Client id', cell: (c) => html`<code>${c.client_id}</code>` },
          { label: 'Status', cell: status },
          { label: 'Authorities', cell: (c) => c.authorities.join(', ') },
          { label: 'Apps', cell: (c) => c.apps.join(', ') },
          { label: 'Last used', cell: (c) => when(c.last_used_at) },
        ], answer.body.content)}
        ${pager(['credentials'], { size, filter }, answer.body)}`
      : '';
    return consolePage(context.session, 'credentials', {
      title: 'API credentials',
      notice: answer.status !== 200 ? errorOf(answer) : DONE[context.query.done] ? { kind: 'done', text: DONE[context.query.done] } : undefined,
      body: html`<p class="actions"><a class="button" href="/console/credentials/new">New credential</a></p>
${filterForm('/console/credentials', { filter, size }, 'is_active==true;name=like=*app*')}
${list}`,
    });
  });

  routes.page('/credentials/new', async (context) => newForm(context, { name: '', authorities: [], apps: [...DEFAULT_APPS], allowed_ips: '', rate_limit: '' }));

  routes.action('/credentials', async (context) => {
    const values = valuesFrom(context.form);
    const answer = await context.api.call<Credential>('POST', '/admin/v1/api_credential', { body: bodyOf(values) });
    if (answer.status !== 201) return { status: 400, page: newForm(context, values, errorOf(answer)) };
    return secretPage(context, answer.body, 'Credential created');
  });

  async function load(context: PageContext): Promise<ApiAnswer<Credential>> {
    return context.api.call<Credential>('GET', `/admin/v1/api_credential/${encodeURIComponent(context.params.id)}`);
  }

  routes.page('/credentials/:id', async (context) => {
    const answer = await load(context);
    if (answer.status !== 200) return { status: answer.status, page: consolePage(context.session, 'credentials', { title: 'API credential', notice: errorOf(answer), body: '' }) };
    const done = DONE[context.query.done];
    return detailPage(context, answer.body, done ? { kind: 'done', text: done } : undefined);
  });

  routes.action('/credentials/:id', async (context) => {
    const values = valuesFrom(context.form);
    const path = `/admin/v1/api_credential/${encodeURIComponent(context.params.id)}`;
    const answer = await context.api.call<Credential>('PUT', path, { body: bodyOf(values) });
    if (answer.status === 200) return redirect(`${pathOf(context.params.id)}?done=updated`);
    const current = await load(context);
    if (current.status !== 200) return { status: current.status, page: consolePage(context.session, 'credentials', { title: 'API credential', notice: errorOf(current), body: '' }) };
    return { status: 400, page: detailPage(context, current.body, errorOf(answer), values) };
  });

  routes.action('/credentials/:id/rotate', async (context) => {
    const grace = context.form.text('grace_period_seconds');
    const body = { grace_period_seconds: /^\d+$/.test(grace) ? Number(grace) : grace };
    const answer = await context.api.call<Credential>('POST', `/admin/v1/api_credential/${encodeURIComponent(context.params.id)}/rotate`, { body });
    if (answer.status === 200) return secretPage(context, answer.body, 'Secret rotated');
    const current = await load(context);
    if (current.status !== 200) return { status: current.status, page: consolePage(context.session, 'credentials', { title: 'API credential', notice: errorOf(current), body: '' }) };
    return { status: 400, page: detailPage(context, current.body, errorOf(answer)) };
  });

  routes.action('/credentials/:id/revoke', async (context) => {
    const answer = await context.api.call('POST', `/admin/v1/api_credential/${encodeURIComponent(context.params.id)}/revoke`);
    if (answer.status === 200) return redirect(`${pathOf(context.params.id)}?done=revoked`);
    const current = await load(context);
    if (current.status !== 200) return { status: current.status, page: consolePage(context.session, 'credentials', { title: 'API credential', notice: errorOf(current), body: '' }) };
    return { status: answer.status, page: detailPage(context, current.body, errorOf(answer)) };
  });

  routes.action('/credentials/:id/delete', async (context) => {
    const answer = await context.api.call('DELETE', `/admin/v1/api_credential/${encodeURIComponent(context.params.id)}`);
    if (answer.status === 204) return redirect('/console/credentials?done=deleted');
    const current = await load(context);
    if (current.status !== 200) return { status: current.status, page: consolePage(context.session, 'credentials', { title: 'API credential', notice: errorOf(current), body: '' }) };
    return { status: answer.status, page: detailPage(context, current.body, errorOf(answer)) };
  });
}
