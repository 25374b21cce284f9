import type { TypedRoutes } from '../../platform/http/typed-routes.ts';
import { Type, type TSchema } from 'typebox';
import type { Doc } from '../../platform/entity/store.ts';
import type { EntityRecord } from '../../platform/entity/entity-records.ts';
import { EntityReader } from '../../platform/read/entity-reader.ts';
import { errorResponses } from '../../platform/openapi/shared-schemas.ts';
import { dayOf } from '../../platform/calendar/days.ts';
import { converterFor, type Converter } from '../../platform/money/fx.ts';
import { ownerHoldings } from './holding.routes.ts';
import { latestValues } from './latest-values.ts';
import { cents, decimalOf, HUNDRED, rounded, ZERO } from '../../platform/money/money.ts';
import { modelsOfAllocation, ownedPortfolio } from './ownership.ts';
import { defaulted } from '../../platform/http/typebox-schemas.ts';
import { param, query } from './params.ts';
import type { ViewRoutesOptions } from './routes.ts';

const SECURITY_ATTRIBUTES = ['asset_class', 'category', 'industry', 'sector', 'security_class'] as const;
type SecurityAttribute = (typeof SECURITY_ATTRIBUTES)[number];

const optionalString = () => Type.Optional(Type.String());
const Share = Type.Object(
  {
    name: Type.Union([Type.String(), Type.Null()], { description: 'The attribute value; null for securities without one' }),
    amount: Type.Number({ description: 'Value held, rounded to the cent' }),
    weight: Type.Number({ description: 'Percent of the holdings with an amount' }),
  },
  { additionalProperties: false },
);

const PortfolioAggregateData = Type.Object(
  {
    portfolio_id: Type.String({ format: 'uuid' }),
    portfolio_name: Type.String(),
    account_id: Type.String({ format: 'uuid' }),
    model_id: Type.Optional(Type.String({ format: 'uuid' })),
    currency_code: optionalString(),
    is_subledger: Type.Optional(Type.Boolean()),
    is_active: Type.Optional(Type.Boolean()),
    asset_size: Type.Optional(Type.Number({ description: 'Latest recorded value, rounded to the cent' })),
    asset_size_available: Type.Optional(Type.Number()),
    asset_size_date: Type.Optional(Type.String({ format: 'date' })),
    holdings: Type.Array(
      Type.Object(
        {
          security_id: Type.String({ format: 'uuid' }),
          security_name: optionalString(),
          security_ticker: optionalString(),
          date: Type.String({ format: 'date' }),
          shares: Type.Number(),
          amount: Type.Optional(Type.Number()),
          cost_basis: Type.Optional(Type.Number()),
          weight: Type.Optional(Type.Number({ description: 'Percent of the holdings with an amount' })),
          ...Object.fromEntries(SECURITY_ATTRIBUTES.map((a) => [a, optionalString()])),
        },
        { additionalProperties: false },
      ),
      { description: 'The latest holdings, with the security attributes asked for' },
    ),
    breakdowns: Type.Object(Object.fromEntries(SECURITY_ATTRIBUTES.map((a) => [a, Type.Optional(Type.Array(Share))])), {
      additionalProperties: false,
      description: 'The latest holdings by each security attribute asked for',
    }),
  },
  { title: 'PortfolioAggregateData', additionalProperties: false },
);

async function portfolioAggregate(reader: EntityReader, portfolioId: string, shown: Set<SecurityAttribute>) {
  const portfolio = await reader.get('portfolio', portfolioId);
  const currency = portfolio.currency_code;
  const owner = { kind: 'portfolio' as const, id: portfolioId };
  const [latest] = (await latestValues(reader, [ownedPortfolio(portfolioId, portfolio)])).values();
  const holdings = await ownerHoldings(reader, owner, { currency_conversion: currency });
  const securities = new Map((await reader.byIds('security', holdings.map((h) => h.security_id))).map((s) => [s.id, s.doc]));
  const attribute = (securityId: string, name: SecurityAttribute) => securities.get(securityId)?.[name];
  const breakdowns: Partial<Record<SecurityAttribute, { name: string | null; amount: number; weight: number }[]>> = {};
  const valued = holdings.filter((h) => h.amount !== undefined);
  const total = valued.reduce((sum, h) => sum.plus(decimalOf(h.amount)!), ZERO);
  for (const name of shown) {
    const groups = new Map<string | null, typeof total>();
    for (const h of valued) {
      const key = attribute(h.security_id, name) ?? null;
      groups.set(key, (groups.get(key) ?? ZERO).plus(decimalOf(h.amount)!));
    }
    breakdowns[name] = [...groups]
      .sort((a, b) => b[1].comparedTo(a[1]))
      .map(([key, amount]) => ({ name: key, amount: cents(amount), weight: total.isZero() ? 0 : rounded(amount.div(total).times(HUNDRED), 4) }));
  }
  return {
    portfolio_id: portfolio.id,
    portfolio_name: portfolio.name,
    account_id: portfolio.account_id,
    model_id: portfolio.model_id,
    currency_code: currency,
    is_subledger: portfolio.is_subledger,
    is_active: portfolio.is_active,
    ...(latest
      ? { asset_size: cents(latest.value), asset_size_date: latest.day, ...(latest.available ? { asset_size_available: cents(latest.available) } : {}) }
      : {}),
    holdings: holdings.map(({ currency_code: _inPortfolioCurrency, ...h }) => ({
      ...h,
      security_name: securities.get(h.security_id)?.name,
      security_ticker: securities.get(h.security_id)?.ticker,
      ...Object.fromEntries([...shown].map((name) => [name, attribute(h.security_id, name)])),
    })),
    breakdowns,
  };
}

