import type { FastifyPluginAsync } from 'fastify';
import type { NucleusAccess } from '../nucleus-records.ts';
import { annuityRoutes } from './annuity.routes.ts';
import { educationRoutes } from './education.routes.ts';
import { emergencyFundRoutes } from './emergency-fund.routes.ts';
import { lifeInsuranceRoutes } from './life-insurance.routes.ts';
import { mortgageRoutes } from './mortgage.routes.ts';
import { purchaseRoutes } from './purchase.routes.ts';
import { retirementRoutes } from './retirement.routes.ts';
import { savingsRoutes } from './savings.routes.ts';

/** The financial calculators: pure math over the request, nothing stored. */
export const calculatorRoutes: FastifyPluginAsync<NucleusAccess> = async (app, nucleus) => {
  annuityRoutes(app, nucleus);
  educationRoutes(app, nucleus);
  purchaseRoutes(app, nucleus);
  mortgageRoutes(app, nucleus);
  retirementRoutes(app, nucleus);
  savingsRoutes(app, nucleus);
  lifeInsuranceRoutes(app, nucleus);
  emergencyFundRoutes(app, nucleus);
};
