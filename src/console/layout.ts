import { html, type Fragment, type Html } from './html.ts';
import type { ConsoleSession } from './sessions.ts';

export interface Notice {
  kind: 'error' | 'done' | 'warning';
  text: Fragment;
}

export interface PageContent {
  title: string;
  body: Fragment;
  notice?: Notice;
}

/** The pages in the navigation, by the first path segment after /console. */
const SECTIONS: { path: string; label: string }[] = [
  { path: '', label: 'Overview' },
  { path: 'credentials', label: 'API credentials' },
  { path: 'webhooks', label: 'Webhooks' },
  { path: 'audit', label: 'Management audit' },
  { path: 'api-audit', label: 'API audit log' },
  { path: 'users', label: 'Admin users' },
  { path: 'data', label: 'Data browser' },
  { path: 'bulk', label: 'Bulk jobs' },
  { path: 'hydro', label: 'Hydro' },
];

function head(title: string): Html {
  // htmx's own indicator styles would be an inline <style> that the CSP refuses; eval stays off.
  // The empty icon keeps browsers from asking for /favicon.ico, which is not the console's.
  return html`<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="htmx-config" content='{"includeIndicatorStyles":false,"allowEval":false,"allowScriptTags":false,"historyCacheSize":0}'>
<title>${title} · Deuterium console</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/console/assets/console.css">
<script src="/console/assets/htmx.min.js" defer></script>
<script src="/console/assets/console.js" defer></script>
</head>`;
}

export function noticeOf(notice: Notice | undefined): Fragment {
  return notice && html`<div class="notice ${notice.kind}" role="${notice.kind === 'error' ? 'alert' : 'status'}">${notice.text}</div>`;
}

export function environmentBadge(environment: string): Html {
  return html`<span class="badge ${environment}" title="This tenant is a ${environment} tenant">${environment}</span>`;
}

/** A hidden field with the session's CSRF token: every form that posts carries one. */
export function csrfField(session: { csrf: string }): Html {
  return html`<input type="hidden" name="_csrf" value="${session.csrf}">`;
}

/** A page of a signed-in session: the tenant's environment is marked at the top of every one. */
export function consolePage(session: ConsoleSession, section: string, content: PageContent): Html {
  const nav = SECTIONS.map(
    (s) => html`<li><a href="/console${s.path ? `/${s.path}` : ''}"${s.path === section ? html` aria-current="page"` : ''}>${s.label}</a></li>`,
  );
  return html`<!doctype html>
<html lang="en">
${head(content.title)}
<body>
<a class="skip" href="#content">Skip to content</a>
<div class="environment-stripe ${session.environment}" aria-hidden="true"></div>
<header class="top">
  <a class="brand" href="/console">Deuterium console</a>
  ${environmentBadge(session.environment)}
  <span>Tenant <strong>${session.tenantName}</strong></span>
  <div class="who">
    <span>Signed in as <strong>${session.username}</strong></span>
    <form method="post" action="/console/sign-out">${csrfField(session)}<button class="secondary" type="submit">Sign out</button></form>
  </div>
</header>
<div class="layout">
  <nav class="side" aria-label="Console">
    <ul>${nav}<li><a href="/docs">API reference</a></li></ul>
  </nav>
  <main id="content" tabindex="-1">
    <h1>${content.title}</h1>
    ${noticeOf(content.notice)}
    ${content.body}
  </main>
</div>
</body>
</html>`;
}

/** A page before sign-in. */
export function publicPage(content: PageContent): Html {
  return html`<!doctype html>
<html lang="en">
${head(content.title)}
<body>
<main id="content" class="sign-in">
  <p><strong>Deuterium console</strong></p>
  <h1>${content.title}</h1>
  ${noticeOf(content.notice)}
  ${content.body}
</main>
</body>
</html>`;
}
