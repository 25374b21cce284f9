import type { FastifyPluginAsync } from 'fastify';
import type { Database } from '../../platform/db/database.ts';
import { annuityRoutes } from './annuity.routes.ts';
import { educationRoutes } from './education.routes.ts';
import { emergencyFundRoutes } from './emergency-fund.routes.ts';
import { lifeInsuranceRoutes } from './life-insurance.routes.ts';
import { mortgageRoutes } from './mortgage.routes.ts';
import { purchaseRoutes } from './purchase.routes.ts';
import { retirementRoutes } from './retirement.routes.ts';
import { savingsRoutes } from './savings.routes.ts';

/** The financial calculators: pure math over the request, nothing stored. */
export const calculatorRoutes: FastifyPluginAsync<{ db: Database }> = async (app, { db }) => {
  annuityRoutes(app, db);
  educationRoutes(app, db);
  purchaseRoutes(app, db);
  mortgageRoutes(app, db);
  retirementRoutes(app, db);
  savingsRoutes(app, db);
  lifeInsuranceRoutes(app, db);
  emergencyFundRoutes(app, db);
};
