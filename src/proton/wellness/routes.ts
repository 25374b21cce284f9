import type { FastifyPluginAsync } from 'fastify';
import type { NucleusAccess } from '../nucleus-records.ts';
import { cashFlowAnalysisRoutes } from './cash-flow-analysis.routes.ts';
import { financialPictureRoutes } from './financial-picture.routes.ts';
import { financialHealthCheckRoutes } from './financial-health-check.routes.ts';
import { feeAnalysisRoutes } from './fee-analysis.routes.ts';
import { recurringTransactionRoutes } from './recurring-transactions.routes.ts';

/** Financial wellness: health checks, cash flow, financial picture, recurring transactions and fees. */
export const wellnessRoutes: FastifyPluginAsync<NucleusAccess> = async (app, nucleus) => {
  recurringTransactionRoutes(app, nucleus);
  feeAnalysisRoutes(app, nucleus);
  cashFlowAnalysisRoutes(app, nucleus);
  financialPictureRoutes(app, nucleus);
  financialHealthCheckRoutes(app, nucleus);
};
