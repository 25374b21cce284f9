import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';

/**
 * A Fastify instance whose routes' TypeBox schemas type their requests: a handler reads
 * `request.body`, `params` and `query` as the schema declares them, which validation has
 * already made true, instead of casting them.
 */
export type TypedRoutes = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>;

export function typedRoutes(app: FastifyInstance): TypedRoutes {
  return app.withTypeProvider<TypeBoxTypeProvider>();
}
