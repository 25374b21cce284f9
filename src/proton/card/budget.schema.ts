import { Type } from 'typebox';
import { defaultsOptional } from '../request-fields.ts';
import { moneyOut } from '../response-fields.ts';
import { FREQUENCY_UNITS, transactionStatusScope } from './card-fields.ts';

const BudgetComponent = Type.Object(
  {
    category: Type.String({ description: 'Transaction category name the amount is for' }),
    subcategory: Type.Optional(Type.String({ description: 'Narrows the component to one subcategory of the category' })),
    value: Type.Number({ minimum: 0, description: 'Amount budgeted per period' }),
  },
  { additionalProperties: false, title: 'BudgetCalculatorComponent' },
);

const BudgetDetails = Type.Object(
  {
    frequency_unit: Type.Unsafe<(typeof FREQUENCY_UNITS)[number]>({ type: 'string', enum: [...FREQUENCY_UNITS], description: 'Unit of the budget period' }),
    frequency: Type.Integer({ minimum: 1, maximum: 366, default: 1, description: 'How many units make one budget period' }),
    budget: Type.Optional(Type.Array(BudgetComponent, { minItems: 1, description: 'Amount per category and period' })),
    total_value: Type.Optional(Type.Number({ minimum: 0, description: 'Budget per period for all categories together; the sum of budget[] when absent' })),
    currency_code: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$', description: 'Currency of the budget' })),
    client_id: Type.Optional(Type.String({ format: 'uuid', description: "Whose spending: the client's accounts and aggregation accounts, unless account_id or aggregation_accounts name them" })),
    account_id: Type.Optional(Type.String({ format: 'uuid', description: 'A Nucleus account whose portfolios hold the spending' })),
    aggregation_accounts: Type.Optional(
      Type.Array(Type.Object({ aggregation_account_id: Type.String({ format: 'uuid' }) }, { additionalProperties: false, title: 'BudgetCalculatorAggregationAccount' }), {
        description: 'Aggregation accounts whose debits are the spending',
      }),
    ),
    start_date: Type.Union([Type.String({ format: 'date' }), Type.Null()], { default: null, description: 'No spending before this day counts' }),
    end_date: Type.Union([Type.String({ format: 'date' }), Type.Null()], { default: null, description: 'No spending after this day counts' }),
  },
  { additionalProperties: false, title: 'BudgetCalculatorDetails' },
);

export const BudgetCalculatorRequest = defaultsOptional(
  Type.Object(
    {
      budget_id: Type.Optional(Type.String({ format: 'uuid', description: 'A Nucleus budget to analyse' })),
      budget_details: Type.Optional(BudgetDetails),
      as_of_date: Type.Optional(Type.String({ format: 'date', description: 'Last day of the latest period; today when absent' })),
      lookback_periods: Type.Integer({ minimum: 1, maximum: 1000, default: 1, description: 'Budget periods analysed, the latest included' }),
      relative_lookback: Type.Boolean({
        default: true,
        description: 'Periods end on as_of_date and run back a whole period each (true), or are calendar periods, the latest cut at as_of_date (false)',
      }),
      scope: Type.Unsafe<'all' | 'external' | 'internal'>({
        type: 'string',
        enum: ['all', 'external', 'internal'],
        default: 'all',
        description: 'Spending on Nucleus accounts (internal), aggregation accounts (external) or both',
      }),
      currency_conversion: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$', description: 'Report in this currency, converting through the stored FX rates' })),
      transaction_status_scope: transactionStatusScope(),
      only_cleansed: Type.Boolean({ default: false, description: 'Only cleansed transactions: card and portfolio transactions marked is_cleansed, aggregation transactions that carry a bank_credit.category' }),
      show_budget_track: Type.Boolean({ default: true, description: 'Report every period, not only the latest' }),
      show_average_spend: Type.Boolean({ default: false, description: 'Report the average spending per period of each category' }),
    },
    {
      additionalProperties: false,
      examples: [
        {
          budget_details: { frequency_unit: 'monthly', currency_code: 'USD', budget: [{ category: 'Food', value: 400 }] },
          as_of_date: '2026-03-31',
          lookback_periods: 3,
        },
      ],
    },
  ),
);

const CategoryBudget = Type.Object(
  {
    category: Type.String({ description: 'The category' }),
    subcategory: Type.Union([Type.String(), Type.Null()], { description: 'The subcategory, when the component names one' }),
    budget: moneyOut('Budgeted for the period'),
    spending: moneyOut('Spent in the category (and subcategory) in the period'),
    remaining: moneyOut('budget - spending; negative when over budget'),
    is_over_budget: Type.Boolean({ description: 'spending exceeds budget' }),
  },
  { additionalProperties: false, title: 'BudgetCalculatorCategory' },
);

const PeriodBudget = Type.Object(
  {
    period_start: Type.String({ format: 'date', description: 'First day of the period' }),
    period_end: Type.String({ format: 'date', description: 'Last day of the period' }),
    budget: moneyOut('Budget of the period: total_value, else the sum of the components'),
    spending: moneyOut('Spending in the budgeted categories'),
    other_spending: moneyOut('Spending in no budgeted category'),
    remaining: moneyOut('budget - spending; negative when over budget'),
    is_over_budget: Type.Boolean({ description: 'spending exceeds budget' }),
    categories: Type.Array(CategoryBudget, { description: 'One row per budget component, in the budget order' }),
  },
  { additionalProperties: false, title: 'BudgetCalculatorPeriod' },
);

export const BudgetCalculatorResponse = Type.Object(
  {
    currency_code: Type.Union([Type.String(), Type.Null()], { description: 'Currency of every amount: currency_conversion, else the budget currency' }),
    as_of_date: Type.String({ format: 'date', description: 'Last day analysed' }),
    frequency_unit: Type.String({ description: 'Unit of the budget period' }),
    frequency: Type.Integer({ minimum: 1, description: 'Units per budget period' }),
    current: PeriodBudget,
    budget_track: Type.Union([Type.Array(PeriodBudget), Type.Null()], { description: 'Every period analysed, oldest first (show_budget_track); null otherwise' }),
    average_spend: Type.Union(
      [
        Type.Array(
          Type.Object(
            {
              category: Type.String({ description: 'The category' }),
              subcategory: Type.Union([Type.String(), Type.Null()], { description: 'The subcategory, when the component names one' }),
              average_spending: moneyOut('Spending in the category over all periods divided by their number'),
            },
            { additionalProperties: false, title: 'BudgetCalculatorAverage' },
          ),
        ),
        Type.Null(),
      ],
      { description: 'Average spending per period of each component (show_average_spend); null otherwise' },
    ),
  },
  { additionalProperties: false },
);
