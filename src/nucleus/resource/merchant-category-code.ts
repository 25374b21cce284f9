import { Type } from 'typebox';
import type { Database } from '../../platform/db/database.ts';
import type { TypedRoutes } from '../../platform/http/typed-routes.ts';
import { errorResponses } from '../../platform/openapi/shared-schemas.ts';
import { readData } from './data.ts';
import { StaticRows } from './static-rows.ts';
import { transactionCategories } from './transaction-category.ts';

const merchantCategoryCodeSchema = Type.Object(
  {
    mcc: Type.Integer({ description: 'ISO 18245 merchant category code', examples: [5812] }),
    description: Type.String({ examples: ['Eating Places and Restaurants'] }),
    category: Type.String({ description: 'Transaction category the code files under', examples: ['Food & Dining'] }),
    subcategory: Type.Optional(Type.String({ examples: ['Restaurants'] })),
    transaction_category_id: Type.String({ format: 'uuid', description: 'hydrogen_transaction_category_id of that category' }),
  },
  { title: 'MerchantCategoryCode' },
);

/** A line of data/merchant-category-codes.json: one code, or a block of brand-specific codes. */
type CodeLine = { description: string; transaction_category: string } & ({ mcc: number } | { mcc_from: number; mcc_to: number });

type MerchantCategoryCode = {
  mcc: number;
  description: string;
  category: string;
  subcategory?: string;
  transaction_category_id: string;
};

/** Every code, blocks expanded, each with the transaction category it files under. */
const merchantCategoryCodes: MerchantCategoryCode[] = readData<CodeLine[]>('merchant-category-codes.json').flatMap((line) => {
  const { hydrogen_transaction_category_id, category, subcategory } = transactionCategories.find(line.transaction_category);
  const [from, to] = 'mcc' in line ? [line.mcc, line.mcc] : [line.mcc_from, line.mcc_to];
  return Array.from({ length: to - from + 1 }, (_, i) => ({
    mcc: from + i,
    description: line.description,
    category,
    ...(subcategory ? { subcategory } : {}),
    transaction_category_id: hydrogen_transaction_category_id,
  }));
});

const codes = new StaticRows(merchantCategoryCodes, merchantCategoryCodeSchema);

export function merchantCategoryCodeRoute(app: TypedRoutes, db: Database): void {
  app.get('/resource/merchant_category_code', {
    schema: {
      tags: ['Resource'],
      summary: 'Merchant category codes (ISO 18245)',
      description: 'Every code with the transaction category it files under, ordered by code. Brand-specific blocks (airlines 3000-3299, car rental 3351-3441, lodging 3501-3999) are listed code by code.',
      operationId: 'getAllMerchantCategoryCodeUsingGet',
      querystring: Type.Object(
        { filter: Type.Optional(Type.String({ maxLength: 4000, description: 'RSQL, e.g. mcc=ge=5811;mcc=le=5814 or category==Travel' })) },
        { additionalProperties: true },
      ),
      response: { 200: Type.Array(merchantCategoryCodeSchema), ...errorResponses },
    },
    handler: async (request) => codes.select(db, { filter: request.query.filter }),
  });
}
