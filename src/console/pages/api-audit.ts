import { problemText } from '../api.ts';
import { dayBound, quoted } from '../filters.ts';
import { consolePath, html, type Fragment } from '../html.ts';
import { consolePage } from '../layout.ts';
import type { ConsoleRoutes } from '../routing.ts';
import { listQuery, pager, table, when, type ApiPage } from '../tables.ts';
import { UUID } from '../../platform/entity/uuid.ts';

/** A record of Nucleus's audit_log, as GET /nucleus/v1/audit_log answers it. */
interface AuditLog {
  id: string;
  request_url: string;
  response: string;
  request?: string;
  create_date: string;
  /** The ids of what the request touched, by kind (TOUCHED). */
  [ids: string]: unknown;
}

/** What the server writes into `request` for each write (src/platform/audit/audit-hook.ts); a record posted by a caller may hold anything. */
interface RecordedRequest {
  method?: string;
  credential_id?: string | null;
  user_client_id?: string | null;
  request_id?: string;
  /** "system" for a write the server made on its own account, with its reason (system-origin.ts). */
  actor?: string;
  reason?: string;
}

/** Who made the write: the server itself, with why, or the credential that called. */
function writtenBy(request: RecordedRequest) {
  if (request.actor === 'system') return html`<span title="${request.reason ?? ''}">the server</span>`;
  return request.credential_id ? html`<code>${request.credential_id}</code>` : '—';
}

const METHODS = ['POST', 'PUT', 'DELETE'];
const STATUS = /^\d{3}$/;
/** The fields of audit_log that name what a request touched. */
const TOUCHED = ['client_ids', 'account_ids', 'portfolio_ids', 'goal_ids', 'aggregation_account_ids', 'allocation_ids', 'model_ids', 'security_ids'];

interface Values {
  client_id: string;
  account_id: string;
  from: string;
  to: string;
  method: string;
  status: string;
}

function recordedRequest(record: AuditLog): RecordedRequest {
  try {
    const parsed: unknown = JSON.parse(record.request ?? '');
    return typeof parsed === 'object' && parsed !== null ? (parsed as RecordedRequest) : {};
  } catch {
    return {};
  }
}

/**
 * The form's fields as one RSQL filter, with the user's own RSQL as a further condition: the
 * API filters, so what is listed is what the API says matches. audit_log has no method field;
 * the server records the method inside `request` (a JSON text), hence the pattern.
 */
function filterOf(values: Values, own: string): { filter: string; problem?: string } {
  const parts: string[] = [];
  const wrong = (what: string) => ({ filter: '', problem: `The ${what} is not right.` });
  if (values.client_id) {
    if (!UUID.test(values.client_id)) return wrong('client id (a UUID)');
    parts.push(`client_ids==${quoted(values.client_id)}`);
  }
  if (values.account_id) {
    if (!UUID.test(values.account_id)) return wrong('account id (a UUID)');
    parts.push(`account_ids==${quoted(values.account_id)}`);
  }
  const from = dayBound(values.from, false);
  const to = dayBound(values.to, true);
  if (from) parts.push(`create_date=ge=${quoted(from)}`);
  if (to) parts.push(`create_date=lt=${quoted(to)}`);
  if (values.method) parts.push(`request=like=${quoted(`*"method":"${values.method}"*`)}`);
  if (values.status) {
    if (!STATUS.test(values.status)) return wrong('status (three digits, such as 201)');
    parts.push(`response==${quoted(values.status)}`);
  }
  if (own) parts.push(`(${own})`);
  return { filter: parts.join(';') };
}

function touchedLinks(record: AuditLog): Fragment {
  const links = TOUCHED.flatMap((field) => {
    const ids = Array.isArray(record[field]) ? (record[field] as string[]) : [];
    return ids.map((id) => html`<li>${field.replace(/_ids$/, '')} ${field === 'client_ids' ? html`<a href="${consolePath(['data', 'clients', id])}"><code>${id}</code></a>` : html`<code>${id}</code>`}</li>`);
  });
  return links.length > 0 ? html`<ul>${links}</ul>` : 'nothing recorded';
}

/**
 * Nucleus's request audit log (GET /nucleus/v1/audit_log): a record per write through the
 * Nucleus API, with what it touched. The management actions (credentials, admin users, the
 * tenant) are in the audit trail's pages instead (audit.ts).
 */
