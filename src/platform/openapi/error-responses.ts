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

/** What any API request can be refused with, whatever its route does. */
const REQUEST_ERRORS: readonly CatalogueEntry[] = [
  errors.invalidRequest,
  errors.unauthorized,
  errors.forbidden,
  errors.insufficientScope,
  errors.ipNotAllowed,
  errors.appNotAllowed,
  errors.rateLimitExceeded,
  errors.internalError,
];

/** What a request with a JSON body can also be refused with before its route runs. */
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
  if (response?.['4xx']?.title !== errorSchema.title) return { schema, url };
  const methods = methodsOf(route);
  const raised = [
    ...REQUEST_ERRORS,
    ...(schema.body ? BODY_ERRORS : []),
    ...(methods.some((m) => m === 'POST' || m === 'PUT' || m === 'DELETE') && route.config?.idempotency !== false ? IDEMPOTENCY_ERRORS : []),
    ...(route.config?.errors ?? []),
  ];
  // A status the route documents itself (Hydro's 401 with verified: false) keeps its own schema.
  return { schema: { ...schema, response: { ...errorResponsesFor(raised), ...response } }, url };
}
