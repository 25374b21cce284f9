import type { FastifyPluginAsync } from 'fastify';
import type { NucleusAccess } from '../nucleus-records.ts';

/** Simulations and goal planning: Monte Carlo, goal accumulation and decumulation, variable annuities. */
export const simulationRoutes: FastifyPluginAsync<NucleusAccess> = async () => {};
