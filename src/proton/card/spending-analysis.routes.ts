import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import type { NucleusAccess } from '../nucleus-records.ts';
import { registerOperation } from '../operation-route.ts';
import { analyseSpending } from './spending-analysis.ts';
import { SpendingAnalysisRequest, SpendingAnalysisResponse } from './spending-analysis.schema.ts';

export function spendingAnalysisRoutes(app: FastifyInstance, nucleus: NucleusAccess): void {
  registerOperation<Static<typeof SpendingAnalysisRequest>>(app, nucleus, {
    path: '/spending_analysis',
    operationId: 'spendingAnalysis',
    tag: 'Personal Financial Management',
    summary: 'Spending analysis: spending by period, merchant and category',
    description:
      'Sums the spending of the named clients, households, businesses, accounts, cards and aggregation accounts over calendar periods ' +
      '(the current one and lookback_periods before it, or those from start_date on), optionally per period, merchant and transaction category.',
    body: SpendingAnalysisRequest,
    response: SpendingAnalysisResponse,
    solve: (body, auth) => analyseSpending(nucleus, auth, body),
  });
}
