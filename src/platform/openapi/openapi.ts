import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { documentErrors } from './error-responses.ts';

/** Deuterium's own OpenAPI 3.1 document, built from the route schemas, and its reader at /docs. */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Deuterium',
        version: '0.1.0',
        description:
          'Open implementation of the Hydrogen Atom APIs. Authenticate at POST /authorization/v1/oauth/token, ' +
          'then send "Authorization: Bearer <access_token>". Errors share one JSON shape: status, code, type, message, field, errors, request_id; ' +
          'each operation lists the codes it can answer with under each status.',
      },
      components: {
        securitySchemes: {
          oauth2: {
            type: 'oauth2',
            flows: {
              clientCredentials: { tokenUrl: '/authorization/v1/oauth/token', scopes: {} },
              password: { tokenUrl: '/authorization/v1/oauth/token', scopes: {} },
            },
          },
        },
      },
      security: [{ oauth2: [] }],
    },
    transform: documentErrors,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
