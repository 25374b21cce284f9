import type { FastifyPluginAsync } from 'fastify';
import type { NucleusAccess } from '../nucleus-records.ts';

/** Advice: risk profiling, decision trees, portfolio scores and rebalancing signals. */
export const adviceRoutes: FastifyPluginAsync<NucleusAccess> = async () => {};
