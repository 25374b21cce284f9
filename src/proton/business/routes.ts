import type { FastifyPluginAsync } from 'fastify';
import type { NucleusAccess } from '../nucleus-records.ts';
import { cashAnalysisRoutes } from './cash-analysis.routes.ts';
import { customerAnalysisRoutes } from './customer-analysis.routes.ts';
import { healthCheckRoutes } from './health-check.routes.ts';
import { invoiceAnalysisRoutes } from './invoice-analysis.routes.ts';
import { statementAnalysisRoutes } from './statement-analysis.routes.ts';

/** Business analytics: financial health, invoices, customers, cash and financial statements. */
export const businessRoutes: FastifyPluginAsync<NucleusAccess> = async (app, nucleus) => {
  healthCheckRoutes(app, nucleus);
  invoiceAnalysisRoutes(app, nucleus);
  customerAnalysisRoutes(app, nucleus);
  cashAnalysisRoutes(app, nucleus);
  statementAnalysisRoutes(app, nucleus);
};
