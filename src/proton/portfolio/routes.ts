import type { FastifyPluginAsync } from 'fastify';
import type { NucleusAccess } from '../nucleus-records.ts';

/** Portfolio analytics: optimisation, risk scores, backtests, scenario and performance analysis. */
export const portfolioRoutes: FastifyPluginAsync<NucleusAccess> = async () => {};
