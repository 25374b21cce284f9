import type { FastifyPluginAsync } from 'fastify';
import type { NucleusAccess } from './nucleus-records.ts';
import { calculatorRoutes } from './calculators/routes.ts';

/** Every Proton family of operations; mounted under /proton/v1 behind bearer auth. */
export const protonRoutes: FastifyPluginAsync<NucleusAccess> = async (app, { db, acl }) => {
  await app.register(calculatorRoutes, { db, acl });
};
