import type { FastifyInstance } from 'fastify';
import { ApiError } from './api-error.ts';
import { findInexactNumber } from './exact-numbers.ts';

export interface JsonBodyOptions {
  /** An empty body sent as application/json reads as no body instead of a 400. */
  emptyIsNone?: boolean;
}

/**
 * The application/json parser of every route: Fastify's own (prototype poisoning refused),
 * then a refusal of any number the server could not keep as written (see exact-numbers.ts),
 * so that no API silently changes an amount. A plugin that needs another empty-body rule
 * calls this again in its own scope rather than replacing the parser.
 */
export function parseJsonBodies(app: FastifyInstance, options: JsonBodyOptions = {}): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = String(body);
    if (text === '' && options.emptyIsNone) return done(null, undefined);
    parseJson(request, text, (error, value) => {
      if (error) return done(error, undefined);
      const inexact = findInexactNumber(text);
      if (!inexact) return done(null, value);
      const { field, message } = inexact;
      done(new ApiError(400, 'invalid_request', `Invalid request body: ${field ? `${field} ` : ''}${message}`, field || undefined, [{ field, message }]), undefined);
    });
  });
}
