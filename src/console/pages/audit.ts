import { AUDIT_ACTIONS, type AuditRecord } from '../../platform/audit/admin-audit.ts';
import { problemText } from '../api.ts';
import { consolePath, html } from '../html.ts';
import { dayBound } from '../filters.ts';
import { consolePage } from '../layout.ts';
import type { ConsoleRoutes } from '../routing.ts';
import { listQuery, pager, table, when, type ApiPage } from '../tables.ts';

function actorText(record: AuditRecord): string {
  const actor = record.actor;
  if (actor.via !== 'api') return actor.via === 'cli' ? 'operator tool' : 'the server';
  const who = actor.admin_user_id ? `admin user ${actor.admin_user_id}` : actor.nucleus_client_id ? `client ${actor.nucleus_client_id}` : `credential ${actor.credential_id}`;
  return `${who} from ${actor.ip}`;
}

function subjectText(record: AuditRecord): string {
  if (record.credential_client_id) return `credential ${record.credential_client_id}`;
  if (record.admin_user_id) return `admin user ${record.admin_user_id}`;
  return 'the tenant';
}

/** The admin audit trail of management actions (GET /admin/v1/audit_trail), filtered as the API filters it. */
export function auditPages(routes: ConsoleRoutes): void {
  routes.page('/audit', async ({ session, api, query }) => {
    const { page, size, filter } = listQuery(query);
    const values = { action: query.action ?? '', admin_user_id: query.admin_user_id ?? '', credential_id: query.credential_id ?? '', from: query.from ?? '', to: query.to ?? '' };
    const answer = await api.call<ApiPage<AuditRecord>>('GET', '/admin/v1/audit_trail', {
      query: { page, size, filter, action: values.action, admin_user_id: values.admin_user_id, credential_id: values.credential_id, from: dayBound(values.from, false), to: dayBound(values.to, true) },
    });
    const list = answer.status === 200 && html`${table<AuditRecord>('Audit trail', [
      { label: 'When', cell: (r) => html`<a href="${consolePath(['audit', r.id])}">${when(r.create_date)}</a>` },
      { label: 'Action', cell: (r) => r.action },
      { label: 'Subject', cell: subjectText },
      { label: 'By', cell: actorText },
    ], answer.body.content)}
${pager(['audit'], { ...values, size, filter }, answer.body)}`;
    return consolePage(session, 'audit', {
      title: 'Management audit trail',
      notice: answer.status !== 200 ? { kind: 'error', text: problemText(answer) } : undefined,
      body: html`<p>Every management action of the tenant (credentials, admin users, the tenant), newest first.
Writes through the Nucleus API are in the <a href="/console/api-audit">API audit log</a>.</p>
<form class="inline" method="get" action="/console/audit" role="search">
  <div><label for="action">Action</label><select id="action" name="action"><option value="">any</option>${AUDIT_ACTIONS.map(
    (a) => html`<option${a === values.action ? html` selected` : ''}>${a}</option>`,
  )}</select></div>
  <div><label for="admin_user_id">Admin user id</label><input id="admin_user_id" name="admin_user_id" type="text" inputmode="numeric" value="${values.admin_user_id}"></div>
  <div><label for="credential_id">Credential id</label><input id="credential_id" name="credential_id" type="text" value="${values.credential_id}" spellcheck="false"></div>
  <div><label for="from">From</label><input id="from" name="from" type="date" value="${values.from}"></div>
  <div><label for="to">To <span class="hint">(included)</span></label><input id="to" name="to" type="date" value="${values.to}"></div>
  <div><label for="filter">Filter <span class="hint">(RSQL)</span></label><input id="filter" name="filter" type="search" value="${filter}" spellcheck="false"></div>
  <input type="hidden" name="size" value="${size}">
  <div><button type="submit">Show</button></div>
</form>
${list}`,
    });
  });

  routes.page('/audit/:id', async ({ session, api, params }) => {
    // The API has no read by id; its filter on id finds the one record.
    const answer = await api.call<ApiPage<AuditRecord>>('GET', '/admin/v1/audit_trail', { query: { filter: `id==${JSON.stringify(params.id)}`, size: 1 } });
    const record = answer.status === 200 ? answer.body.content[0] : undefined;
    if (!record) {
      const text = answer.status === 200 ? 'There is no such record in this tenant’s audit trail.' : problemText(answer);
      return { status: answer.status === 200 ? 404 : answer.status, page: consolePage(session, 'audit', { title: 'Audit record', notice: { kind: 'error', text }, body: '' }) };
    }
    return consolePage(session, 'audit', {
      title: `Audit record: ${record.action}`,
      body: html`<dl class="fields">
  <dt>When</dt><dd>${when(record.create_date)}</dd>
  <dt>Action</dt><dd>${record.action}</dd>
  <dt>Subject</dt><dd>${subjectText(record)}${record.credential_id && html` (<a href="${consolePath(['credentials', record.credential_id])}">open</a>)`}${record.admin_user_id && html` (<a href="${consolePath(['users', record.admin_user_id])}">open</a>)`}</dd>
  <dt>By</dt><dd>${actorText(record)}</dd>
  <dt>Id</dt><dd><code>${record.id}</code></dd>
</dl>
<h2>Details</h2>
<pre>${JSON.stringify(record.details, null, 2)}</pre>
<h2>Actor</h2>
<pre>${JSON.stringify(record.actor, null, 2)}</pre>
<p><a href="/console/audit">Back to the audit trail</a></p>`,
    });
  });
}
