import currencyCodes from 'currency-codes';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { errorResponses } from '../../platform/openapi/shared-schemas.ts';

const currencySchema = Type.Object(
  {
    alphabetic_code: Type.String({ description: 'ISO 4217 alphabetic code', examples: ['AWG'] }),
    currency: Type.String({ description: 'Name of the currency', examples: ['Aruban Florin'] }),
    numeric_code: Type.String({ description: 'ISO 4217 numeric code, three digits', examples: ['533'] }),
  },
  { title: 'Currency' },
);

/** ISO 4217's list of currencies and funds, ordered by code. */
const currencies = currencyCodes.data
  .map((c) => ({ alphabetic_code: c.code, currency: c.currency, numeric_code: c.number }))
  .sort((a, b) => a.alphabetic_code.localeCompare(b.alphabetic_code));

const currencyCodeSet = new Set(currencies.map((c) => c.alphabetic_code));

export function isCurrencyCode(code: string): boolean {
  return currencyCodeSet.has(code);
}

export function currencyRoute(app: FastifyInstance): void {
  app.get('/resource/currency', {
    schema: {
      tags: ['Resource'],
      summary: 'Currencies (ISO 4217)',
      operationId: 'getAllCurrencyUsingGet',
      response: { 200: Type.Array(currencySchema), ...errorResponses },
    },
    handler: async () => currencies,
  });
}
