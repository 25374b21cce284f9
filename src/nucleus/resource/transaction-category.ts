import { Type } from 'typebox';
import { readData } from './data.ts';
import { CategoryMapping, type CategoryFile } from './category-mapping.ts';

const transactionCategorySchema = Type.Object(
  {
    hydrogen_transaction_category_id: Type.String({ format: 'uuid' }),
    category: Type.String({ examples: ['Food & Dining'] }),
    subcategory: Type.Optional(Type.String({ description: 'Absent on a primary category', examples: ['Coffee Shops'] })),
    vendor_name: Type.Optional(Type.String({ description: 'Only on vendor mappings', examples: ['plaid'] })),
    vendor_category: Type.Optional(Type.String({ description: "The vendor's primary category", examples: ['FOOD_AND_DRINK'] })),
    vendor_subcategory: Type.Optional(Type.String({ description: "The vendor's detailed category", examples: ['FOOD_AND_DRINK_COFFEE'] })),
  },
  { title: 'TransactionCategory' },
);

interface TransactionCategory {
  hydrogen_transaction_category_id: string;
  category: string;
  subcategory?: string;
}

/** Categories of spending and income, and how aggregators' categories map onto them. */
export const transactionCategories = new CategoryMapping<TransactionCategory>(
  readData<CategoryFile<TransactionCategory>>('transaction-categories.json'),
  'hydrogen_transaction_category_id',
  transactionCategorySchema,
);
