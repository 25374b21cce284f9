import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import type { NucleusAccess } from '../nucleus-records.ts';
import { registerOperation } from '../operation-route.ts';
import { authorizeCardTransaction } from './authorization.ts';
import { timeCardAuthorization } from '../../platform/metrics/process-metrics.ts';
import { CardAuthorizationRequest, CardAuthorizationResponse } from './authorization.schema.ts';

export function authorizationRoutes(app: FastifyInstance, nucleus: NucleusAccess): void {
  registerOperation<Static<typeof CardAuthorizationRequest>>(app, nucleus, {
    path: '/card_authorization',
    operationId: 'cardTransactionAuthorization',
    tag: 'Cards',
    summary: 'Card authorization: approve or decline one transaction',
    description:
      "Decides on one card transaction from the spending controls that govern the card's client (its own, its groups' and the program-wide ones): " +
      'deny and allow lists, transaction counts and amount limits per transaction, day, week, month, quarter or year. ' +
      'An approval holds its amount against the limits until the card transaction is recorded, and decisions on one client are taken one at a time.',
    body: CardAuthorizationRequest,
    response: CardAuthorizationResponse,
    solve: (body, auth, requestId) => timeCardAuthorization(() => authorizeCardTransaction(nucleus, auth, body, requestId)),
  });
}
