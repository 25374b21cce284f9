import { EntityReader } from '../platform/read/entity-reader.ts';
import type { TypedRoutes } from '../platform/http/typed-routes.ts';
import { errors } from '../platform/http/errors.ts';
import { errorResponses } from '../platform/openapi/shared-schemas.ts';
import type { Electron } from './context.ts';
import { driveFunding } from './funding-movement.ts';
import type { MovementRow } from './movements.ts';
import { AchCardRequest, AchCardResponse } from './schemas.ts';

function statusOf(row: MovementRow): string {
  return row.state === 'recorded' ? (row.outcome ?? 'completed') : 'pending';
}

export function achRoutes(app: TypedRoutes, electron: Electron): void {
  app.post('/ach/card', {
    config: { errors: [errors.notFound, errors.invalidField, errors.cardNotIssued, errors.fundingAlreadyUsed, errors.fundingInProgress, errors.invalidCardState, errors.unknownTransfer, errors.processorUnavailable] },
    schema: {
      tags: ['Electron'],
      summary: 'Fund a card by ACH from a bank link',
      description:
        'The funding (is_deposit true) names the bank link, the card and the amount. Answers at once with status pending; the ' +
        'funding becomes pending too. When the transfer settles, Electron credits the card, records a card transaction and marks ' +
        'the funding completed (or returned, when the card was closed meanwhile). Asked again, it answers the current status.',
      operationId: 'fundCardUsingPost',
      body: AchCardRequest,
      response: { 200: AchCardResponse, ...errorResponses },
    },
    handler: async (request) => {
      const body = request.body;
      const { row } = await driveFunding(electron, request, 'ach', body.nucleus_funding_id, async (funding) => {
        const bank = await EntityReader.asCaller(electron.nucleus, request.auth).get('bank_link', String(funding.bank_link_id));
        // Only what an ACH debit needs to be traced; the full account number stays in Nucleus.
        const number = String(bank.bank_account_number);
        return { bank_account: { routing: String(bank.routing), accountLastFour: number.slice(-4), holder: String(bank.bank_account_holder) } };
      });
      const status = statusOf(row);
      return {
        nucleus_funding_id: body.nucleus_funding_id,
        status,
        message: status === 'pending' ? `ACH transfer to card ${row.nucleus_card_id} is pending settlement` : `ACH transfer to card ${row.nucleus_card_id} ${status}`,
        vendor_name: row.processor,
        vendor_response: row.vendor_response ?? {},
      };
    },
  });
}
