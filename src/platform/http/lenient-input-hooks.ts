import type { FastifyInstance, preHandlerHookHandler } from 'fastify';
import { findNul } from './nul-characters.ts';
import { nulError } from './json-body.ts';
import { ignoredFieldsOf } from './validation.ts';

/** At most this many ignored fields, each cut to so many characters, are named in the header, so a body of typos cannot make it huge. */
const MAX_NAMED = 50;
const MAX_NAME_LENGTH = 100;

/** A field name as header text can carry it: printable ASCII, anything else as "?". */
function headerSafe(field: string): string {
  const cut = field.length > MAX_NAME_LENGTH ? `${field.slice(0, MAX_NAME_LENGTH)}...` : field;
  return cut.replace(/[^\x20-\x7e]/g, '?');
}

/**
 * The request-wide parts of reading input leniently (lenient-input.ts): query strings and path
 * parameters are checked for NUL characters before any route reads them, and a body's unknown
 * fields, ignored as Hydrogen's server ignored them, are named in the `Deuterium-Ignored-Fields`
 * response header and a debug log line, so a misspelt field is still visible.
 */
export function lenientInputHooks(app: FastifyInstance): void {
  // Callback hooks rather than async ones: they run on every request, and a promise each costs.
  app.addHook('preValidation', (request, _reply, done) => {
    // Node refuses a raw NUL in a request line, so a URL without "%00" carries none.
    if (!request.url.includes('%00')) return done();
    for (const [part, label] of [[request.query, 'querystring'], [request.params, 'params']] as const) {
      const field = findNul(part);
      if (field !== undefined) return done(nulError(label, field));
    }
    done();
  });
  const nameIgnored: preHandlerHookHandler = (request, reply, done) => {
    const ignored = ignoredFieldsOf(request.body);
    if (ignored.length > 0) {
      const named = ignored.slice(0, MAX_NAMED).map(headerSafe);
      if (ignored.length > MAX_NAMED) named.push(`and ${ignored.length - MAX_NAMED} more`);
      reply.header('deuterium-ignored-fields', named.join(', '));
      request.log.debug({ ignoredFields: ignored }, 'unknown request body fields ignored');
    }
    done();
  };
  // Only a body its route's schema read has ignored fields; a route left without preHandler
  // hooks (most reads) skips that stage of the request altogether.
  app.addHook('onRoute', (route) => {
    if (route.schema?.body) route.preHandler = [...[route.preHandler ?? []].flat(), nameIgnored];
  });
}
