import { ATOM_SERVICES } from '../../platform/webhooks/events.ts';
import { problemText, type ApiAnswer } from '../api.ts';
import { consolePath, html, type Html } from '../html.ts';
import { consolePage, csrfField, type Notice } from '../layout.ts';
import type { PasswordCheck } from '../password-check.ts';
import { redirect, type ConsoleRoutes, type FormFields, type PageContext } from '../routing.ts';
import { filterForm, listQuery, pager, table, when, type ApiPage } from '../tables.ts';
import type { WebhookHealth } from '../../platform/webhooks/health.ts';
import type { AttemptView, DeliveryView } from '../../platform/webhooks/deliveries.ts';

interface Webhook {
  id: string;
  url: string;
  atom_service?: string[];
  is_active?: boolean;
  secret?: string;
  create_date: string;
}

/** The delivery states GET .../delivery filters by. */
const DELIVERY_STATUSES = ['pending', 'delivered', 'failed', 'cancelled'];

const DONE: Record<string, string> = {
  created: 'The webhook was created.',
  updated: 'The webhook was saved.',
  deleted: 'The webhook was deleted.',
  redelivered: 'The delivery was queued to be sent again.',
  tested: 'A test event was queued; it shows in the deliveries below.',
};

interface Values {
  url: string;
  atom_service: string[];
  is_active: boolean;
}

function valuesFrom(form: FormFields): Values {
  return { url: form.text('url'), atom_service: form.all('atom_service'), is_active: form.has('is_active') };
}

function apiPath(id: string, ...rest: string[]): string {
  return ['/nucleus/v1/webhook', encodeURIComponent(id), ...rest].join('/');
}

function errorOf(answer: ApiAnswer): Notice {
  return { kind: 'error', text: problemText(answer) };
}

function webhookFields(values: Values): Html {
  return html`<div><label for="url">URL <span class="hint">(http or https; receives a signed POST per event)</span></label>
  <input id="url" name="url" type="url" required maxlength="2048" value="${values.url}" spellcheck="false"></div>
<fieldset><legend>Services</legend>${ATOM_SERVICES.map(
    (service) => html`<label><input type="checkbox" name="atom_service" value="${service}"${values.atom_service.includes(service) ? html` checked` : ''}> ${service}</label>`,
  )}</fieldset>
<div><label><input type="checkbox" name="is_active" value="true"${values.is_active ? html` checked` : ''}> Active</label></div>`;
}

function newForm(context: PageContext, values: Values, notice?: Notice): Html {
  return consolePage(context.session, 'webhooks', {
    title: 'New webhook',
    notice,
    body: html`<form class="stacked" method="post" action="/console/webhooks">${csrfField(context.session)}
${webhookFields(values)}
<div><button type="submit">Create the webhook</button></div>
</form>`,
  });
}

/** The delivery log: htmx reloads it in place every few seconds while the page is open. */
function deliveryLog(webhookId: string, status: string, page: number, answer: ApiAnswer<ApiPage<DeliveryView>>): Html {
  const self = consolePath(['webhooks', webhookId, 'deliveries'], { status, page: page || undefined });
  const body = answer.status === 200
    ? html`${table<DeliveryView>('Deliveries', [
        { label: 'Created', cell: (d) => html`<a href="${consolePath(['webhooks', webhookId, 'deliveries', d.id])}">${when(d.create_date)}</a>` },
        { label: 'Service', cell: (d) => d.service },
        { label: 'Status', cell: (d) => d.status },
        { label: 'Attempts', cell: (d) => d.attempt_count },
        { label: 'Last answer', cell: (d) => { const last = d.attempts[d.attempts.length - 1]; return last ? (last.status_code ?? last.error ?? '—') : '—'; } },
      ], answer.body.content)}
      ${pager(['webhooks', webhookId], { status }, answer.body)}`
    : html`<p class="notice error" role="alert">${problemText(answer)}</p>`;
  return html`<section id="deliveries" hx-get="${self}" hx-trigger="every 5s" hx-swap="outerHTML" aria-live="off">${body}</section>`;
}

async function deliveries(context: PageContext, webhookId: string): Promise<{ status: string; page: number; answer: ApiAnswer<ApiPage<DeliveryView>> }> {
  const { page, size } = listQuery(context.query);
  const status = DELIVERY_STATUSES.includes(context.query.status) ? context.query.status : '';
  const answer = await context.api.call<ApiPage<DeliveryView>>('GET', apiPath(webhookId, 'delivery'), { query: { page, size, status } });
  return { status, page, answer };
}

