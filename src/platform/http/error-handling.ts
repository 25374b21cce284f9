import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorObject } from 'ajv';
import { ApiError, errorBody } from './api-error.ts';
import { errors } from './errors.ts';
import { describeAjvErrors } from './validation.ts';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

function send(reply: FastifyReply, request: FastifyRequest, error: ApiError): FastifyReply {
  const body = errorBody(error, String(request.id));
  if (error.headers) reply.headers(error.headers);
  // Not through the route's response schema: one that documents its own shape for this status
  // (an OAuth error, Hydro's 401 "not verified") would fail to serialize this one, and a 500 say
  // nothing of the refusal.
  return reply.code(error.status).type('application/json').serializer(JSON.stringify).send(body);
}

function fromValidation(error: FastifyError): ApiError {
  const part = error.validationContext === 'body' ? 'request body' : error.validationContext ?? 'request';
  return errors.invalidRequest({ part, problems: describeAjvErrors((error.validation ?? []) as ErrorObject[]) });
}

function fromFastify(error: FastifyError): ApiError | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return errors.unsupportedMediaType({});
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return errors.bodyTooLarge({});
    default:
      break;
  }
  if (error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return errors.invalidJson({ problem: error.message });
  }
  // Fastify's other refusals are 400s (an empty JSON body, a bad content-length), but for the
  // statuses its errors.js also uses, which have entries of their own.
  switch (error.statusCode) {
    case 404:
      return errors.notFound({ reason: error.message });
    case 413:
      return errors.bodyTooLarge({});
    case 414:
      return errors.uriTooLong({});
    case 415:
      return errors.unsupportedMediaType({});
    default:
      break;
  }
  if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
    return errors.badRequest({ reason: error.message });
  }
  return undefined;
}

/**
 * What Fastify's router refuses before any route or hook runs (a path parameter over the
 * 100 characters it reads, a URL it cannot decode), in the same shape as everything else.
 */
export function answerFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  reply.header('x-request-id', request.id);
  switch (error.code) {
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return send(reply, request, errors.uriTooLong({}));
    case 'FST_ERR_BAD_URL':
      return send(reply, request, errors.badUrl({}));
    default:
      request.log.error({ err: error }, 'unhandled framework error');
      return send(reply, request, errors.internalError({}));
  }
}

/**
 * Every failure leaves as one JSON shape. Also answers 405 for a known path asked with
 * another method, which Fastify's router alone reports as 404.
 */
export function registerErrorHandling(app: FastifyInstance): void {
  const patterns: { regex: RegExp; methods: Set<string> }[] = [];
  app.addHook('onRoute', (route) => {
    const url = route.url;
    const regex = new RegExp(
      '^' + url.split('/').map((s) => (s.startsWith(':') ? '[^/]+' : s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/') + '/?$',
    );
    const methods = (Array.isArray(route.method) ? route.method : [route.method]).map(String);
    const existing = patterns.find((p) => p.regex.source === regex.source);
    if (existing) methods.forEach((m) => existing.methods.add(m));
    else patterns.push({ regex, methods: new Set(methods) });
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof ApiError) return send(reply, request, error);
    if (error.validation) return send(reply, request, fromValidation(error));
    const known = fromFastify(error);
    if (known) return send(reply, request, known);
    request.log.error({ err: error }, 'unhandled error');
    return send(reply, request, errors.internalError({}));
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0];
    const allowed = new Set<string>();
    for (const p of patterns) if (p.regex.test(path)) p.methods.forEach((m) => allowed.add(m));
    const usable = METHODS.filter((m) => allowed.has(m));
    if (usable.length > 0) {
      return send(
        reply,
        request,
        errors.methodNotAllowed({
          reason: `${request.method} is not supported on ${path}; use ${usable.join(', ')}`,
          headers: { allow: usable.join(', ') },
        }),
      );
    }
    return send(reply, request, errors.notFound({ reason: `No route ${request.method} ${path}` }));
  });
}