export function apiAuditPages(routes: ConsoleRoutes): void {
  routes.page('/api-audit', async ({ session, api, query }) => {
    const { page, size, filter: own } = listQuery(query);
    const values: Values = {
      client_id: (query.client_id ?? '').trim(),
      account_id: (query.account_id ?? '').trim(),
      from: query.from ?? '',
      to: query.to ?? '',
      method: METHODS.includes(query.method) ? query.method : '',
      status: (query.status ?? '').trim(),
    };
    const { filter, problem } = filterOf(values, own);
    const answer = problem
      ? undefined
      : await api.call<ApiPage<AuditLog>>('GET', '/nucleus/v1/audit_log', { query: { page, size, filter, order_by: 'create_date', ascending: false } });
    const list = answer?.status === 200 && html`${table<AuditLog>('API audit log', [
      { label: 'When', cell: (r) => html`<a href="${consolePath(['api-audit', r.id])}">${when(r.create_date)}</a>` },
      { label: 'Method', cell: (r) => recordedRequest(r).method ?? '—' },
      { label: 'URL', cell: (r) => html`<code>${r.request_url}</code>` },
      { label: 'Status', cell: (r) => r.response },
      { label: 'By', cell: (r) => writtenBy(recordedRequest(r)) },
    ], answer.body.content)}
${pager(['api-audit'], { ...values, filter: own, size }, answer.body)}`;
    const refusal = problem ?? (answer && answer.status !== 200 ? problemText(answer) : undefined);
    return consolePage(session, 'api-audit', {
      title: 'API audit log',
      notice: refusal ? { kind: 'error', text: refusal } : undefined,
      body: html`<p>Every write through the Nucleus API, newest first, with the records it touched (Nucleus's <code>audit_log</code>).
Changes to credentials, admin users and the tenant are in the <a href="/console/audit">management audit</a>.</p>
<form class="inline" method="get" action="/console/api-audit" role="search">
  <div><label for="client_id">Client id</label><input id="client_id" name="client_id" type="text" value="${values.client_id}" spellcheck="false"></div>
  <div><label for="account_id">Account id</label><input id="account_id" name="account_id" type="text" value="${values.account_id}" spellcheck="false"></div>
  <div><label for="from">From</label><input id="from" name="from" type="date" value="${values.from}"></div>
  <div><label for="to">To <span class="hint">(included)</span></label><input id="to" name="to" type="date" value="${values.to}"></div>
  <div><label for="method">Method</label><select id="method" name="method"><option value="">any</option>${METHODS.map(
    (m) => html`<option${m === values.method ? html` selected` : ''}>${m}</option>`,
  )}</select></div>
  <div><label for="status">Status</label><input id="status" name="status" type="text" inputmode="numeric" size="4" value="${values.status}"></div>
  <div><label for="filter">Filter <span class="hint">(RSQL)</span></label><input id="filter" name="filter" type="search" value="${own}" spellcheck="false"></div>
  <input type="hidden" name="size" value="${size}">
  <div><button type="submit">Show</button></div>
</form>
${filter && !problem ? html`<p class="hint">Asked as <code>filter=${filter}</code></p>` : ''}
${list}`,
    });
  });

  routes.page('/api-audit/:id', async ({ session, api, params }) => {
    const answer = await api.call<AuditLog>('GET', `/nucleus/v1/audit_log/${encodeURIComponent(params.id)}`);
    if (answer.status !== 200) {
      return { status: answer.status, page: consolePage(session, 'api-audit', { title: 'API audit record', notice: { kind: 'error', text: problemText(answer) }, body: '' }) };
    }
    const record = answer.body;
    const request = recordedRequest(record);
    let requestText = record.request ?? '';
    try {
      requestText = JSON.stringify(JSON.parse(requestText), null, 2);
    } catch {
      // Not JSON (a record a caller posted): shown as it was written.
    }
    return consolePage(session, 'api-audit', {
      title: `API audit record: ${request.method ?? 'request'} ${record.response}`,
      body: html`<dl class="fields">
  <dt>When</dt><dd>${when(record.create_date)}</dd>
  <dt>Method</dt><dd>${request.method ?? '—'}</dd>
  <dt>URL</dt><dd><code>${record.request_url}</code></dd>
  <dt>Status</dt><dd>${record.response}</dd>
  ${request.actor === 'system' ? html`<dt>By</dt><dd>the server: ${request.reason ?? ''}</dd>` : ''}
  <dt>${request.actor === 'system' ? 'On behalf of credential' : 'Credential'}</dt><dd>${request.credential_id && request.credential_id !== 'system' ? html`<a href="${consolePath(['credentials', request.credential_id])}"><code>${request.credential_id}</code></a>` : '—'}</dd>
  <dt>Acting for client</dt><dd>${request.user_client_id ? html`<a href="${consolePath(['data', 'clients', request.user_client_id])}"><code>${request.user_client_id}</code></a>` : '—'}</dd>
  <dt>Request id</dt><dd>${request.request_id ? html`<code>${request.request_id}</code>` : '—'}</dd>
  <dt>Touched</dt><dd>${touchedLinks(record)}</dd>
  <dt>Id</dt><dd><code>${record.id}</code></dd>
</dl>
<h2>Request</h2>
<pre>${requestText}</pre>
<p><a href="/console/api-audit">Back to the API audit log</a></p>`,
    });
  });
}
