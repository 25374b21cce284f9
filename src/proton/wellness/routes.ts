import type { FastifyPluginAsync } from 'fastify';
import type { NucleusAccess } from '../nucleus-records.ts';

/** Financial wellness: health checks, cash flow, financial picture, recurring transactions and fees. */
export const wellnessRoutes: FastifyPluginAsync<NucleusAccess> = async () => {};
