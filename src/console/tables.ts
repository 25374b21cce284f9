import { consolePath, html, type Fragment, type Html } from './html.ts';

/** A page as every list operation of the APIs answers it. */
export interface ApiPage<T> {
  content: T[];
  total_elements: number;
  total_pages: number;
  number: number;
  size: number;
  first: boolean;
  last: boolean;
}

export interface Column<T> {
  label: string;
  cell: (row: T) => Fragment;
}

const SIZES = [10, 25, 50, 100];

/** page, size and filter as the console passes them to the API unchanged. */
export function listQuery(query: Record<string, string>): { page: number; size: number; filter: string } {
  const page = Number(query.page);
  const size = Number(query.size);
  return {
    page: Number.isInteger(page) && page >= 0 ? page : 0,
    size: SIZES.includes(size) ? size : 25,
    filter: query.filter ?? '',
  };
}

export function table<T>(caption: string, columns: Column<T>[], rows: T[]): Html {
  if (rows.length === 0) return html`<p>Nothing to show.</p>`;
  return html`<div class="table-wrap"><table>
<caption class="skip">${caption}</caption>
<thead><tr>${columns.map((c) => html`<th scope="col">${c.label}</th>`)}</tr></thead>
<tbody>${rows.map((row) => html`<tr>${columns.map((c) => html`<td>${c.cell(row)}</td>`)}</tr>`)}</tbody>
</table></div>`;
}

/** Links to the neighbouring pages, keeping the list's other query values. */
export function pager(segments: string[], query: Record<string, string | number | undefined>, page: ApiPage<unknown>): Html {
  const at = (n: number) => consolePath(segments, { ...query, page: n === 0 ? undefined : n });
  const shown = page.total_pages === 0 ? 0 : page.number + 1;
  return html`<nav class="pager" aria-label="Pages">
  <span>Page ${shown} of ${page.total_pages} (${page.total_elements} in all)</span>
  ${page.first ? '' : html`<a href="${at(page.number - 1)}" rel="prev">Previous page</a>`}
  ${page.last ? '' : html`<a href="${at(page.number + 1)}" rel="next">Next page</a>`}
</nav>`;
}

/** The list's filter, in the APIs' own RSQL, and its page size. */
export function filterForm(action: string, values: { filter: string; size: number }, example: string, extra: Fragment = ''): Html {
  return html`<form class="inline" method="get" action="${action}" role="search">
  ${extra}
  <div><label for="filter">Filter <span class="hint">(RSQL, e.g. <code>${example}</code>)</span></label>
    <input id="filter" name="filter" type="search" value="${values.filter}" spellcheck="false"></div>
  <div><label for="size">Per page</label>
    <select id="size" name="size">${SIZES.map((n) => html`<option value="${n}"${n === values.size ? html` selected` : ''}>${n}</option>`)}</select></div>
  <div><button type="submit">Show</button></div>
</form>`;
}

export function when(value: string | null | undefined): Fragment {
  if (!value) return '—';
  return html`<time datetime="${value}">${value.replace('T', ' ').replace(/\.\d+Z$/, ' UTC').replace(/Z$/, ' UTC')}</time>`;
}