const securityFields = {
  security_id: Type.String({ format: 'uuid' }),
  security_name: optionalString(),
  security_ticker: optionalString(),
  security_secondary_id: optionalString(),
  security_asset_class: optionalString(),
  security_industry: optionalString(),
  security_sector: optionalString(),
  security_security_class: optionalString(),
  security_exchange: optionalString(),
  security_create_date: Type.Optional(Type.String({ format: 'date-time' })),
  security_update_date: Type.Optional(Type.String({ format: 'date-time' })),
};
const SecurityCountryVO = Type.Object({ country: Type.String(), weight: Type.Number() }, { title: 'SecurityCountryVO' });
const AllocationAggregatedVO = Type.Object(
  {
    allocation_id: Type.String({ format: 'uuid' }),
    allocation_name: Type.String(),
    allocation_category: optionalString(),
    allocation_description: optionalString(),
    allocation_secondary_id: optionalString(),
    allocation_compositions: Type.Array(
      Type.Object({
        allocation_composition_id: Type.String({ format: 'uuid' }),
        allocation_composition_date: Type.String({ format: 'date' }),
        allocation_composition_create_date: Type.String({ format: 'date-time' }),
        allocation_composition_update_date: Type.String({ format: 'date-time' }),
        model_id: Type.String({ format: 'uuid' }),
        model_name: optionalString(),
        model_category: optionalString(),
        model_description: optionalString(),
        model_secondary_id: optionalString(),
        model_current_weight: Type.Number(),
        model_strategic_weight: Type.Number(),
        model_holdings: Type.Array(
          Type.Object({
            model_holding_id: Type.String({ format: 'uuid' }),
            model_holding_date: Type.String({ format: 'date' }),
            ...securityFields,
            security_countries: Type.Optional(Type.Array(SecurityCountryVO)),
            security_compositions: Type.Optional(
              Type.Array(
                Type.Object({
                  ...securityFields,
                  security_weight: Type.Number(),
                  start_date: Type.String({ format: 'date' }),
                  end_date: Type.String({ format: 'date' }),
                  security_countries: Type.Optional(Type.Array(SecurityCountryVO)),
                }),
              ),
            ),
          }),
          { description: "The model's latest holdings" },
        ),
      }),
      { description: 'The latest composition record of each model' },
    ),
  },
  { title: 'AllocationAggregatedVO' },
);

function securityVO(id: string, security: EntityRecord<'security'> | undefined) {
  if (!security) return { security_id: id };
  return {
    security_id: id,
    security_name: security.name,
    security_ticker: security.ticker,
    security_secondary_id: security.secondary_id,
    security_asset_class: security.asset_class,
    security_industry: security.industry,
    security_sector: security.sector,
    security_security_class: security.security_class,
    security_exchange: security.exchange,
    security_create_date: security.create_date,
    security_update_date: security.update_date,
    security_countries: security.security_country,
  };
}

async function securitiesById(reader: EntityReader, ids: string[]): Promise<Map<string, EntityRecord<'security'>>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  return new Map((await reader.records('security', { where: { id: { in: unique } } })).map((s) => [s.id, s]));
}

