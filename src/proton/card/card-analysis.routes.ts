import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import type { NucleusAccess } from '../nucleus-records.ts';
import { registerOperation } from '../operation-route.ts';
import { analyseCards } from './card-analysis.ts';
import { CardAnalysisRequest, CardAnalysisResponse } from './card-analysis.schema.ts';

export function cardAnalysisRoutes(app: FastifyInstance, nucleus: NucleusAccess): void {
  registerOperation<Static<typeof CardAnalysisRequest>>(app, nucleus, {
    path: '/card_analysis',
    operationId: 'cardAnalysis',
    tag: 'Cards',
    summary: 'Card analysis: spending of a set of cards over time',
    description:
      "Sums the spending of the cards of a client, a business or a card program between two days, with a calendar history and the cards, cardholders and businesses that spent most.",
    body: CardAnalysisRequest,
    response: CardAnalysisResponse,
    solve: (body, auth) => analyseCards(nucleus, auth, body),
  });
}
