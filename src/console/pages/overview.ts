import { problemText } from '../api.ts';
import { html } from '../html.ts';
import { consolePage, csrfField, environmentBadge, type Notice } from '../layout.ts';
import { redirect, type ConsoleRoutes, type PageContext } from '../routing.ts';
import { table, when } from '../tables.ts';

interface Counts {
  requests: number;
  client_errors: number;
  server_errors: number;
}

interface RequestCounts {
  date: string;
  total: Counts;
  by_api: (Counts & { api: string })[];
}

/** The webhooks whose health the overview asks for, one call each; past these the webhooks page tells. */
const WEBHOOKS_CHECKED = 20;

function percent(part: number, whole: number): string {
  return whole === 0 ? '0%' : `${((100 * part) / whole).toFixed(1)}%`;
}

function todayOf(counts: RequestCounts) {
  const { requests, client_errors: clientErrors, server_errors: serverErrors } = counts.total;
  return html`<div class="cards">
  <div class="card"><div class="figure">${requests}</div>API requests on ${counts.date} (UTC)</div>
  <div class="card"><div class="figure${serverErrors > 0 ? ' bad' : ''}">${percent(clientErrors + serverErrors, requests)}</div>answered with an error
    <span class="hint">(${clientErrors} 4xx, ${serverErrors} 5xx)</span></div>
</div>
${counts.by_api.length > 0 && table<RequestCounts['by_api'][number]>('Requests today by API', [
  { label: 'API', cell: (r) => r.api },
  { label: 'Requests', cell: (r) => r.requests },
  { label: '4xx', cell: (r) => r.client_errors },
  { label: '5xx', cell: (r) => r.server_errors },
  { label: 'Error rate', cell: (r) => percent(r.client_errors + r.server_errors, r.requests) },
], counts.by_api)}`;
}

/** An active webhook whose last deliveries failed is failing, though the API still calls it active. */
function conditionOf(health: { state: string; consecutive_failures: number }): string {
  if (health.state !== 'active') return health.state;
  return health.consecutive_failures > 0 ? 'failing' : 'healthy';
}

function webhookHealth(total: number, states: string[]) {
  const byState = new Map<string, number>();
  for (const state of states) byState.set(state, (byState.get(state) ?? 0) + 1);
  const unhealthy = states.filter((s) => s !== 'healthy').length;
  return html`<div class="card"><div class="figure${unhealthy > 0 ? ' bad' : ''}">${total === 0 ? '—' : `${states.length - unhealthy} of ${states.length}`}</div>
  <a href="/console/webhooks">webhooks healthy</a> <span class="hint">${[...byState].map(([state, n]) => `${n} ${state}`).join(', ')}${total > states.length ? ` (the newest ${states.length} of ${total})` : ''}</span></div>`;
}

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
  const [tenant, credentials, users, webhooks, requests, queued, running] = await Promise.all([
    api.call('GET', '/admin/v1/tenant'),
    api.call('GET', '/admin/v1/api_credential', { query: { size: 1, filter: 'is_active==true' } }),
    api.call('GET', '/admin/v1/client', { query: { size: 1 } }),
    api.call<{ total_elements: number; content: { id: string }[] }>('GET', '/nucleus/v1/webhook', { query: { size: WEBHOOKS_CHECKED } }),
    api.call<RequestCounts>('GET', '/admin/v1/tenant/requests'),
    api.call('GET', '/nucleus/v1/bulk/status', { query: { size: 1, status: 'Queued' } }),
    api.call('GET', '/nucleus/v1/bulk/status', { query: { size: 1, status: 'In Progress' } }),
  ]);
  const health = webhooks.status === 200
    ? await Promise.all(webhooks.body.content.map((w) => api.call<{ state: string; consecutive_failures: number }>('GET', `/nucleus/v1/webhook/${encodeURIComponent(w.id)}/status`)))
    : [];
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
<h2>Today</h2>
${requests.status === 200 && todayOf(requests.body)}
<div class="cards">
  ${queued.status === 200 && running.status === 200 && html`<div class="card"><div class="figure">${queued.body.total_elements + running.body.total_elements}</div><a href="/console/bulk">bulk jobs pending</a> <span class="hint">(${queued.body.total_elements} queued, ${running.body.total_elements} in progress)</span></div>`}
  ${webhooks.status === 200 && webhookHealth(webhooks.body.total_elements, health.filter((h) => h.status === 200).map((h) => conditionOf(h.body)))}
</div>
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