async function allocationAggregate(reader: EntityReader, allocationId: string) {
  const allocation = await reader.get('allocation', allocationId);
  const models = await modelsOfAllocation(reader, allocationId);
  const modelIds = models.map((m) => m.modelId);
  const modelRecords = new Map((await reader.byIds('model', modelIds)).map((m) => [m.id, m.doc]));
  const holdings = modelIds.length === 0 ? [] : await reader.records('model_holding', { where: { model_id: { in: modelIds } } });
  const latestDay = new Map<string, string>();
  for (const h of holdings) if (h.date > (latestDay.get(h.model_id) ?? '')) latestDay.set(h.model_id, h.date);
  const current = holdings.filter((h) => latestDay.get(h.model_id) === h.date);
  const held = await securitiesById(reader, current.map((h) => h.security_id));
  // A fund's components are described as its holdings are, though no model may hold them itself.
  const components = await securitiesById(
    reader,
    [...held.values()].flatMap((s) => (s.security_composition ?? []).map((c) => c.component_id)).filter((id) => !held.has(id)),
  );
  const securities = new Map([...held, ...components]);
  return {
    allocation_id: allocation.id,
    allocation_name: allocation.name,
    allocation_category: allocation.category,
    allocation_description: allocation.description,
    allocation_secondary_id: allocation.secondary_id,
    allocation_compositions: models.map((m) => {
      const model = modelRecords.get(m.modelId);
      return {
        allocation_composition_id: m.composition.id,
        allocation_composition_date: m.composition.date,
        allocation_composition_create_date: m.composition.create_date,
        allocation_composition_update_date: m.composition.update_date,
        model_id: m.modelId,
        model_name: model?.name,
        model_category: model?.category,
        model_description: model?.description,
        model_secondary_id: model?.secondary_id,
        model_current_weight: m.currentWeight.toNumber(),
        model_strategic_weight: m.strategicWeight.toNumber(),
        model_holdings: current
          .filter((h) => h.model_id === m.modelId)
          .map((h) => {
            const security = securities.get(h.security_id);
            return {
              model_holding_id: h.id,
              model_holding_date: h.date,
              ...securityVO(h.security_id, security),
              security_compositions: (security?.security_composition ?? []).map((c) => ({
                ...securityVO(c.component_id, securities.get(c.component_id)),
                security_weight: c.weight,
                start_date: c.start_date,
                end_date: c.end_date,
              })),
            };
          }),
      };
    }),
  };
}

/** Money fields of the held-away records, by where they sit in a record. */
const BALANCE_MONEY = ['balance', 'available_balance', 'available_credit'];
const HOLDING_MONEY = ['amount', 'cost_basis', 'price'];
const TRANSACTION_MONEY = ['bank_credit.amount', 'cash.amount', 'investment.price', 'investment.value', 'investment.fee'];
const RECENT_TRANSACTIONS = 25;

/** A copy of the record with its money fields in the converter's currency, at the rate of `day`. */
function convertRecord<R extends object>(record: R, paths: string[], converter: Converter, currency: string | undefined, day: string): R {
  if (!converter.target) return record;
  const copy = structuredClone(record) as Doc;
  for (const path of paths) {
    const keys = path.split('.');
    const parent = keys.slice(0, -1).reduce<Doc | undefined>((node, key) => node?.[key] as Doc | undefined, copy);
    const last = keys[keys.length - 1];
    const value = decimalOf(parent?.[last] as number | undefined);
    if (parent && value !== undefined) parent[last] = cents(converter.convert(value, currency, day));
  }
  copy.currency_code = converter.target;
  return copy as R;
}

async function aggregationAccountAggregate(reader: EntityReader, id: string, target: string | undefined) {
  const account = await reader.get('aggregation_account', id);
  const owned = { aggregation_account_id: id };
  const [balance] = await reader.records('aggregation_account_balance', {
    where: owned,
    order: (f) => `${f.value('balance_time_stamp')} DESC NULLS LAST, ${f.column('create_date')} DESC`,
    limit: 1,
  });
  const holdings = await reader.records('aggregation_account_holding', { where: owned, order: (f) => f.column('create_date') });
  const lastHoldingDate = holdings.reduce((max, h) => ((h.holding_date ?? '') > max ? (h.holding_date ?? '') : max), '');
  const latestHoldings = holdings.filter((h) => (h.holding_date ?? '') === lastHoldingDate);
  const transactions = await reader.records('aggregation_account_transaction', {
    where: owned,
    order: (f) => `${f.value('transaction_date')} DESC, ${f.column('create_date')} DESC`,
    limit: RECENT_TRANSACTIONS,
  });
  const fallbackCurrency = account.currency_code;
  const currencyOf = (r: { currency_code?: string }) => r.currency_code ?? fallbackCurrency;
  const dayAt = (stamp: string | undefined, r: { create_date: string }) => dayOf(stamp ?? r.create_date);
  const all = [...(balance ? [balance] : []), ...latestHoldings, ...transactions];
  const lastDay = all.reduce((max, r) => (dayOf(r.create_date) > max ? dayOf(r.create_date) : max), '');
  const converter = await converterFor(reader, target, all.map(currencyOf), lastDay);
  return {
    aggregation_account: account,
    ...(target ? { currency_code: target } : {}),
    ...(balance ? { balance: convertRecord(balance, BALANCE_MONEY, converter, currencyOf(balance), dayAt(balance.balance_time_stamp, balance)) } : {}),
    holdings: latestHoldings.map((h) => convertRecord(h, HOLDING_MONEY, converter, currencyOf(h), dayAt(h.holding_date, h))),
    recent_transactions: transactions.map((t) => convertRecord(t, TRANSACTION_MONEY, converter, currencyOf(t), dayAt(t.transaction_date, t))),
  };
}

