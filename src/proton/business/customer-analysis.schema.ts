import { Type } from 'typebox';
import { defaultsOptional } from '../request-fields.ts';
import { moneyOut } from '../response-fields.ts';
import { businessId, clientId, currencyCode, currencyConversion, endDate, responseLimit, startDate } from './request-fields.ts';
import { count, day, nullableDay, nullableMoney, nullableNumber, reportCurrencyOut } from './response-fields.ts';

export const CustomerAnalysisRequest = defaultsOptional(
  Type.Object(
    {
      business_id: businessId(),
      client_id: clientId(),
      customer_ids: Type.Union([Type.Array(Type.String({ format: 'uuid' }), { minItems: 1 }), Type.Null()], {
        default: null,
        description: 'Only these customers (Nucleus contacts); each must exist for the caller (404 otherwise). Null for every contact of the business or client marked is_customer.',
      }),
      only_active_customers: Type.Boolean({ default: false, description: 'Leave out contacts whose is_active is false' }),
      currency_code: currencyCode(),
      currency_conversion: currencyConversion(),
      start_date: startDate('First day of customer revenue counted; null for no limit'),
      end_date: endDate('Last day of customer revenue counted'),
      benchmark_start_date: startDate('First day of the benchmark window the revenue is compared with; give both benchmark dates or neither'),
      benchmark_end_date: startDate('Last day of the benchmark window; give both benchmark dates or neither'),
      response_limit: responseLimit('customers'),
    },
    { additionalProperties: false },
  ),
);

const Change = {
  revenue_change: nullableMoney('revenue - benchmark revenue; null without a benchmark'),
  revenue_growth: nullableNumber('revenue_change / benchmark revenue, a fraction; null without a benchmark or when the benchmark revenue is not positive'),
};

const Customer = Type.Object(
  {
    customer_id: Type.String({ format: 'uuid', description: 'The contact' }),
    company_name: Type.String({ description: "The contact's company_name" }),
    is_active: Type.Boolean({ description: "The contact's is_active (true when unset)" }),
    revenue: moneyOut('Revenue in the window'),
    share: nullableNumber('revenue / total revenue, a fraction; null when the total is not positive'),
    benchmark_revenue: nullableMoney('Revenue in the benchmark window; null without a benchmark'),
    ...Change,
  },
  { additionalProperties: false, title: 'CustomerRevenueAnalysis' },
);

export const CustomerAnalysisResponse = Type.Object(
  {
    currency_code: reportCurrencyOut(),
    analysis_start: nullableDay('start_date as used (null: no limit)'),
    analysis_end: day('end_date as used'),
    benchmark_start: nullableDay('benchmark_start_date; null without a benchmark'),
    benchmark_end: nullableDay('benchmark_end_date; null without a benchmark'),
    summary: Type.Object(
      {
        customer_count: count('Customers analyzed'),
        paying_customer_count: count('Customers with revenue above zero in the window'),
        total_revenue: moneyOut('Revenue of all customers analyzed in the window'),
        average_revenue: Type.Union([moneyOut('Mean revenue of the paying customers'), Type.Null()], { description: 'null when no customer paid' }),
        top_customer_share: nullableNumber('Share of the largest customer, a fraction; null when the total is not positive'),
        top_five_share: nullableNumber('Combined share of the five largest customers, a fraction; null when the total is not positive'),
        herfindahl_index: nullableNumber('Sum of the squared shares of the customers with revenue above zero (1 = a single customer; 1/n = n equal ones); null when the total is not positive'),
        benchmark_total_revenue: nullableMoney('Revenue of the same customers in the benchmark window; null without a benchmark'),
        ...Change,
      },
      { additionalProperties: false, title: 'CustomerAnalysisSummary' },
    ),
    customers: Type.Array(Customer, { description: 'Largest revenue first, at most response_limit' }),
  },
  { additionalProperties: false },
);

