import { Type } from 'typebox';
import { createLog, defaultsOptional } from '../request-fields.ts';
import { fractionOut, moneyOut } from '../response-fields.ts';
import { clientId, currencyCode, currencyConversion, householdId, optionalDay } from './wellness-fields.ts';

export const FinancialPictureRequest = defaultsOptional(
  Type.Object(
    {
      client_id: Type.Optional(clientId()),
      household_id: Type.Optional(householdId()),
      start_date: optionalDay('Start of the history and of the change; when null, twelve months before end_date'),
      end_date: optionalDay('Day the picture is taken; when null, today (UTC)'),
      show_category_breakdown: Type.Boolean({ default: true, description: 'Add assets and liabilities by account category, with their accounts' }),
      show_change: Type.Boolean({ default: false, description: 'Add the change of each total from start_date to end_date' }),
      show_history: Type.Boolean({ default: false, description: 'Add the totals on start_date, on each later day a balance was recorded, and on end_date' }),
      currency_code: Type.Optional(currencyCode()),
      currency_conversion: Type.Optional(currencyConversion()),
      create_log: createLog(),
    },
    { additionalProperties: false },
  ),
);

const PictureAccount = Type.Object(
  {
    aggregation_account_id: Type.String({ format: 'uuid', description: 'The aggregation account' }),
    account_name: Type.String({ description: 'As recorded' }),
    institution_name: Type.String({ description: 'As recorded' }),
    balance: moneyOut('Latest balance on or before end_date'),
    balance_date: Type.String({ format: 'date', description: 'Day that balance was recorded' }),
  },
  { additionalProperties: false, title: 'FinancialPictureAccount' },
);

const CategoryBreakdown = Type.Array(
  Type.Object(
    {
      category: Type.Union([Type.String(), Type.Null()], { description: "The accounts' category; null for accounts without one" }),
      balance: moneyOut('Sum of its accounts'),
      share: fractionOut('Part of the total (of assets, or of liabilities)'),
      accounts: Type.Array(PictureAccount, { description: 'The accounts of the category with a balance' }),
    },
    { additionalProperties: false },
  ),
  { description: 'Largest balance first' },
);

const Change = Type.Object(
  {
    start: moneyOut('On start_date'),
    end: moneyOut('On end_date'),
    change: moneyOut('end - start'),
    change_percent: Type.Union([fractionOut('change / |start|'), Type.Null()], { description: 'change / |start|, a fraction; null when start is zero' }),
  },
  { additionalProperties: false },
);

export const FinancialPictureResponse = Type.Object(
  {
    currency_code: Type.Union([Type.String(), Type.Null()], { description: 'Currency of every amount; null when no balance records one' }),
    as_of_date: Type.String({ format: 'date', description: 'end_date' }),
    total_assets: moneyOut('Sum of the latest balances of asset accounts'),
    total_liabilities: moneyOut('Sum of the latest balances of liability accounts (is_asset false), as amounts owed'),
    net_worth: moneyOut('total_assets - total_liabilities'),
    asset_details: Type.Optional(CategoryBreakdown),
    liability_details: Type.Optional(CategoryBreakdown),
    change: Type.Optional(
      Type.Object(
        { start_date: Type.String({ format: 'date', description: 'Day compared from' }), end_date: Type.String({ format: 'date', description: 'Day compared to' }), net_worth: Change, total_assets: Change, total_liabilities: Change },
        { additionalProperties: false, description: 'With show_change' },
      ),
    ),
    history: Type.Optional(
      Type.Array(
        Type.Object(
          { date: Type.String({ format: 'date', description: 'Day of the totals' }), total_assets: moneyOut('Assets that day'), total_liabilities: moneyOut('Liabilities that day'), net_worth: moneyOut('Net worth that day') },
          { additionalProperties: false },
        ),
        { description: 'With show_history, in time order' },
      ),
    ),
  },
  { additionalProperties: false, title: 'FinancialPicture' },
);
