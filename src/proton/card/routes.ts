import type { FastifyPluginAsync } from 'fastify';
import type { NucleusAccess } from '../nucleus-records.ts';

/** Card and spending analytics: authorization decisions, limit checks, card, spending and budget analyses. */
export const cardRoutes: FastifyPluginAsync<NucleusAccess> = async () => {};
