import type { FastifySchema, RouteOptions } from 'fastify';
import { errors, type CatalogueEntry } from '../http/errors.ts';
import { errorSchema } from './shared-schemas.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The errors of the catalogue the route raises beyond those any request can meet, so that
     * /openapi.json lists them under its operation. Documentation only: nothing checks a raised
     * error against it.
     */
    errors?: readonly CatalogueEntry[];
  }
}

/** What the HTTP layer refuses any request with before a route is chosen (a malformed request line or headers), or a bug. */
const HTTP_ERRORS: readonly CatalogueEntry[] = [
  errors.badRequest,
  errors.badUrl,
  errors.uriTooLong,
  errors.headersTooLarge,
  errors.requestTimeout,
  errors.methodNotAllowed,
  errors.internalError,
];

/** What any API request can be refused with, whatever its route does. */
const REQUEST_ERRORS: readonly CatalogueEntry[] = [
  ...HTTP_ERRORS,
  errors.invalidRequest,
  errors.unauthorized,
  errors.forbidden,
  errors.insufficientScope,
  errors.ipNotAllowed,
  errors.appNotAllowed,
  errors.rateLimitExceeded,
];

/** What a request that may carry a body can also be refused with before its route runs, whether or not the route reads one. */
const BODY_ERRORS: readonly CatalogueEntry[] = [errors.invalidJson, errors.bodyTooLarge, errors.unsupportedMediaType];

/** What an Idempotency-Key on a write can be refused with (idempotency.ts). */
const IDEMPOTENCY_ERRORS: readonly CatalogueEntry[] = [errors.invalidIdempotencyKey, errors.idempotencyKeyReused, errors.idempotencyRequestInProgress];

/** One response per status, its code and type narrowed to the entries that answer with it. */
export function errorResponsesFor(raised: readonly CatalogueEntry[]): Record<string, object> {
  const byStatus = new Map<number, Map<string, CatalogueEntry>>();
  for (const entry of raised) {
    const codes = byStatus.get(entry.status) ?? new Map<string, CatalogueEntry>();
    byStatus.set(entry.status, codes.set(entry.code, entry));
  }
  return Object.fromEntries(
    [...byStatus.entries()]
      .sort(([a], [b]) => a - b)
      .map(([status, byCode]) => {
        const entries = [...byCode.values()];
        return [
          String(status),
          {
            ...errorSchema,
            description: entries.map((entry) => entry.code).join(', '),
            properties: {
              ...errorSchema.properties,
              code: { ...errorSchema.properties.code, enum: entries.map((entry) => entry.code) },
              type: { ...errorSchema.properties.type, enum: [...new Set(entries.map((entry) => entry.type))] },
            },
          },
        ];
      }),
  );
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

type Properties = { properties?: Record<string, unknown> } | undefined;

const propertiesOf = (part: unknown): string[] => Object.keys((part as Properties)?.properties ?? {});

/** Whether a body schema has a field naming records by id (client_id, answers[].answer_id, account_ids), at any depth. */
function namesIds(part: unknown): boolean {
  const schema = part as (Properties & { items?: unknown }) | undefined;
  if (!schema) return false;
  return Object.entries(schema.properties ?? {}).some(([name, property]) => /_ids?$/.test(name) || namesIds(property)) || namesIds(schema.items);
}

/**
 * What a route's input can be refused with, from its schema: a value read leniently or a page
 * out of bounds (invalid_field), a filter (invalid_filter), and a record named by the path or by
 * an id in the body that the caller has none of (not_found).
 */
function inputErrors(schema: FastifySchema): CatalogueEntry[] {
  const found: CatalogueEntry[] = [];
  if (schema.body || schema.querystring) found.push(errors.invalidField);
  if (propertiesOf(schema.querystring).includes('filter')) found.push(errors.invalidFilter);
  if (propertiesOf(schema.params).length > 0 || namesIds(schema.body)) found.push(errors.notFound);
  return found;
}

function methodsOf(route: RouteOptions): string[] {
  return (Array.isArray(route.method) ? route.method : [route.method]).map(String);
}

/**
 * @fastify/swagger's transform: an operation answering in the one error shape (its response
 * schema has the generic 4xx of errorResponses) lists, by status, the codes it can answer with.
 * Done in the document rather than in the route's response schema, where each status would
 * cost a serializer that the error handler, sending every error itself, never uses.
 */
export function documentErrors({ schema, url, route }: { schema: FastifySchema; url: string; route: RouteOptions }): { schema: FastifySchema; url: string } {
  const response = schema?.response as Record<string, { title?: string }> | undefined;
  // A route with no error answers of its own (/health) can still meet the HTTP layer's; one with
  // an error shape of its own (OAuth's, at the token endpoints) documents its errors itself.
  if (response && !response['4xx']) return { schema: { ...schema, response: { ...errorResponsesFor(HTTP_ERRORS), ...response } }, url };
  if (response?.['4xx']?.title !== errorSchema.title) return { schema, url };
  const methods = methodsOf(route);
  const raised = [
    ...REQUEST_ERRORS,
    ...(methods.some((m) => BODY_METHODS.has(m)) ? BODY_ERRORS : []),
    ...inputErrors(schema),
    ...(methods.some((m) => m === 'POST' || m === 'PUT' || m === 'DELETE') && route.config?.idempotency !== false ? IDEMPOTENCY_ERRORS : []),
    ...(route.config?.errors ?? []),
  ];
  // A status the route documents itself (Hydro's 401 with verified: false) keeps its own schema.
  return { schema: { ...schema, response: { ...errorResponsesFor(raised), ...response } }, url };
}
