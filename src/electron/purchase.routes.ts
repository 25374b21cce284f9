import { EntityReader } from '../platform/read/entity-reader.ts';
import type { TypedRoutes } from '../platform/http/typed-routes.ts';
import { Type } from 'typebox';
import { errors } from '../platform/http/errors.ts';
import { errorResponses } from '../platform/openapi/shared-schemas.ts';
import { requesterOf, requireProgramRole } from './access.ts';
import { atProcessor, type Electron } from './context.ts';
import { fromMinor, MAX_AMOUNT, PROGRAM_CURRENCY, toMinor } from './money.ts';

const PurchaseRequest = Type.Object(
  {
    nucleus_card_id: Type.String({ format: 'uuid', description: 'The card used' }),
    amount: Type.Number({ exclusiveMinimum: 0, maximum: MAX_AMOUNT, description: 'The amount, at most two decimals' }),
    currency_code: Type.Optional(Type.String({ description: `The program's currency (${PROGRAM_CURRENCY}), the default` })),
    transaction_type: Type.Optional(Type.Union([Type.Literal('purchase'), Type.Literal('atm_withdrawal'), Type.Literal('other')], { default: 'purchase' })),
    merchant: Type.Optional(Type.String({ description: "The merchant's name" })),
    merchant_id: Type.Optional(Type.String({ format: 'uuid', description: 'The Nucleus merchant' })),
    merchant_category_code: Type.Optional(Type.String({ description: 'The MCC, e.g. "5411"' })),
    mid: Type.Optional(Type.String({ description: "The merchant's acquirer id" })),
    transaction_category: Type.Optional(Type.String({ description: 'Matched by transaction_category spending controls' })),
    transaction_category_id: Type.Optional(Type.String({ format: 'uuid', description: 'Matched by transaction_category spending controls, and copied to the card transaction' })),
  },
  { additionalProperties: false, title: 'SandboxPurchaseRequest' },
);

const PurchaseResponse = Type.Object(
  {
    nucleus_card_id: Type.String({ format: 'uuid' }),
    status: Type.Union([Type.Literal('approved'), Type.Literal('declined')]),
    amount: Type.Number(),
    balance: Type.Optional(Type.Number({ description: "The card's balance after an approved purchase" })),
    decline_reason: Type.Optional(Type.String()),
    nucleus_portfolio_transaction_id: Type.Optional(Type.String({ format: 'uuid', description: 'The card transaction recorded for an approved purchase' })),
    message: Type.String(),
    vendor_name: Type.String(),
    vendor_response: Type.Object({}, { additionalProperties: true }),
  },
  { title: 'SandboxPurchaseResponse' },
);


/**
 * A Deuterium extension, not part of Hydrogen's Electron: on a sandbox card, simulates a
 * purchase arriving from the card network, so an app can test its whole card flow offline.
 * The sandbox decides as an issuer would (card active, money there, spending controls met);
 * an approved purchase is posted to the ledger and recorded as a card transaction.
 */
export function purchaseRoutes(app: TypedRoutes, electron: Electron): void {
  app.post('/sandbox/card/purchase', {
    config: { errors: [errors.notFound, errors.cardNotIssued, errors.invalidCardState, errors.unknownCard] },
    schema: {
      tags: ['Electron sandbox (Deuterium extension)'],
      summary: 'Simulate a card purchase (sandbox processor only)',
      description:
        'Not in Hydrogen: Deuterium lets apps rehearse card spending against the sandbox processor. Declines are answered 200 with status declined ' +
        'and move no money; cards at a real processor get 404.',
      operationId: 'simulateSandboxCardPurchase',
      body: PurchaseRequest,
      response: { 200: PurchaseResponse, ...errorResponses },
    },
    handler: async (request) => {
      const { auth } = request;
      const body = request.body;
      requireProgramRole(auth, 'card', 'write');
      const amountMinor = toMinor(body.amount);
      if (typeof amountMinor === 'string') throw errors.invalidField({ field: 'amount', problem: amountMinor });
      if (body.currency_code !== undefined && body.currency_code !== PROGRAM_CURRENCY) {
        throw errors.invalidField({ field: 'currency_code', problem: `the card program runs in ${PROGRAM_CURRENCY}` });
      }
      const card = await EntityReader.asCaller(electron.nucleus, auth).get('card', body.nucleus_card_id);
      const link = await electron.records.card(auth.tenantId, card.id);
      if (!link) throw errors.cardNotIssued({ reason: `Card ${card.id} has not been issued at a processor yet; issue it with POST /card/issue` });
      const processor = electron.processors.named(link.processor);
      if (!processor.simulatePurchase) throw errors.notFound({ reason: `Card ${card.id} is at the ${processor.name} processor, where purchases cannot be simulated` });
      const { nucleus_card_id: _card, amount: _amount, currency_code: _currency, ...facts } = body;
      const { row, job } = await electron.movements.open(auth.tenantId, {
        kind: 'purchase',
        cardId: card.id,
        processor: processor.name,
        vendorCardId: link.vendor_card_id,
        amountMinor,
        currency: PROGRAM_CURRENCY,
        detail: { transaction_type: 'purchase', ...facts },
        requestedBy: requesterOf(request),
      });
      // A purchase has no funding, so its movement is always new and its job the request's.
      const outcome = await atProcessor(`Card ${card.id}`, () => electron.drive(job!, row));
      const amount = fromMinor(amountMinor);
      if ('declined' in outcome) {
        return {
          nucleus_card_id: card.id,
          status: 'declined' as const,
          amount,
          decline_reason: outcome.declined.reason,
          message: `Purchase of ${amount} ${PROGRAM_CURRENCY} on card ${card.id} declined: ${outcome.declined.reason}`,
          vendor_name: processor.name,
          vendor_response: outcome.declined.vendorResponse,
        };
      }
      const done = outcome.row;
      return {
        nucleus_card_id: card.id,
        status: 'approved' as const,
        amount,
        balance: fromMinor(done.balance_after_minor ?? 0),
        ...(done.nucleus_transaction_id ? { nucleus_portfolio_transaction_id: done.nucleus_transaction_id } : {}),
        message: `Purchase of ${amount} ${PROGRAM_CURRENCY} on card ${card.id} approved`,
        vendor_name: processor.name,
        vendor_response: done.vendor_response ?? {},
      };
    },
  });
}
