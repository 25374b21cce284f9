import type { FastifyPluginAsync } from 'fastify';
import type { NucleusAccess } from '../nucleus-records.ts';

/** Business analytics: financial health, invoices, customers, cash and financial statements. */
export const businessRoutes: FastifyPluginAsync<NucleusAccess> = async () => {};
