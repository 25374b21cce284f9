import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ConsoleApi, TokenRejected } from './api.ts';
import { readCookie, clearCookie, SESSION_COOKIE } from './cookies.ts';
import type { Html } from './html.ts';
import { sameToken } from './sealing.ts';
import type { ConsoleSession, ConsoleSessions } from './sessions.ts';

/** A submitted form's fields: a repeated name (checkboxes) gives several values. */
export class FormFields {
  constructor(private readonly body: Record<string, string | string[] | undefined>) {}

  text(name: string): string {
    const value = this.body[name];
    return (Array.isArray(value) ? value[0] : value ?? '').trim();
  }

  all(name: string): string[] {
    const value = this.body[name];
    return (Array.isArray(value) ? value : value === undefined ? [] : [value]).map((v) => v.trim()).filter(Boolean);
  }

  has(name: string): boolean {
    return this.body[name] !== undefined;
  }
}

export interface PageContext {
  session: ConsoleSession;
  api: ConsoleApi;
  request: FastifyRequest;
  reply: FastifyReply;
  /** The query string's values, as text. */
  query: Record<string, string>;
  params: Record<string, string>;
  form: FormFields;
}

/** What a handler answers: a page, or where to go next (post, redirect, get). */
export type Outcome = Html | { redirect: string } | { status: number; page: Html };

export function redirect(to: string): Outcome {
  return { redirect: to };
}

const HIDDEN = { hide: true };

function textQuery(request: FastifyRequest): Record<string, string> {
  const query = (request.query ?? {}) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(query).map(([k, v]) => [k, Array.isArray(v) ? String(v[0]) : String(v ?? '')]));
}

/** Whether a post came from a page of this console: the browser's Origin, when it sends one, must be this server. */
function sameOrigin(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  return origin === undefined || origin === `${request.protocol}://${request.host}`;
}

export class CsrfRefused extends Error {}

/**
 * Registers the console's pages: each needs a signed-in session, and each post must carry the
 * session's CSRF token and come from the console's own origin. A token the API no longer
 * accepts ends the session.
 */
export class ConsoleRoutes {
  constructor(
    private readonly app: FastifyInstance,
    private readonly sessions: ConsoleSessions,
  ) {}

  page(path: string, handler: (context: PageContext) => Promise<Outcome>): void {
    this.app.get(path, { schema: HIDDEN }, (request, reply) => this.serve(request, reply, handler, false));
  }

  action(path: string, handler: (context: PageContext) => Promise<Outcome>): void {
    this.app.post(path, { schema: HIDDEN }, (request, reply) => this.serve(request, reply, handler, true));
  }

  private async serve(request: FastifyRequest, reply: FastifyReply, handler: (context: PageContext) => Promise<Outcome>, posted: boolean) {
    const cookie = readCookie(request, SESSION_COOKIE);
    const session = await this.sessions.find(cookie);
    if (!session || session.stage !== 'signed_in') {
      if (cookie) clearCookie(request, reply, SESSION_COOKIE);
      return send(reply, redirect(cookie ? '/console/sign-in?ended=1' : '/console/sign-in'));
    }
    const form = new FormFields((posted ? request.body : {}) as Record<string, string | string[]>);
    if (posted && (!sameOrigin(request) || !sameToken(form.text('_csrf'), session.csrf))) throw new CsrfRefused();
    const context: PageContext = {
      session,
      api: ConsoleApi.asUser(this.app, request, session.token),
      request,
      reply,
      query: textQuery(request),
      params: (request.params ?? {}) as Record<string, string>,
      form,
    };
    try {
      return send(reply, await handler(context));
    } catch (error) {
      if (!(error instanceof TokenRejected)) throw error;
      await this.sessions.end(session.cookie);
      clearCookie(request, reply, SESSION_COOKIE);
      return send(reply, redirect('/console/sign-in?ended=1'));
    }
  }
}

export function send(reply: FastifyReply, outcome: Outcome) {
  if ('redirect' in outcome) {
    // htmx follows a redirect itself and would swap the page it lands on into a fragment.
    if (reply.request.headers['hx-request']) return reply.header('hx-redirect', outcome.redirect).code(204).send();
    return reply.code(303).header('location', outcome.redirect).send();
  }
  const page = 'page' in outcome ? outcome.page : outcome;
  if ('status' in outcome) reply.code(outcome.status);
  return reply.type('text/html; charset=utf-8').send(page.text);
}
