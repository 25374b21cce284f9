import { Type } from 'typebox';
import type { Database } from '../../platform/db/database.ts';
import type { TypedRoutes } from '../../platform/http/typed-routes.ts';
import { listQuerySchema, pageOf } from '../../platform/list/paging.ts';
import { errorResponses, pageSchema } from '../../platform/openapi/shared-schemas.ts';
import { readData } from './data.ts';
import { StaticRows } from './static-rows.ts';

const merchantSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid', description: 'Stable across releases' }),
    name: Type.String({ examples: ['Starbucks'] }),
    website_url: Type.String({ examples: ['https://www.starbucks.com'] }),
  },
  { title: 'MXMerchantRes' },
);

type Merchant = { id: string; name: string; website_url: string };

/** Well-known merchants, from data/merchants.json. */
const merchants = new StaticRows(readData<Merchant[]>('merchants.json'), merchantSchema);

/** A page of merchants, with Hydrogen's list parameters; the specification sorts them by id unless told otherwise. */
export function merchantRoute(app: TypedRoutes, db: Database, maxPageSize: number): void {
  app.get('/resource/merchant', {
    schema: {
      tags: ['Resource'],
      summary: 'Merchants',
      operationId: 'getMerchantsAllUsingGet',
      querystring: listQuerySchema(maxPageSize, 'id'),
      response: { 200: pageSchema(merchantSchema, 'MXMerchantRes'), ...errorResponses },
    },
    handler: async (request) => {
      const list = request.query;
      const matching = await merchants.select(db, list);
      const start = list.page * list.size;
      return pageOf(matching.slice(start, start + list.size), matching.length, list);
    },
  });
}
