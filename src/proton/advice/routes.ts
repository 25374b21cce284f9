import type { FastifyPluginAsync } from 'fastify';
import type { NucleusAccess } from '../nucleus-records.ts';
import { riskScoreRoutes } from './risk-score.routes.ts';
import { decisionTreeRoutes } from './decision-tree.routes.ts';
import { orderRebalanceRoutes } from './order-rebalance.routes.ts';
import { rebalancingSignalRoutes } from './rebalancing-signal.routes.ts';
import { portfolioScoreRoutes } from './portfolio-scores.routes.ts';

/** Advice: risk profiling, decision trees, portfolio scores and rebalancing signals. */
export const adviceRoutes: FastifyPluginAsync<NucleusAccess> = async (app, nucleus) => {
  riskScoreRoutes(app, nucleus);
  decisionTreeRoutes(app, nucleus);
  orderRebalanceRoutes(app, nucleus);
  rebalancingSignalRoutes(app, nucleus);
  portfolioScoreRoutes(app, nucleus);
};