/** GET /portfolio/{id}/aggregate_data, /allocation/{id}/aggregate_data and /aggregation_account/{id}/aggregate_data. */
export function aggregateDataRoutes(app: TypedRoutes, options: ViewRoutesOptions): void {
  const show = Object.fromEntries(SECURITY_ATTRIBUTES.map((a) => [`show_${a}`, defaulted(Type.Boolean({ default: true, description: `Include the securities' ${a}` }))]));
  app.get('/portfolio/:portfolio_id/aggregate_data', {
    schema: {
      tags: ['Portfolio'],
      summary: 'A portfolio with its latest value and holdings',
      description:
        "The portfolio, its latest asset size, its latest holdings (in the portfolio's currency, each with its security) and " +
        'the holdings broken down by each security attribute whose show_ flag is true.',
      operationId: 'get_portfolio_aggregate_data',
      params: Type.Object({ portfolio_id: Type.String({ format: 'uuid' }) }),
      querystring: query(show),
      response: { 200: PortfolioAggregateData, ...errorResponses },
    },
    handler: async (request) => {
      const q = request.query;
      const shown = new Set(SECURITY_ATTRIBUTES.filter((a) => q[`show_${a}`] !== false));
      return portfolioAggregate(EntityReader.asCaller(options, request.auth), request.params.portfolio_id, shown);
    },
  });

  app.get('/allocation/:allocation_id/aggregate_data', {
    schema: {
      tags: ['Allocation'],
      summary: 'An allocation with its models and their holdings',
      description: "The allocation, the latest composition record of each of its models, and each model's latest holdings with their securities.",
      operationId: 'get_allocation_aggregate_data',
      params: Type.Object({ allocation_id: Type.String({ format: 'uuid' }) }),
      response: { 200: AllocationAggregatedVO, ...errorResponses },
    },
    handler: async (request) => allocationAggregate(EntityReader.asCaller(options, request.auth), request.params.allocation_id),
  });

  const record = (entity: string): TSchema => ({ ...options.stores.get(entity)!.schemas.record, $id: undefined }) as unknown as TSchema;
  app.get('/aggregation_account/:aggregation_account_id/aggregate_data', {
    schema: {
      tags: ['AggregationAccount'],
      summary: 'A held-away account with its latest balance, holdings and transactions',
      description:
        `The aggregation account, its latest balance, the holdings of its latest holding_date and its ${RECENT_TRANSACTIONS} newest ` +
        "transactions. With currency_conversion, their amounts are expressed in that currency at the stored FX rate of each record's date.",
      operationId: 'get_aggregation_account_aggregate_data',
      params: Type.Object({ aggregation_account_id: Type.String({ format: 'uuid' }) }),
      querystring: query({ currency_conversion: param.currency_conversion }),
      response: {
        200: Type.Object(
          {
            aggregation_account: record('aggregation_account'),
            currency_code: Type.Optional(Type.String({ description: 'currency_conversion, when given' })),
            balance: Type.Optional(record('aggregation_account_balance')),
            holdings: Type.Array(record('aggregation_account_holding')),
            recent_transactions: Type.Array(record('aggregation_account_transaction')),
          },
          { title: 'AggregationAccountAggregateData' },
        ),
        ...errorResponses,
      },
    },
    handler: async (request) =>
      aggregationAccountAggregate(
        EntityReader.asCaller(options, request.auth),
        request.params.aggregation_account_id,
        request.query.currency_conversion,
      ),
  });
}
