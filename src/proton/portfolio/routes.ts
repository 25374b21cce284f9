import type { FastifyPluginAsync } from 'fastify';
import type { NucleusAccess } from '../nucleus-records.ts';
import { mvoRoutes } from './mvo.routes.ts';
import { performanceRoutes } from './performance.routes.ts';
import { whatIfRoutes } from './what-if.routes.ts';
import { factorAnalysisRoutes } from './factor-analysis.routes.ts';
import { eventStudyRoutes } from './event-study.routes.ts';
import { backtestRoutes } from './backtest.routes.ts';
import { riskAllocationRoutes } from './risk-allocation.routes.ts';

/** Portfolio analytics: optimisation, risk scores, backtests, scenario and performance analysis. */
export const portfolioRoutes: FastifyPluginAsync<NucleusAccess> = async (app, nucleus) => {
  mvoRoutes(app, nucleus);
  performanceRoutes(app, nucleus);
  whatIfRoutes(app, nucleus);
  factorAnalysisRoutes(app, nucleus);
  eventStudyRoutes(app, nucleus);
  backtestRoutes(app, nucleus);
  riskAllocationRoutes(app, nucleus);
};
