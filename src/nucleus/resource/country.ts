import type { FastifyInstance } from 'fastify';
import { iso31661 } from 'iso-3166';
import { Type } from 'typebox';
import { errorResponses } from '../../platform/openapi/shared-schemas.ts';

const countrySchema = Type.Object(
  {
    alpha2_code: Type.String({ description: 'ISO 3166-1 alpha-2 code', examples: ['AE'] }),
    alpha3_code: Type.String({ description: 'ISO 3166-1 alpha-3 code', examples: ['ARE'] }),
    country: Type.String({ description: 'Short English name', examples: ['United Arab Emirates'] }),
    numeric_code: Type.Integer({ description: 'ISO 3166-1 numeric code', examples: [784] }),
  },
  { title: 'Country' },
);

/** Every officially assigned ISO 3166-1 country, ordered by alpha-2 code. */
const countries = iso31661
  .map((c) => ({ alpha2_code: c.alpha2, alpha3_code: c.alpha3, country: c.name, numeric_code: Number(c.numeric) }))
  .sort((a, b) => a.alpha2_code.localeCompare(b.alpha2_code));

export const countryCodes = new Set(countries.map((c) => c.alpha2_code));

export function countryRoute(app: FastifyInstance): void {
  app.get('/resource/country', {
    schema: {
      tags: ['Resource'],
      summary: 'Countries (ISO 3166-1)',
      operationId: 'getAllCountryUsingGet',
      response: { 200: Type.Array(countrySchema), ...errorResponses },
    },
    handler: async () => countries,
  });
}
