import type { FastifyPluginAsync } from 'fastify';
import type { Database } from '../db/database.ts';

const statusSchema = {
  type: 'object',
  properties: { status: { type: 'string' } },
  required: ['status'],
} as const;

/** Liveness and readiness for orchestrators; neither needs a token. */
export const healthRoutes: FastifyPluginAsync<{ db: Database }> = async (app, { db }) => {
  app.get('/health', { schema: { tags: ['Operations'], summary: 'Process is up', response: { 200: statusSchema } } }, async () => ({
    status: 'ok',
  }));
  app.get(
    '/ready',
    { schema: { tags: ['Operations'], summary: 'Database is reachable', response: { 200: statusSchema, 503: statusSchema } } },
    async (request, reply) => {
      try {
        await db.query('SELECT 1');
        return { status: 'ready' };
      } catch (error) {
        request.log.warn({ err: error }, 'readiness check failed');
        return reply.code(503).send({ status: 'database unreachable' });
      }
    },
  );
};
