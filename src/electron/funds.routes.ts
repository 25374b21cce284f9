import type { TypedRoutes } from '../platform/http/typed-routes.ts';
import { errors } from '../platform/http/errors.ts';
import { errorResponses } from '../platform/openapi/shared-schemas.ts';
import type { Electron } from './context.ts';
import { driveFunding } from './funding-movement.ts';
import { fromMinor } from './money.ts';
import { CardFundsRequest, CardFundsResponse } from './schemas.ts';

const OPERATIONS = [
  {
    kind: 'load',
    operationId: 'createCardLoadUsingPost',
    summary: "Load a card from the program's reserve",
    description: 'The funding (is_deposit true) names the card and the amount.',
    done: 'loaded onto',
  },
  {
    kind: 'unload',
    operationId: 'createCardUnloadUsingPost',
    summary: "Unload a card back to the program's reserve",
    description: 'The funding (is_deposit false) names the card and the amount; a card is never left below zero (409).',
    done: 'unloaded from',
  },
] as const;

export function fundsRoutes(app: TypedRoutes, electron: Electron): void {
  for (const { kind, operationId, summary, description, done } of OPERATIONS) {
    app.post(`/card/${kind}`, {
      config: { errors: [errors.notFound, errors.invalidField, errors.cardNotIssued, errors.fundingAlreadyUsed, errors.fundingInProgress, errors.invalidCardState, errors.insufficientFunds, errors.reserveInsufficient, errors.unknownCard, errors.processorUnavailable] },
      schema: {
        tags: ['Electron'],
        summary,
        description: `${description} Once per funding: asked again, it answers the same movement without moving money again. The funding becomes completed and a card transaction is recorded on the card's portfolio.`,
        operationId,
        body: CardFundsRequest,
        response: { 200: CardFundsResponse, ...errorResponses },
      },
      handler: async (request) => {
        const body = request.body;
        const { link, row } = await driveFunding(electron, request, kind, body.nucleus_funding_id, async () => (body.reason ? { reason: body.reason } : {}));
        const amount = fromMinor(row.amount_minor);
        return {
          amount,
          card_status: link.state,
          nucleus_card_id: row.nucleus_card_id,
          nucleus_funding_id: body.nucleus_funding_id,
          message: `${amount} ${row.currency_code} ${done} card ${row.nucleus_card_id}`,
          vendor_name: row.processor,
          vendor_response: row.vendor_response ?? {},
        };
      },
    });
  }
}
