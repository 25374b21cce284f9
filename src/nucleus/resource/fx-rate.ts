import { Type } from 'typebox';
import type { Database } from '../../platform/db/database.ts';
import type { TypedRoutes } from '../../platform/http/typed-routes.ts';
import { isAdministrator } from '../../platform/acl/policy.ts';
import { errors } from '../../platform/http/errors.ts';
import { errorResponses } from '../../platform/openapi/shared-schemas.ts';
import { isCurrencyCode } from './currency.ts';
import { latestFxRates, saveFxRates, type FxRate } from './fx-rate-store.ts';

const MAX_RATES_PER_REQUEST = 1000;

const fields = {
  currency_code_from: Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code of the currency converted from', examples: ['USD'] }),
  currency_code_to: Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code of the currency converted to', examples: ['EUR'] }),
  date: Type.String({ format: 'date-time', description: 'When the rate applies from' }),
  exchange_rate: Type.Number({ exclusiveMinimum: 0, description: 'Units of currency_code_to for one unit of currency_code_from' }),
};

const fxRateSchema = Type.Object(fields, { title: 'FxRate', additionalProperties: false });
const fxRateViewSchema = Type.Object(fields, { title: 'FxRateView' });

/**
 * What the schema cannot say: codes ISO 4217 lists, a rate JSON parsing did not turn into
 * Infinity, a real instant (no leap second). Dates come back in UTC. Errors name the item.
 */
function normalize(rates: FxRate[]): FxRate[] {
  return rates.map((rate, index) => {
    for (const field of ['currency_code_from', 'currency_code_to'] as const) {
      if (!isCurrencyCode(rate[field])) throw errors.invalidField({ field: `[${index}].${field}`, problem: `${rate[field]} is not an ISO 4217 currency code` });
    }
    if (!Number.isFinite(rate.exchange_rate)) throw errors.invalidField({ field: `[${index}].exchange_rate`, problem: 'is too large' });
    const time = Date.parse(rate.date);
    if (Number.isNaN(time)) throw errors.invalidField({ field: `[${index}].date`, problem: `${rate.date} is not a date-time` });
    return { ...rate, date: new Date(time).toISOString() };
  });
}

export function fxRateRoutes(app: TypedRoutes, db: Database): void {
  app.get('/resource/fx_rate', {
    schema: {
      tags: ['Resource'],
      summary: 'Latest exchange rate of each currency pair',
      description:
        'One rate per currency pair: the one with the latest date among the rates that match filter (RSQL over ' +
        'currency_code_from, currency_code_to, date and exchange_rate). A date bound in the filter therefore gives the rates in force at that time.',
      operationId: 'getCurrencyExchangeRateAllUsingGet',
      querystring: Type.Object(
        { filter: Type.Optional(Type.String({ maxLength: 4000, description: 'e.g. currency_code_from==USD;date=le=2024-01-31T23:59:59Z' })) },
        { additionalProperties: true },
      ),
      response: { 200: Type.Array(fxRateViewSchema), ...errorResponses },
    },
    handler: async (request) => latestFxRates(db, request.auth.tenantId, fxRateViewSchema, request.query.filter),
  });

  app.post('/resource/fx_rate', {
    schema: {
      tags: ['Resource'],
      summary: 'Store exchange rates',
      description:
        `Stores 1 to ${MAX_RATES_PER_REQUEST} rates for the tenant (administrators only). A rate for a pair and date already stored is replaced. ` +
        'Answers the rates as stored, dates in UTC.',
      operationId: 'createFxRateBulkUsingPost',
      body: Type.Array(fxRateSchema, { minItems: 1, maxItems: MAX_RATES_PER_REQUEST }),
      response: { 201: Type.Array(fxRateSchema), ...errorResponses },
    },
    handler: async (request, reply) => {
      // The tenant's rates convert every client's money, so only its administrators set them.
      if (!isAdministrator(request.auth.authorities)) throw errors.forbidden({ reason: 'Only administrators may store exchange rates' });
      const rates = normalize(request.body);
      await saveFxRates(db, request.auth.tenantId, rates);
      return reply.code(201).send(rates);
    },
  });
}
