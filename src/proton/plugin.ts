import type { FastifyPluginAsync } from 'fastify';
import type { NucleusAccess } from './nucleus-records.ts';
import { calculatorRoutes } from './calculators/routes.ts';
import { portfolioRoutes } from './portfolio/routes.ts';
import { simulationRoutes } from './simulation/routes.ts';
import { wellnessRoutes } from './wellness/routes.ts';
import { cardRoutes } from './card/routes.ts';
import { businessRoutes } from './business/routes.ts';
import { adviceRoutes } from './advice/routes.ts';

/** Every Proton family of operations; mounted under /proton/v1 behind bearer auth. */
export const protonRoutes: FastifyPluginAsync<NucleusAccess> = async (app, nucleus) => {
  await app.register(calculatorRoutes, nucleus);
  await app.register(portfolioRoutes, nucleus);
  await app.register(simulationRoutes, nucleus);
  await app.register(wellnessRoutes, nucleus);
  await app.register(cardRoutes, nucleus);
  await app.register(businessRoutes, nucleus);
  await app.register(adviceRoutes, nucleus);
};
