import { problemText, type ApiAnswer } from '../api.ts';
import { quoted } from '../filters.ts';
import { consolePath, html, type Fragment } from '../html.ts';
import { consolePage } from '../layout.ts';
import type { ConsoleRoutes, PageContext } from '../routing.ts';
import { listQuery, pager, table, when, type ApiPage } from '../tables.ts';

type Record_ = { id: string; create_date?: string } & Record<string, unknown>;

/** The search box as RSQL over the fields a person is found by. */
function searchFilter(text: string): string {
  const like = quoted(`*${text}*`);
  return ['first_name', 'last_name', 'email', 'username'].map((field) => `${field}=like=${like}`).join(',');
}

function text(value: unknown): string {
  return value === undefined || value === null ? '—' : String(value);
}

function section(title: string, answer: ApiAnswer<ApiPage<Record_>>, columns: { label: string; cell: (row: Record_) => Fragment }[]): Fragment {
  if (answer.status !== 200) return html`<h2>${title}</h2><p class="notice error">${problemText(answer)}</p>`;
  const more = answer.body.total_elements > answer.body.content.length ? html`<p class="hint">The first ${answer.body.content.length} of ${answer.body.total_elements}.</p>` : '';
  return html`<h2>${title} (${answer.body.total_elements})</h2>${table(title, columns, answer.body.content)}${more}`;
}

const FIRST = 50;

/** A point of GET /client/{id}/asset_size. */
interface AssetSize {
  date: string;
  value: number;
  currency_code?: string;
}

/** The latest value of the client's portfolios, or why the API gave none (such as portfolios in several currencies). */
function latestAssetSize(answer: ApiAnswer<AssetSize[]>): Fragment {
  if (answer.status !== 200) return html`<span class="hint">${problemText(answer)}</span>`;
  const latest = answer.body[answer.body.length - 1];
  if (!latest) return 'none recorded';
  const amount = latest.value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return html`${amount}${latest.currency_code ? ` ${latest.currency_code}` : ''} on ${latest.date}`;
}

