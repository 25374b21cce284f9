import { iso31662 } from 'iso-3166';
import { Type } from 'typebox';
import { errors } from '../../platform/http/errors.ts';
import type { TypedRoutes } from '../../platform/http/typed-routes.ts';
import { defaulted } from '../../platform/http/typebox-schemas.ts';
import { errorResponses } from '../../platform/openapi/shared-schemas.ts';
import { countryCodes } from './country.ts';

const stateSchema = Type.Object(
  {
    abbreviation: Type.String({ description: 'The ISO 3166-2 code without its country prefix', examples: ['AL'] }),
    country_code: Type.String({ description: 'ISO 3166-1 alpha-2 code of the country', examples: ['US'] }),
    state: Type.String({ description: 'Name of the subdivision', examples: ['Alabama'] }),
  },
  { title: 'State' },
);

type State = { abbreviation: string; country_code: string; state: string };

/**
 * ISO 3166-2 subdivisions by country, all levels together (for Great Britain both its
 * nations and their council areas), each list ordered by code.
 */
const statesByCountry = new Map<string, State[]>();
for (const entry of [...iso31662].sort((a, b) => a.code.localeCompare(b.code))) {
  const [country_code, abbreviation] = entry.code.split('-');
  const list = statesByCountry.get(country_code) ?? [];
  list.push({ abbreviation, country_code, state: entry.name });
  statesByCountry.set(country_code, list);
}

export function stateRoute(app: TypedRoutes): void {
  app.get('/resource/state', {
    schema: {
      tags: ['Resource'],
      summary: 'Subdivisions of a country (ISO 3166-2)',
      description: 'States, provinces and other subdivisions of one country; an assigned country without any answers an empty list.',
      operationId: 'getAllStatesUsingGet',
      querystring: Type.Object(
        { country_code: defaulted(Type.String({ pattern: '^[A-Za-z]{2}$', default: 'US', description: 'ISO 3166-1 alpha-2 code, either case' })) },
        { additionalProperties: true },
      ),
      response: { 200: Type.Array(stateSchema), ...errorResponses },
    },
    handler: async (request) => {
      const code = request.query.country_code.toUpperCase();
      if (!countryCodes.has(code)) throw errors.invalidField({ field: 'country_code', problem: `${code} is not an ISO 3166-1 country code` });
      return statesByCountry.get(code) ?? [];
    },
  });
}