/** The signing secret is not on the page until the user gives their password again, and then only in that answer. */
function secretSection(context: PageContext, id: string, secret: string | undefined): Html {
  if (secret !== undefined) {
    return html`<p><code class="secret" id="webhook-secret">${secret}</code></p>
<p class="actions"><button type="button" data-copy="webhook-secret">Copy the secret</button><span id="webhook-secret-status" role="status"></span></p>`;
  }
  return html`<form class="inline" method="post" action="${consolePath(['webhooks', id, 'secret'])}">${csrfField(context.session)}
  <div><label for="current-password">Your password <span class="hint">(to show the secret)</span></label>
    <input id="current-password" name="password" type="password" autocomplete="current-password" required></div>
  <div><button type="submit">Show the secret</button></div>
</form>`;
}

interface DetailOptions {
  notice?: Notice;
  values?: Values;
  /** Shows the secret, in this answer only: the password was just confirmed. */
  showSecret?: boolean;
}

async function detailPage(context: PageContext, { notice, values, showSecret }: DetailOptions = {}): Promise<Html | { status: number; page: Html }> {
  const id = context.params.id;
  const [webhook, health, log] = await Promise.all([
    context.api.call<Webhook>('GET', apiPath(id)),
    context.api.call<WebhookHealth>('GET', apiPath(id, 'status')),
    deliveries(context, id),
  ]);
  if (webhook.status !== 200) return { status: webhook.status, page: consolePage(context.session, 'webhooks', { title: 'Webhook', notice: errorOf(webhook), body: '' }) };
  const w = webhook.body;
  const h = health.status === 200 ? health.body : undefined;
  const csrf = csrfField(context.session);
  return consolePage(context.session, 'webhooks', {
    title: 'Webhook',
    notice,
    body: html`<dl class="fields">
  <dt>URL</dt><dd><code>${w.url}</code></dd>
  <dt>Services</dt><dd>${(w.atom_service ?? []).join(', ') || 'none'}</dd>
  ${h && html`<dt>Health</dt><dd><strong>${h.state}</strong>${h.consecutive_failures > 0 ? `, ${h.consecutive_failures} failures in a row` : ''}; ${h.pending_deliveries} pending</dd>
  <dt>Last success</dt><dd>${when(h.last_success_date)}</dd>
  <dt>Last failure</dt><dd>${when(h.last_failure_date)}</dd>`}
  <dt>Created</dt><dd>${when(w.create_date)}</dd>
</dl>
<h2>Signing secret</h2>
${secretSection(context, id, showSecret ? w.secret : undefined)}
<h2>Deliveries</h2>
<form method="post" action="${consolePath(['webhooks', id, 'test'])}">${csrf}<p class="actions"><button type="submit" class="secondary">Send a test event</button></p></form>
<form class="inline" method="get" action="${consolePath(['webhooks', id])}">
  <div><label for="status">Status</label><select id="status" name="status"><option value="">any</option>${DELIVERY_STATUSES.map(
    (s) => html`<option${s === log.status ? html` selected` : ''}>${s}</option>`,
  )}</select></div>
  <div><button type="submit">Show</button></div>
</form>
${deliveryLog(id, log.status, log.page, log.answer)}
<h2>Edit</h2>
<form class="stacked" method="post" action="${consolePath(['webhooks', id])}">${csrf}
${webhookFields(values ?? { url: w.url, atom_service: w.atom_service ?? [], is_active: w.is_active !== false })}
<div><button type="submit">Save</button></div>
</form>
<h2>Delete</h2>
<form method="post" action="${consolePath(['webhooks', id, 'delete'])}" data-confirm="Delete this webhook?">${csrf}<button class="danger" type="submit">Delete the webhook</button></form>`,
  });
}

