import { Type } from 'typebox';
import { readData } from './data.ts';
import { CategoryMapping, type CategoryFile } from './category-mapping.ts';

const accountCategorySchema = Type.Object(
  {
    hydrogen_account_category_id: Type.String({ format: 'uuid' }),
    category: Type.String({ examples: ['Bank Account'] }),
    subcategory: Type.Optional(Type.String({ description: 'Absent on a primary category', examples: ['Checking Account'] })),
    is_asset: Type.Optional(Type.Boolean({ description: 'False for debts; absent where a primary category holds both' })),
    vendor_name: Type.Optional(Type.String({ description: 'Only on vendor mappings', examples: ['plaid'] })),
    vendor_category: Type.Optional(Type.String({ description: "The vendor's account type", examples: ['depository'] })),
    vendor_subcategory: Type.Optional(Type.String({ description: "The vendor's account subtype", examples: ['checking'] })),
  },
  { title: 'AccountCategory' },
);

interface AccountCategory {
  hydrogen_account_category_id: string;
  category: string;
  subcategory?: string;
  is_asset?: boolean;
}

/** Kinds of financial accounts, and how aggregators' account types map onto them. */
export const accountCategories = new CategoryMapping<AccountCategory>(
  readData<CategoryFile<AccountCategory>>('account-categories.json'),
  'hydrogen_account_category_id',
  accountCategorySchema,
);
