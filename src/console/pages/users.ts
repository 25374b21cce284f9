import { AUTHORITIES } from '../../platform/auth/authorities.ts';
import { problemText, type ApiAnswer } from '../api.ts';
import { consolePath, html, type Html } from '../html.ts';
import { consolePage, csrfField, type Notice } from '../layout.ts';
import { redirect, type ConsoleRoutes, type FormFields, type PageContext } from '../routing.ts';
import { filterForm, listQuery, pager, table, when, type ApiPage } from '../tables.ts';

interface AdminUser {
  id: number;
  username: string;
  /** Comma-separated, as Hydrogen's AdminClient carries them. */
  authorities: string;
  is_enabled: boolean;
  is_2fa: boolean;
  is_2fa_verified: boolean;
  is_account_non_locked: boolean;
  create_date: string;
  update_date: string;
}

const DONE: Record<string, string> = {
  created: 'The admin user was created.',
  updated: 'The admin user was saved.',
  mfa_reset: 'The user’s second factors were removed; it sets up a new one at its next sign-in.',
  deleted: 'The admin user was deleted.',
};

function rolesOf(user: AdminUser): string[] {
  return user.authorities.split(',').filter(Boolean);
}

function twoFactor(user: AdminUser): string {
  if (!user.is_2fa) return user.is_2fa_verified ? 'set up, not required' : 'not required';
  return user.is_2fa_verified ? 'required, set up' : 'required, not set up yet';
}

function authorityBoxes(chosen: string[]): Html {
  return html`<fieldset><legend>Authorities</legend>${AUTHORITIES.map(
    (role) => html`<label><input type="checkbox" name="authorities" value="${role}"${chosen.includes(role) ? html` checked` : ''}> ${role}</label>`,
  )}</fieldset>`;
}

function box(name: string, label: string, checked: boolean): Html {
  return html`<div><label><input type="checkbox" name="${name}" value="true"${checked ? html` checked` : ''}> ${label}</label></div>`;
}

function errorOf(answer: ApiAnswer): Notice {
  return { kind: 'error', text: problemText(answer) };
}

function apiPath(id: string, ...rest: string[]): string {
  return ['/admin/v1/client', encodeURIComponent(id), ...rest].join('/');
}

interface NewValues {
  username: string;
  authorities: string[];
  is_2fa: boolean;
}

function newForm(context: PageContext, values: NewValues, notice?: Notice): Html {
  return consolePage(context.session, 'users', {
    title: 'New admin user',
    notice,
    body: html`<form class="stacked" method="post" action="/console/users">${csrfField(context.session)}
<div><label for="username">Username</label><input id="username" name="username" type="text" required autocomplete="off" value="${values.username}"></div>
<div><label for="password">Password</label><input id="password" name="password" type="password" required autocomplete="new-password"></div>
${authorityBoxes(values.authorities)}
${box('is_2fa', 'Require a second factor at sign-in', values.is_2fa)}
<div><button type="submit">Create the admin user</button></div>
</form>`,
  });
}

function detailPage(context: PageContext, user: AdminUser, notice?: Notice): Html {
  const csrf = csrfField(context.session);
  const id = String(user.id);
  return consolePage(context.session, 'users', {
    title: `Admin user ${user.username}`,
    notice,
    body: html`<dl class="fields">
  <dt>Id</dt><dd>${user.id}</dd>
  <dt>Authorities</dt><dd>${rolesOf(user).join(', ')}</dd>
  <dt>Second factor</dt><dd>${twoFactor(user)}</dd>
  <dt>Signs in</dt><dd>${user.is_enabled && user.is_account_non_locked ? 'yes' : 'no (disabled or locked)'}</dd>
  <dt>Created</dt><dd>${when(user.create_date)}</dd>
</dl>
<p><a href="${consolePath(['audit'], { admin_user_id: id })}">What was done to this user</a></p>
<h2>Edit</h2>
<form class="stacked" method="post" action="${consolePath(['users', id])}">${csrf}
${authorityBoxes(rolesOf(user))}
${box('is_2fa', 'Require a second factor at sign-in', user.is_2fa)}
${box('is_enabled', 'May sign in', user.is_enabled)}
<div><label for="password">New password <span class="hint">(empty keeps the current one; a new one ends the user's sessions)</span></label>
  <input id="password" name="password" type="password" autocomplete="new-password"></div>
<div><button type="submit">Save</button></div>
</form>
<h2>Reset the second factor</h2>
<p>For a user who lost its phone or key: removes its authenticator, HydroID and recovery codes, and ends its sessions.</p>
<form method="post" action="${consolePath(['users', id, 'reset-mfa'])}" data-confirm="Remove this user's second factors?">${csrf}<button class="danger" type="submit">Reset the second factor</button></form>
<h2>Delete</h2>
<form method="post" action="${consolePath(['users', id, 'delete'])}" data-confirm="Delete this admin user?">${csrf}<button class="danger" type="submit">Delete the admin user</button></form>`,
  });
}

