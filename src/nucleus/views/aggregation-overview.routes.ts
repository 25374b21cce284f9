import type { TypedRoutes } from '../../platform/http/typed-routes.ts';
import { Type } from 'typebox';
import type { EntityRecord } from '../../platform/entity/entity-records.ts';
import { EntityReader } from '../../platform/read/entity-reader.ts';
import { errorResponses } from '../../platform/openapi/shared-schemas.ts';
import { dayOf } from '../../platform/calendar/days.ts';
import { converterFor } from '../../platform/money/fx.ts';
import { cents, decimalOf, ZERO, type Decimal } from '../../platform/money/money.ts';
import { param, query } from './params.ts';
import type { ViewRoutesOptions } from './routes.ts';

const optionalString = () => Type.Optional(Type.String());
const optionalMoney = (description: string) => Type.Optional(Type.Number({ description: `${description}, rounded to the cent` }));

const HeldAwayAccount = Type.Object(
  {
    aggregation_account_id: Type.String({ format: 'uuid' }),
    account_name: Type.String(),
    institution_name: Type.String(),
    category: optionalString(),
    subcategory: optionalString(),
    mask: optionalString(),
    is_asset: Type.Boolean({ description: 'False for what is owed (a loan, a credit card); true when not recorded' }),
    currency_code: optionalString(),
    balance: optionalMoney('Latest balance'),
    available_balance: optionalMoney('Latest available balance'),
    balance_time_stamp: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);

const AggregationAccountOverview = Type.Object(
  {
    client_id: Type.Optional(Type.String({ format: 'uuid' })),
    business_id: Type.Optional(Type.String({ format: 'uuid' })),
    currency_code: Type.Optional(Type.String({ description: 'The one currency of the totals: currency_conversion, or the balances\' own' })),
    total_assets: optionalMoney('Sum of the latest balances of assets; absent when the balances are in different currencies'),
    total_liabilities: optionalMoney('Sum of the latest balances of liabilities; likewise'),
    net_worth: optionalMoney('total_assets minus total_liabilities'),
    categories: Type.Array(
      Type.Object(
        {
          category: Type.Union([Type.String(), Type.Null()], { description: 'null for accounts without a category' }),
          total_balance: optionalMoney("Sum of the category's latest balances, when in one currency"),
          aggregation_accounts: Type.Array(HeldAwayAccount),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { title: 'AggregationAccountOverview', additionalProperties: false },
);

type Balance = EntityRecord<'aggregation_account_balance'>;

/** Held-away accounts by category with their latest balances, and net worth when the figures share a currency. */
async function heldAwayOverview(reader: EntityReader, owner: 'client' | 'business', id: string, target: string | undefined) {
  await reader.doc(owner, id);
  const accounts = await reader.records('aggregation_account', {
    where: owner === 'client' ? { client_id: id } : { business_id: id },
    order: (f) => `${f.column('create_date')}, ${f.column('id')}`,
  });
  const balances = accounts.length === 0 ? [] : await reader.records('aggregation_account_balance', {
    where: { aggregation_account_id: { in: accounts.map((a) => a.id) } },
    order: (f) => `${f.value('balance_time_stamp')} NULLS FIRST, ${f.column('create_date')}`,
  });
  const latest = new Map(balances.map((b) => [String(b.aggregation_account_id), b]));
  const dayOfBalance = (b: Balance) => dayOf(b.balance_time_stamp ?? b.create_date);
  const lastDay = [...latest.values()].reduce((max, b) => (dayOfBalance(b) > max ? dayOfBalance(b) : max), '');
  const converter = await converterFor(reader, target, [...latest.values()].map((b) => b.currency_code), lastDay);
  const amount = (b: Balance, field: 'balance' | 'available_balance'): Decimal | undefined => {
    const value = decimalOf(b[field]);
    return value === undefined ? undefined : converter.convert(value, b.currency_code, dayOfBalance(b));
  };

  const rows = accounts.map((account) => {
    const balance = latest.get(account.id);
    return {
      account,
      currency: target ?? balance?.currency_code,
      balance: balance && amount(balance, 'balance'),
      available: balance && amount(balance, 'available_balance'),
      stamp: balance?.balance_time_stamp,
    };
  });
  const currencies = new Set(rows.filter((r) => r.balance !== undefined).map((r) => r.currency));
  const oneCurrency = currencies.size <= 1;
  const sum = (items: typeof rows) => items.reduce((total, r) => total.plus(r.balance ?? ZERO), ZERO);
  const isAsset = (r: (typeof rows)[number]) => r.account.is_asset !== false;
  const assets = sum(rows.filter(isAsset));
  const liabilities = sum(rows.filter((r) => !isAsset(r)));
  const categories = new Map<string | null, typeof rows>();
  for (const row of rows) {
    const key = row.account.category ?? null;
    categories.set(key, [...(categories.get(key) ?? []), row]);
  }
  return {
    [`${owner}_id`]: id,
    ...(oneCurrency && currencies.size === 1 ? { currency_code: [...currencies][0] } : {}),
    ...(oneCurrency ? { total_assets: cents(assets), total_liabilities: cents(liabilities), net_worth: cents(assets.minus(liabilities)) } : {}),
    categories: [...categories].map(([category, members]) => ({
      category,
      ...(new Set(members.filter((r) => r.balance !== undefined).map((r) => r.currency)).size <= 1 ? { total_balance: cents(sum(members)) } : {}),
      aggregation_accounts: members.map((r) => ({
        aggregation_account_id: r.account.id,
        account_name: r.account.account_name,
        institution_name: r.account.institution_name,
        category: r.account.category,
        subcategory: r.account.subcategory,
        mask: r.account.mask,
        is_asset: isAsset(r),
        currency_code: r.currency ?? r.account.currency_code,
        ...(r.balance !== undefined ? { balance: cents(r.balance) } : {}),
        ...(r.available !== undefined ? { available_balance: cents(r.available) } : {}),
        ...(r.stamp ? { balance_time_stamp: r.stamp } : {}),
      })),
    })),
  };
}

/** GET /client/{id}/aggregation_account_overview and /business/{id}/aggregation_account_overview. */
export function aggregationOverviewRoutes(app: TypedRoutes, options: ViewRoutesOptions): void {
  for (const owner of ['client', 'business'] as const) {
    const idParam = `${owner}_id`;
    app.get(`/${owner}/:${idParam}/aggregation_account_overview`, {
      schema: {
        tags: [owner === 'client' ? 'Client' : 'Business'],
        summary: `Held-away accounts of a ${owner} by category`,
        description:
          `The aggregation accounts whose ${idParam} names the ${owner}, grouped by category, each with its latest balance; with the ` +
          'totals of assets and liabilities and the net worth. With currency_conversion, balances are converted at the stored FX rate of ' +
          'their date; without it, totals are given only when the balances share a currency.',
        operationId: `get_${owner}_aggregation_account_overview`,
        params: Type.Object({ [idParam]: Type.String({ format: 'uuid' }) }),
        querystring: query({ currency_conversion: param.currency_conversion }),
        response: { 200: AggregationAccountOverview, ...errorResponses },
      },
      handler: async (request) =>
        heldAwayOverview(
          EntityReader.asCaller(options, request.auth),
          owner,
          request.params[idParam],
          request.query.currency_conversion,
        ),
    });
  }
}
