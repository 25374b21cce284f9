import type { ApiAnswer } from '../api.ts';
import { problemText } from '../api.ts';
import { consolePath, html, type Html } from '../html.ts';
import { consolePage } from '../layout.ts';
import type { ConsoleRoutes, PageContext } from '../routing.ts';
import { filterForm, listQuery, pager, table, when, type ApiPage } from '../tables.ts';

interface Progress {
  total: number;
  processed: number;
  succeeded: number;
  failed: number;
}

interface BulkSummary {
  id: string;
  entity: string;
  action: string;
  status: string;
  item_count: number;
  progress: Progress;
  create_date: string;
  update_date: string;
}

interface ItemError {
  status: number;
  code: string;
  message: string;
  field?: string;
}

interface BulkStatus {
  id: string;
  status: string;
  progress: Progress;
  success: Record<string, { id: string }>;
  error: Record<string, ItemError>;
}

/** The states GET /bulk/status filters by; the first two are work still to do. */
const STATUSES = ['Queued', 'In Progress', 'Complete', 'Failed'];

function finished(status: string): boolean {
  return status === 'Complete' || status === 'Failed';
}

/** A bar and the same in words, as a screen reader or a narrow screen wants it. */
function progressOf(p: Progress): Html {
  return html`<progress max="${p.total}" value="${p.processed}">${p.processed} of ${p.total}</progress>
<span>${p.processed} of ${p.total} done${p.failed > 0 ? `, ${p.failed} refused` : ''}</span>`;
}

function errorPage(context: PageContext, answer: ApiAnswer): { status: number; page: Html } {
  return { status: answer.status, page: consolePage(context.session, 'bulk', { title: 'Bulk job', notice: { kind: 'error', text: problemText(answer) }, body: '' }) };
}

/**
 * A job's state and its refused items. While the job runs, htmx asks for this again every
 * second; the finished job's fragment has no trigger, so the asking stops there.
 */
function jobState(b: BulkStatus): Html {
  const self = consolePath(['bulk', b.id, 'state']);
  const errors = Object.entries(b.error).map(([position, e]) => ({ position: Number(position), ...e }));
  const polling = finished(b.status) ? '' : html` hx-get="${self}" hx-trigger="every 1s" hx-swap="outerHTML"`;
  return html`<section id="job-state"${polling}>
<dl class="fields">
  <dt>Status</dt><dd><strong class="status" data-status="${b.status}">${b.status}</strong></dd>
  <dt>Progress</dt><dd class="progress">${progressOf(b.progress)}</dd>
  <dt>Applied</dt><dd>${b.progress.succeeded}</dd>
</dl>
<h2>Refused items</h2>
${table<(typeof errors)[number]>('Refused items, by their position in the request', [
  { label: 'Item', cell: (e) => e.position },
  { label: 'Answer', cell: (e) => e.status },
  { label: 'Code', cell: (e) => html`<code>${e.code}</code>` },
  { label: 'Field', cell: (e) => e.field ?? '—' },
  { label: 'Message', cell: (e) => e.message },
], errors)}
${finished(b.status) ? '' : html`<p class="hint" role="status">This page follows the job as it runs.</p>`}
</section>`;
}

function jobList(context: PageContext, answer: ApiAnswer<ApiPage<BulkSummary>>, query: { status: string; size: number; filter: string; page: number }): Html {
  if (answer.status !== 200) return html`<section id="jobs"><p class="notice error" role="alert">${problemText(answer)}</p></section>`;
  const running = answer.body.content.some((b) => !finished(b.status));
  const self = consolePath(['bulk', 'jobs'], { status: query.status, size: query.size, filter: query.filter, page: query.page || undefined });
  return html`<section id="jobs"${running ? html` hx-get="${self}" hx-trigger="every 2s" hx-swap="outerHTML"` : ''}>
${table<BulkSummary>('Bulk jobs', [
  { label: 'Created', cell: (b) => html`<a href="${consolePath(['bulk', b.id])}">${when(b.create_date)}</a>` },
  { label: 'Job', cell: (b) => `${b.action} ${b.entity}` },
  { label: 'Status', cell: (b) => b.status },
  { label: 'Progress', cell: (b) => progressOf(b.progress) },
], answer.body.content)}
${pager(['bulk'], { status: query.status, size: query.size, filter: query.filter }, answer.body)}
</section>`;
}

async function jobs(context: PageContext) {
  const { page, size, filter } = listQuery(context.query);
  const status = STATUSES.includes(context.query.status) ? context.query.status : '';
  const answer = await context.api.call<ApiPage<BulkSummary>>('GET', '/nucleus/v1/bulk/status', { query: { page, size, filter, status } });
  return { answer, query: { status, size, filter, page } };
}

/** Bulk jobs over GET /nucleus/v1/bulk/status: their progress, followed as they run, and each refused item. */
export function bulkPages(routes: ConsoleRoutes): void {
  routes.page('/bulk', async (context) => {
    const { answer, query } = await jobs(context);
    return consolePage(context.session, 'bulk', {
      title: 'Bulk jobs',
      body: html`<p>Jobs sent to <code>/nucleus/v1/bulk/{entity}</code>, newest first. A job still running is followed here as it goes.</p>
${filterForm('/console/bulk', query, 'entity==client', html`<div><label for="status">Status</label><select id="status" name="status"><option value="">any</option>${STATUSES.map(
        (s) => html`<option${s === query.status ? html` selected` : ''}>${s}</option>`,
      )}</select></div>`)}
${jobList(context, answer, query)}`,
    });
  });

  routes.page('/bulk/jobs', async (context) => {
    const { answer, query } = await jobs(context);
    return jobList(context, answer, query);
  });

  routes.page('/bulk/:id', async (context) => {
    const answer = await context.api.call<BulkStatus>('GET', `/nucleus/v1/bulk/status/${encodeURIComponent(context.params.id)}`);
    if (answer.status !== 200) return errorPage(context, answer);
    return consolePage(context.session, 'bulk', {
      title: 'Bulk job',
      body: html`<p>Job <code>${answer.body.id}</code></p>
${jobState(answer.body)}
<p><a href="/console/bulk">All bulk jobs</a></p>`,
    });
  });

  routes.page('/bulk/:id/state', async (context) => {
    const answer = await context.api.call<BulkStatus>('GET', `/nucleus/v1/bulk/status/${encodeURIComponent(context.params.id)}`);
    if (answer.status !== 200) return html`<section id="job-state"><p class="notice error" role="alert">${problemText(answer)}</p></section>`;
    return jobState(answer.body);
  });
}