/** Webhooks over /nucleus/v1/webhook, their health, delivery log, redelivery and test events. */
export function webhookPages(routes: ConsoleRoutes, passwords: PasswordCheck): void {
  routes.page('/webhooks', async (context) => {
    const { page, size, filter } = listQuery(context.query);
    const answer = await context.api.call<ApiPage<Webhook>>('GET', '/nucleus/v1/webhook', { query: { page, size, filter } });
    const done = DONE[context.query.done];
    return consolePage(context.session, 'webhooks', {
      title: 'Webhooks',
      notice: answer.status !== 200 ? errorOf(answer) : done ? { kind: 'done', text: done } : undefined,
      body: html`<p class="actions"><a class="button" href="/console/webhooks/new">New webhook</a></p>
${filterForm('/console/webhooks', { filter, size }, 'is_active==false')}
${answer.status === 200 && html`${table<Webhook>('Webhooks', [
  { label: 'URL', cell: (w) => html`<a href="${consolePath(['webhooks', w.id])}">${w.url}</a>` },
  { label: 'Services', cell: (w) => (w.atom_service ?? []).join(', ') },
  { label: 'Active', cell: (w) => (w.is_active === false ? 'no' : 'yes') },
  { label: 'Created', cell: (w) => when(w.create_date) },
], answer.body.content)}
${pager(['webhooks'], { size, filter }, answer.body)}`}`,
    });
  });

  routes.page('/webhooks/new', async (context) => newForm(context, { url: '', atom_service: [], is_active: true }));

  routes.action('/webhooks', async (context) => {
    const values = valuesFrom(context.form);
    const answer = await context.api.call<Webhook>('POST', '/nucleus/v1/webhook', { body: values });
    if (answer.status !== 201) return { status: 400, page: newForm(context, values, errorOf(answer)) };
    return redirect(`${consolePath(['webhooks', answer.body.id])}?done=created`);
  });

  routes.page('/webhooks/:id', async (context) => {
    const done = DONE[context.query.done];
    return detailPage(context, { notice: done ? { kind: 'done', text: done } : undefined });
  });

  routes.page('/webhooks/:id/deliveries', async (context) => {
    const log = await deliveries(context, context.params.id);
    return deliveryLog(context.params.id, log.status, log.page, log.answer);
  });

  routes.action('/webhooks/:id', async (context) => {
    const values = valuesFrom(context.form);
    const answer = await context.api.call('PUT', apiPath(context.params.id), { body: values });
    if (answer.status === 200) return redirect(`${consolePath(['webhooks', context.params.id])}?done=updated`);
    return detailPage(context, { notice: errorOf(answer), values });
  });

  routes.action('/webhooks/:id/delete', async (context) => {
    const answer = await context.api.call('DELETE', apiPath(context.params.id));
    if (answer.status === 204) return redirect('/console/webhooks?done=deleted');
    return detailPage(context, { notice: errorOf(answer) });
  });

  routes.action('/webhooks/:id/test', async (context) => {
    const answer = await context.api.call('POST', apiPath(context.params.id, 'test'));
    if (answer.status === 202) return redirect(`${consolePath(['webhooks', context.params.id])}?done=tested`);
    return detailPage(context, { notice: errorOf(answer) });
  });

  routes.action('/webhooks/:id/secret', async (context) => {
    const check = await passwords.confirm(context.request, context.session, String((context.request.body as Record<string, unknown>).password ?? ''));
    if (!check.confirmed) return detailPage(context, { notice: { kind: 'error', text: check.text } });
    return detailPage(context, { notice: { kind: 'warning', text: 'Here is the signing secret. It is not kept on any page: give your password again to see it later.' }, showSecret: true });
  });

  routes.page('/webhooks/:id/deliveries/:delivery', async (context) => {
    const { id, delivery } = context.params;
    const answer = await context.api.call<DeliveryView>('GET', apiPath(id, 'delivery', delivery));
    if (answer.status !== 200) return { status: answer.status, page: consolePage(context.session, 'webhooks', { title: 'Delivery', notice: errorOf(answer), body: '' }) };
    const d = answer.body;
    const done = DONE[context.query.done];
    return consolePage(context.session, 'webhooks', {
      title: `Delivery of ${d.service}`,
      notice: done ? { kind: 'done', text: done } : undefined,
      body: html`<dl class="fields">
  <dt>Status</dt><dd>${d.status}</dd>
  <dt>Record</dt><dd>${d.entity} <code>${d.record_id}</code></dd>
  <dt>Delivery id</dt><dd><code>${d.id}</code></dd>
  <dt>Next attempt</dt><dd>${when(d.next_attempt_date)}</dd>
  <dt>Delivered</dt><dd>${when(d.delivered_date)}</dd>
</dl>
<h2>Attempts</h2>
${table<AttemptView>('Attempts', [
  { label: '#', cell: (a) => a.attempt_number },
  { label: 'When', cell: (a) => when(a.attempt_date) },
  { label: 'Answer', cell: (a) => a.status_code ?? '—' },
  { label: 'Took', cell: (a) => (a.latency_ms === null ? '—' : `${a.latency_ms} ms`) },
  { label: 'Error', cell: (a) => a.error ?? '—' },
], d.attempts)}
<form method="post" action="${consolePath(['webhooks', id, 'deliveries', d.id, 'redeliver'])}">${csrfField(context.session)}<p class="actions"><button type="submit">Send it again</button></p></form>
<p><a href="${consolePath(['webhooks', id])}">Back to the webhook</a></p>`,
    });
  });

  routes.action('/webhooks/:id/deliveries/:delivery/redeliver', async (context) => {
    const { id, delivery } = context.params;
    const answer = await context.api.call('POST', apiPath(id, 'delivery', delivery, 'redeliver'));
    const back = consolePath(['webhooks', id, 'deliveries', delivery]);
    if (answer.status < 300) return redirect(`${back}?done=redelivered`);
    return { status: answer.status, page: consolePage(context.session, 'webhooks', { title: 'Delivery', notice: errorOf(answer), body: html`<p><a href="${back}">Back</a></p>` }) };
  });
}
