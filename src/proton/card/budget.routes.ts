import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import type { NucleusAccess } from '../nucleus-records.ts';
import { registerOperation } from '../operation-route.ts';
import { calculateBudget } from './budget.ts';
import { BudgetCalculatorRequest, BudgetCalculatorResponse } from './budget.schema.ts';

export function budgetRoutes(app: FastifyInstance, nucleus: NucleusAccess): void {
  registerOperation<Static<typeof BudgetCalculatorRequest>>(app, nucleus, {
    path: '/budget_calculator',
    operationId: 'budgetCalculator',
    tag: 'Personal Financial Management',
    summary: 'Budget calculator: budget against actual spending per category',
    description:
      "Compares a budget (a stored one, or one given in the request) with the spending recorded in each of its periods, per category and in total.",
    body: BudgetCalculatorRequest,
    response: BudgetCalculatorResponse,
    solve: (body, auth) => calculateBudget(nucleus, auth, body),
  });
}
