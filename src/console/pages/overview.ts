import { problemText } from '../api.ts';
import { html } from '../html.ts';
import { consolePage, csrfField, environmentBadge, type Notice } from '../layout.ts';
import { redirect, type ConsoleRoutes, type PageContext } from '../routing.ts';
import { when } from '../tables.ts';

/** The tenant at a glance: what the APIs tell this user about it (a figure the user may not read is left out). */
export function overviewPages(routes: ConsoleRoutes): void {
  routes.page('/', async (context) => overview(context, /^\d+$/.test(context.query.reset ?? '') ? { kind: 'done', text: `The sandbox was reset: ${context.query.reset} records removed.` } : undefined));

  routes.action('/reset', async (context) => {
    const answer = await context.api.call<{ total: number }>('POST', '/admin/v1/tenant/reset', { query: { confirm: context.form.text('confirm') } });
    if (answer.status === 200) return redirect(`/console?reset=${answer.body.total}`);
    return { status: answer.status, page: await overview(context, { kind: 'error', text: problemText(answer) }) };
  });
}

async function overview({ session, api }: PageContext, notice?: Notice) {
  const [tenant, credentials, users, webhooks] = await Promise.all([
    api.call('GET', '/admin/v1/tenant'),
    api.call('GET', '/admin/v1/api_credential', { query: { size: 1, filter: 'is_active==true' } }),
    api.call('GET', '/admin/v1/client', { query: { size: 1 } }),
    api.call('GET', '/nucleus/v1/webhook', { query: { size: 1 } }),
  ]);
  const count = (answer: { status: number; body: { total_elements?: number } }, label: string, href: string) =>
    answer.status === 200 && html`<div class="card"><div class="figure">${answer.body.total_elements}</div><a href="${href}">${label}</a></div>`;
  const t = tenant.status === 200 ? tenant.body : undefined;
  const reset = session.environment === 'sandbox' && html`<h2>Reset the sandbox</h2>
<p>Removes all of the tenant's data (clients, accounts, cards, webhooks, ...) in one go; credentials, admin users and the audit trail stay. Only a super-admin may.</p>
<form class="stacked" method="post" action="/console/reset" data-confirm="Remove all of this sandbox's data?">${csrfField(session)}
  <div><label for="confirm">Type the tenant's name, <strong>${session.tenantName}</strong>, to confirm</label><input id="confirm" name="confirm" type="text" required autocomplete="off"></div>
  <div><button class="danger" type="submit">Reset the sandbox</button></div>
</form>`;
  return consolePage(session, '', {
    title: 'Overview',
    notice,
    body: html`<h2>Tenant</h2>
<dl class="fields">
  <dt>Name</dt><dd>${session.tenantName}</dd>
  <dt>Environment</dt><dd>${environmentBadge(session.environment)} ${session.environment === 'sandbox'
  ? 'Money movement is simulated, and a super-admin may reset the tenant’s data.'
  : 'Real customers: money movement is real and the data cannot be reset.'}</dd>
  ${t && html`<dt>Id</dt><dd><code>${t.id}</code></dd>
  <dt>Rate limit</dt><dd>${t.effective_rate_limit === 0 ? 'none' : `${t.effective_rate_limit} requests per ${t.rate_limit_window_seconds} s for each credential`}${t.rate_limit === null ? ' (the environment’s default)' : ''}</dd>
  <dt>Created</dt><dd>${when(t.create_date)}</dd>`}
</dl>
<h2>At a glance</h2>
<div class="cards">
  ${count(credentials, 'active API credentials', '/console/credentials')}
  ${count(users, 'admin users', '/console/users')}
  ${count(webhooks, 'webhooks', '/console/webhooks')}
</div>
<p><a href="/docs">The API reference</a> documents every operation the console calls.</p>
${reset}`,
  });
}
