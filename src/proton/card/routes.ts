import type { FastifyPluginAsync } from 'fastify';
import type { NucleusAccess } from '../nucleus-records.ts';
import { authorizationRoutes } from './authorization.routes.ts';
import { limitCheckRoutes } from './limit-check.routes.ts';
import { spendingAnalysisRoutes } from './spending-analysis.routes.ts';
import { cardAnalysisRoutes } from './card-analysis.routes.ts';
import { budgetRoutes } from './budget.routes.ts';

/** Card and spending analytics: authorization decisions, limit checks, card, spending and budget analyses. */
export const cardRoutes: FastifyPluginAsync<NucleusAccess> = async (app, nucleus) => {
  authorizationRoutes(app, nucleus);
  limitCheckRoutes(app, nucleus);
  spendingAnalysisRoutes(app, nucleus);
  cardAnalysisRoutes(app, nucleus);
  budgetRoutes(app, nucleus);
};
