import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import formbody from '@fastify/formbody';
import type { Database } from '../platform/db/database.ts';
import { loadAssets } from './assets.ts';
import { ConsoleCredentials } from './console-credential.ts';
import { html } from './html.ts';
import { publicPage } from './layout.ts';
import { ConsoleRoutes, CsrfRefused, send } from './routing.ts';
import { PasswordCheck } from './password-check.ts';
import { ConsoleSessions } from './sessions.ts';
import type { ConsoleSettings } from './settings.ts';
import { signInRoutes } from './sign-in.ts';
import { overviewPages } from './pages/overview.ts';
import { credentialPages } from './pages/credentials.ts';
import { auditPages } from './pages/audit.ts';
import { apiAuditPages } from './pages/api-audit.ts';
import { userPages } from './pages/users.ts';
import { webhookPages } from './pages/webhooks.ts';
import { dataPages } from './pages/data.ts';
import { bulkPages } from './pages/bulk.ts';
import { hydroPages } from './pages/hydro.ts';

export interface ConsoleOptions {
  db: Database;
  settings: ConsoleSettings;
}

/**
 * No script or style but the console's own files, no framing (clickjacking), forms only to
 * the console itself, and pages that are never cached, as some show a secret once.
 */
const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
};

function errorPage(title: string, text: string) {
  return publicPage({ title, body: html`<p>${text}</p><p><a href="/console">Back to the console</a></p>` });
}

/**
 * The web console at /console: server-rendered pages over the management API and the other
 * APIs, called in process with the signed-in user's own token (api.ts).
 */
export const consolePlugin: FastifyPluginAsync<ConsoleOptions> = async (app, { db, settings }) => {
  await app.register(formbody);
  const assets = loadAssets();
  const sessions = new ConsoleSessions(db, settings);

  app.addHook('onSend', async (request, reply, payload) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) reply.header(name, value);
    if (!request.url.startsWith('/console/assets/')) reply.header('cache-control', 'no-store');
    return payload;
  });

  app.get('/assets/:name', { schema: { hide: true } }, async (request: FastifyRequest, reply: FastifyReply) => {
    const asset = assets.get((request.params as { name: string }).name);
    if (!asset) return send(reply, { status: 404, page: errorPage('Not found', 'There is no such file.') });
    reply.header('etag', asset.etag).header('cache-control', 'no-cache');
    if (request.headers['if-none-match'] === asset.etag) return reply.code(304).send();
    return reply.type(asset.type).send(asset.body);
  });

  const credentials = new ConsoleCredentials(db);
  signInRoutes(app, { db, sessions, credentials });
  const routes = new ConsoleRoutes(app, sessions);
  overviewPages(routes);
  credentialPages(routes);
  auditPages(routes);
  apiAuditPages(routes);
  userPages(routes);
  webhookPages(routes, new PasswordCheck(app, db, credentials));
  dataPages(routes);
  bulkPages(routes);
  hydroPages(routes);

  app.setNotFoundHandler((_request, reply) => send(reply, { status: 404, page: errorPage('Not found', 'The console has no such page.') }));
  app.setErrorHandler((error, request, reply) => {
    if (error instanceof CsrfRefused) {
      return send(reply, { status: 403, page: errorPage('Form refused', 'This form did not come from a page of this console session, so it was not acted on. Open the page again and resend it.') });
    }
    if ((error as { statusCode?: number }).statusCode === 415 || (error as { statusCode?: number }).statusCode === 400) {
      return send(reply, { status: 400, page: errorPage('Bad request', 'The console could not read this request.') });
    }
    request.log.error({ err: error }, 'console error');
    return send(reply, { status: 500, page: errorPage('Something went wrong', `The console could not show this page; it has been logged as ${request.id}.`) });
  });
};