function changesOf(form: FormFields): Record<string, unknown> {
  const password = form.text('password');
  return {
    authorities: form.all('authorities').join(','),
    is_2fa: form.has('is_2fa'),
    is_enabled: form.has('is_enabled'),
    ...(password ? { password } : {}),
  };
}

/** Admin users over /admin/v1/client and DELETE /admin/v1/client/{id}/mfa. */
export function userPages(routes: ConsoleRoutes): void {
  routes.page('/users', async ({ session, api, query }) => {
    const { page, size, filter } = listQuery(query);
    const answer = await api.call<ApiPage<AdminUser>>('GET', '/admin/v1/client', { query: { page, size, filter } });
    const done = DONE[query.done];
    return consolePage(session, 'users', {
      title: 'Admin users',
      notice: answer.status !== 200 ? errorOf(answer) : done ? { kind: 'done', text: done } : undefined,
      body: html`<p class="actions"><a class="button" href="/console/users/new">New admin user</a></p>
${filterForm('/console/users', { filter, size }, 'is_2fa==true')}
${answer.status === 200 && html`${table<AdminUser>('Admin users', [
  { label: 'Username', cell: (u) => html`<a href="${consolePath(['users', String(u.id)])}">${u.username}</a>` },
  { label: 'Authorities', cell: (u) => rolesOf(u).join(', ') },
  { label: 'Second factor', cell: twoFactor },
  { label: 'Signs in', cell: (u) => (u.is_enabled && u.is_account_non_locked ? 'yes' : 'no') },
  { label: 'Created', cell: (u) => when(u.create_date) },
], answer.body.content)}
${pager(['users'], { size, filter }, answer.body)}`}`,
    });
  });

  routes.page('/users/new', async (context) => newForm(context, { username: '', authorities: [], is_2fa: false }));

  routes.action('/users', async (context) => {
    const values = { username: context.form.text('username'), authorities: context.form.all('authorities'), is_2fa: context.form.has('is_2fa') };
    const answer = await context.api.call<AdminUser>('POST', '/admin/v1/client', {
      body: { username: values.username, password: context.form.text('password'), authorities: values.authorities.join(','), is_2fa: values.is_2fa },
    });
    if (answer.status !== 201) return { status: 400, page: newForm(context, values, errorOf(answer)) };
    return redirect(`${consolePath(['users', String(answer.body.id)])}?done=created`);
  });

  async function withUser(context: PageContext, notice: (user: AdminUser) => Notice | undefined) {
    const answer = await context.api.call<AdminUser>('GET', apiPath(context.params.id));
    if (answer.status !== 200) return { status: answer.status, page: consolePage(context.session, 'users', { title: 'Admin user', notice: errorOf(answer), body: '' }) };
    return detailPage(context, answer.body, notice(answer.body));
  }

  routes.page('/users/:id', async (context) => {
    const done = DONE[context.query.done];
    return withUser(context, () => (done ? { kind: 'done', text: done } : undefined));
  });

  routes.action('/users/:id', async (context) => {
    const answer = await context.api.call('PUT', apiPath(context.params.id), { body: changesOf(context.form) });
    if (answer.status === 200) return redirect(`${consolePath(['users', context.params.id])}?done=updated`);
    return withUser(context, () => errorOf(answer));
  });

  routes.action('/users/:id/reset-mfa', async (context) => {
    const answer = await context.api.call('DELETE', apiPath(context.params.id, 'mfa'));
    if (answer.status < 300) return redirect(`${consolePath(['users', context.params.id])}?done=mfa_reset`);
    return withUser(context, () => errorOf(answer));
  });

  routes.action('/users/:id/delete', async (context) => {
    const answer = await context.api.call('DELETE', apiPath(context.params.id));
    if (answer.status === 204) return redirect('/console/users?done=deleted');
    return withUser(context, () => errorOf(answer));
  });
}