async function clientPage(context: PageContext) {
  const id = context.params.id;
  const client = await context.api.call<Record_>('GET', `/nucleus/v1/client/${encodeURIComponent(id)}`);
  if (client.status !== 200) return { status: client.status, page: consolePage(context.session, 'data', { title: 'Client', notice: { kind: 'error', text: problemText(client) }, body: '' }) };
  const ofClient = { size: FIRST, filter: `client_id==${quoted(id)}` };
  const [accounts, goals, cards, assetSize] = await Promise.all([
    context.api.call<ApiPage<Record_>>('GET', '/nucleus/v1/account', { query: { size: FIRST, filter: `clients.client_id==${quoted(id)}` } }),
    context.api.call<ApiPage<Record_>>('GET', '/nucleus/v1/goal', { query: ofClient }),
    context.api.call<ApiPage<Record_>>('GET', '/nucleus/v1/card', { query: ofClient }),
    context.api.call<AssetSize[]>('GET', `/nucleus/v1/client/${encodeURIComponent(id)}/asset_size`, { query: { get_latest: true } }),
  ]);
  const accountIds = accounts.status === 200 ? accounts.body.content.map((a) => a.id) : [];
  const portfolios: ApiAnswer<ApiPage<Record_>> = accountIds.length > 0
    ? await context.api.call<ApiPage<Record_>>('GET', '/nucleus/v1/portfolio', { query: { size: FIRST, filter: `account_id=in=(${accountIds.map(quoted).join(',')})` } })
    : { status: 200, body: { content: [], total_elements: 0, total_pages: 0, number: 0, size: FIRST, first: true, last: true } };
  const c = client.body;
  const name = [c.first_name, c.last_name].filter(Boolean).join(' ') || text(c.username);
  return consolePage(context.session, 'data', {
    title: `Client ${name}`,
    body: html`<dl class="fields">
  <dt>Id</dt><dd><code>${c.id}</code></dd>
  <dt>Username</dt><dd>${text(c.username)}</dd>
  <dt>Email</dt><dd>${text(c.email)}</dd>
  <dt>Type</dt><dd>${text(c.client_type)}</dd>
  <dt>Active</dt><dd>${c.is_active === false ? 'no' : 'yes'}</dd>
  <dt>Verified</dt><dd>${c.is_verified ? 'yes' : 'no'}</dd>
  <dt>Created</dt><dd>${when(c.create_date)}</dd>
  <dt>Latest asset size</dt><dd>${latestAssetSize(assetSize)}</dd>
</dl>
${section('Accounts', accounts, [
  { label: 'Name', cell: (a) => text(a.name) },
  { label: 'Id', cell: (a) => html`<code>${a.id}</code>` },
  { label: 'Active', cell: (a) => (a.is_active === false ? 'no' : 'yes') },
  { label: 'Created', cell: (a) => when(a.create_date) },
])}
${section('Portfolios', portfolios, [
  { label: 'Name', cell: (p) => text(p.name) },
  { label: 'Account', cell: (p) => html`<code>${text(p.account_id)}</code>` },
  { label: 'Created', cell: (p) => when(p.create_date) },
])}
${section('Goals', goals, [
  { label: 'Name', cell: (g) => text(g.name) },
  { label: 'Category', cell: (g) => text(g.category) },
  { label: 'Created', cell: (g) => when(g.create_date) },
])}
${section('Cards', cards, [
  { label: 'Holder', cell: (card) => text(card.card_holder_name) },
  { label: 'Status', cell: (card) => text(card.status) },
  { label: 'Last four', cell: (card) => text(card.mask) },
  { label: 'Created', cell: (card) => when(card.create_date) },
])}
<details><summary>The client record as the API answers it</summary><pre>${JSON.stringify(c, null, 2)}</pre></details>
<p><a href="/console/data">Back to the clients</a></p>`,
  });
}

/** A read-only look at the tenant's Nucleus data, through the same lists and filters as any caller. */
export function dataPages(routes: ConsoleRoutes): void {
  routes.page('/data', async ({ session, api, query }) => {
    const { page, size, filter } = listQuery(query);
    const search = query.q ?? '';
    const answer = await api.call<ApiPage<Record_>>('GET', '/nucleus/v1/client', {
      query: { page, size, filter: search ? (filter ? `(${searchFilter(search)});(${filter})` : searchFilter(search)) : filter },
    });
    return consolePage(session, 'data', {
      title: 'Clients',
      notice: answer.status !== 200 ? { kind: 'error', text: problemText(answer) } : undefined,
      body: html`<p>Read only. Open a client to see its accounts, portfolios, goals, cards and latest asset size.</p>
<form class="inline" method="get" action="/console/data" role="search">
  <div><label for="q">Search <span class="hint">(name, email or username)</span></label><input id="q" name="q" type="search" value="${search}"></div>
  <div><label for="filter">Filter <span class="hint">(RSQL, e.g. <code>is_verified==true</code>)</span></label><input id="filter" name="filter" type="search" value="${filter}" spellcheck="false"></div>
  <input type="hidden" name="size" value="${size}">
  <div><button type="submit">Search</button></div>
</form>
${answer.status === 200 && html`${table<Record_>('Clients', [
  { label: 'Name', cell: (c) => html`<a href="${consolePath(['data', 'clients', c.id])}">${[c.first_name, c.last_name].filter(Boolean).join(' ') || text(c.username)}</a>` },
  { label: 'Email', cell: (c) => text(c.email) },
  { label: 'Type', cell: (c) => text(c.client_type) },
  { label: 'Created', cell: (c) => when(c.create_date) },
], answer.body.content)}
${pager(['data'], { q: search, filter, size }, answer.body)}`}`,
    });
  });

  routes.page('/data/clients/:id', clientPage);
}
