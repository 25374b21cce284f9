import { html } from '../html.ts';
import { consolePage, environmentBadge } from '../layout.ts';
import type { ConsoleRoutes } from '../routing.ts';
import { when } from '../tables.ts';

/** The tenant at a glance: what the APIs tell this user about it (a figure the user may not read is left out). */
export function overviewPages(routes: ConsoleRoutes): void {
  routes.page('/', async ({ session, api }) => {
    const [tenant, credentials, users, webhooks] = await Promise.all([
      api.call('GET', '/admin/v1/tenant'),
      api.call('GET', '/admin/v1/api_credential', { query: { size: 1, filter: 'is_active==true' } }),
      api.call('GET', '/admin/v1/client', { query: { size: 1 } }),
      api.call('GET', '/nucleus/v1/webhook', { query: { size: 1 } }),
    ]);
    const count = (answer: { status: number; body: { total_elements?: number } }, label: string, href: string) =>
      answer.status === 200 && html`<div class="card"><div class="figure">${answer.body.total_elements}</div><a href="${href}">${label}</a></div>`;
    const t = tenant.status === 200 ? tenant.body : undefined;
    return consolePage(session, '', {
      title: 'Overview',
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
<p><a href="/docs">The API reference</a> documents every operation the console calls.</p>`,
    });
  });
}
