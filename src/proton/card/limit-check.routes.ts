import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import type { NucleusAccess } from '../nucleus-records.ts';
import { registerOperation } from '../operation-route.ts';
import { checkCardLimits } from './limit-check.ts';
import { CardLimitCheckRequest, CardLimitCheckResponse } from './limit-check.schema.ts';

export function limitCheckRoutes(app: FastifyInstance, nucleus: NucleusAccess): void {
  registerOperation<Static<typeof CardLimitCheckRequest>>(app, nucleus, {
    path: '/card_limit_check',
    operationId: 'cardLimitCheck',
    tag: 'Cards',
    summary: "Card limit check: what each of a cardholder's limits has left",
    description:
      "For every active spending or transaction limit that governs the client's cards, the window holding as_of_date, what has been used in it " +
      '(card transactions and approvals still held) and what remains, counted exactly as card_authorization counts them.',
    body: CardLimitCheckRequest,
    response: CardLimitCheckResponse,
    solve: (body, auth) => checkCardLimits(nucleus, auth, body),
  });
}
