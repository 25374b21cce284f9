import type { FastifyPluginAsync } from 'fastify';
import type { NucleusAccess } from '../nucleus-records.ts';
import { monteCarloRoutes } from './monte-carlo.routes.ts';
import { goalRoutes } from './goal.routes.ts';
import { goalAllocationRoutes } from './goal-allocation.routes.ts';
import { variableAnnuityRoutes } from './variable-annuity.routes.ts';

/** Simulations and goal planning: Monte Carlo, goal accumulation and decumulation, variable annuities. */
export const simulationRoutes: FastifyPluginAsync<NucleusAccess> = async (app, nucleus) => {
  monteCarloRoutes(app, nucleus);
  goalRoutes(app, nucleus);
  goalAllocationRoutes(app, nucleus);
  variableAnnuityRoutes(app, nucleus);
};
