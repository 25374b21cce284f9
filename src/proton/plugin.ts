import type { FastifyPluginAsync } from 'fastify';
import type { Database } from '../platform/db/database.ts';
import { calculatorRoutes } from './calculators/routes.ts';

/** Every Proton family of operations; mounted under /proton/v1 behind bearer auth. */
export const protonRoutes: FastifyPluginAsync<{ db: Database }> = async (app, { db }) => {
  await app.register(calculatorRoutes, { db });
};
