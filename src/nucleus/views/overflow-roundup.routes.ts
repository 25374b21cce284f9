import type { TypedRoutes } from '../../platform/http/typed-routes.ts';
import { Type } from 'typebox';
import { originOf } from '../../platform/entity/routes.ts';
import { EntityReader } from '../../platform/read/entity-reader.ts';
import { errorResponses } from '../../platform/openapi/shared-schemas.ts';
import { createOverflow } from './overflow.ts';
import { createRoundup } from './roundup.ts';
import type { ViewRoutesOptions } from './routes.ts';

const OverflowVO = Type.Object(
  {
    overflow_setting_id: Type.String({ format: 'uuid', description: 'The overflow_setting whose bank links are swept' }),
    funding_start_date: Type.Optional(Type.String({ format: 'date', description: 'Start date of the funding requests; today when omitted' })),
    update_balances: Type.Optional(Type.Boolean({ description: "Lower each bank link's balance and available_balance by what it sends" })),
  },
  { title: 'OverflowVO', additionalProperties: false },
);

const RoundupCO = Type.Object(
  {
    roundup_setting_id: Type.String({ format: 'uuid', description: 'The roundup_setting whose transactions are rounded up' }),
    funding_start_date: Type.String({ format: 'date', description: 'Start date of the funding requests' }),
    transaction_start_date: Type.String({ format: 'date-time', description: 'First instant of the transactions rounded up' }),
    transaction_end_date: Type.Optional(Type.String({ format: 'date-time', description: 'Last instant of the transactions rounded up; no end when omitted' })),
    update_transactions: Type.Optional(Type.Boolean({ description: 'Mark the transactions rounded up (metadata.roundup_id) so no later roundup counts them again' })),
  },
  { title: 'RoundupCO', additionalProperties: false },
);

/** POST /overflow and POST /roundup: records computed from a setting, with the funding requests they make. */
export function overflowRoundupRoutes(app: TypedRoutes, options: ViewRoutesOptions): void {
  const record = (entity: string) => ({ ...options.stores.get(entity)!.schemas.record, $id: undefined });

  app.post('/overflow', {
    schema: {
      tags: ['Overflow'],
      summary: "Sweep what overflows a setting's bank links into its account",
      description:
        "Each bank link of the overflow_setting overflows what its balance (available_balance where recorded, else balance) holds above the " +
        "line's amount, capped at the line's max and rounded down to the cent. Each link with something to move gets a one-time deposit " +
        "funding request (funding_type overflow, funding_status requested) into the setting's account and portfolio; the overflow record names " +
        'them and their total. An inactive setting is refused with 422.',
      operationId: 'create_overflow',
      body: OverflowVO,
      response: { 201: record('overflow'), ...errorResponses },
    },
    handler: async (request, reply) => {
      const reader = EntityReader.asCaller(options, request.auth);
      return reply.code(201).send(await createOverflow(reader, options.writer, originOf(request), request.body));
    },
  });

  app.post('/roundup', {
    schema: {
      tags: ['Roundup'],
      summary: "Round up a setting's purchases of a period and fund the account with the change",
      description:
        "The purchases counted are the debits (bank_credit.transaction_type debit) of the setting's aggregation_accounts and the " +
        "portfolio_transactions of its accounts whose transaction code has is_deposit false, dated in the period and not yet marked by an " +
        "earlier roundup. When the setting lists categories or merchants, only purchases in them count. Each purchase is rounded up to the " +
        "next multiple of its step, the amount of its merchant's line, else its category's, else its account's (a whole unit when none is " +
        'usable). The total is asked of the bank links by weight, as one-time deposit funding requests (funding_type roundup) into the ' +
        "setting's account; the roundup record names them. An inactive setting is refused with 422.",
      operationId: 'create_roundup',
      body: RoundupCO,
      response: { 201: record('roundup'), ...errorResponses },
    },
    handler: async (request, reply) => {
      const reader = EntityReader.asCaller(options, request.auth);
      return reply.code(201).send(await createRoundup(reader, options.writer, originOf(request), request.body));
    },
  });
}
