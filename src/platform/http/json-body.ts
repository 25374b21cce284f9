import type { FastifyInstance } from 'fastify';
import { ApiError } from './api-error.ts';
import { errors } from './errors.ts';
import { fieldAt, findInexactNumber } from './exact-numbers.ts';
import { MAX_NESTING, tooDeepAt } from './nesting-depth.ts';
import { findNul } from './nul-characters.ts';

/**
 * The application/json parser of every route: Fastify's own (prototype poisoning refused),
 * then a refusal of any number the server could not keep as written (see exact-numbers.ts),
 * so that no API silently changes an amount, and of any NUL character, which PostgreSQL can
 * keep in neither text nor jsonb; a body nesting deeper than MAX_NESTING is refused before it
 * is parsed. An empty body is no body, whatever its content type says:
 * Hydrogen's generated clients send `Content-Type: application/json` on every request, also on
 * a DELETE or GET that carries none.
 */
export function parseJsonBodies(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    const deep = tooDeepAt(text);
    if (deep !== -1) {
      const message = `nests arrays and objects deeper than ${MAX_NESTING} levels`;
      return done(errors.invalidRequest({ part: 'request body', problems: [{ field: fieldAt(text, deep), message }] }), undefined);
    }
    parseJson(request, text, (error, value) => {
      if (error) return done(error, undefined);
      const inexact = findInexactNumber(text);
      if (inexact) return done(errors.invalidRequest({ part: 'request body', problems: [inexact] }), undefined);
      // JSON can carry a NUL only escaped, so a text without the escape holds none.
      const nul = text.includes('\\u0000') ? findNul(value) : undefined;
      if (nul !== undefined) return done(nulError('request body', nul), undefined);
      done(null, value);
    });
  });
}

export function nulError(part: string, field: string): ApiError {
  return errors.invalidRequest({ part, problems: [{ field, message: 'must not contain the NUL character (\\u0000)' }] });
}
