import type { TypedRoutes } from '../../platform/http/typed-routes.ts';
import { Type, type TObject } from 'typebox';
import { errors } from '../../platform/http/errors.ts';
import type { SqlParams } from '../../platform/list/filter.ts';
import type { Page } from '../../platform/list/paging.ts';
import type { Doc } from '../../platform/entity/store.ts';
import type { RowScope } from '../../platform/acl/access-control.ts';
import { EntityReader } from '../../platform/read/entity-reader.ts';
import { compileWhere } from '../../platform/read/where.ts';
import { errorResponses, pageSchema } from '../../platform/openapi/shared-schemas.ts';
import { dayOf } from '../../platform/calendar/days.ts';
import { converterFor } from '../../platform/money/fx.ts';
import { cents, decimalOf, rounded } from '../../platform/money/money.ts';
import { modelsOfAllocation, portfoliosOf, PORTFOLIOS_OF, type Owner, type OwnedPortfolio } from './ownership.ts';
import { listParams, pagingParams, param, query, rangeOf, type ViewListQuery } from './params.ts';
import type { ViewRoutesOptions } from './routes.ts';

/** Instants bounding a list by its date-time field; an end given as a day includes that whole day. */
interface Instants {
  from?: string;
  /** Exclusive when the end was a day (the next midnight), inclusive when it was an instant. */
  to?: string;
  toInclusive: boolean;
}

function dayInstants(q: ViewListQuery): Instants {
  const range = rangeOf(q);
  const next = range.end && new Date(Date.parse(`${range.end}T00:00:00Z`) + 86_400_000).toISOString();
  return { from: range.start && `${range.start}T00:00:00Z`, to: next, toInclusive: false };
}

/** `at` (a timestamptz) within the bounds; compared as instants, since a bound need not be in the stored text's form. */
function instantBounds(at: string, bounds: Instants, params: SqlParams): string {
  return [
    bounds.from ? `${at} >= ${params.add(bounds.from)}::timestamptz` : '',
    bounds.to ? `${at} ${bounds.toInclusive ? '<=' : '<'} ${params.add(bounds.to)}::timestamptz` : '',
  ]
    .filter(Boolean)
    .join(' AND ') || 'true';
}

function portfolioScope(reader: EntityReader, portfolios: readonly OwnedPortfolio[] | undefined, bounds: Instants): RowScope {
  return (params, alias) => {
    const f = reader.fields('portfolio_transaction', alias);
    const inPortfolios = portfolios ? compileWhere({ portfolio_id: { in: portfolios.map((p) => p.id) } }, f, params) : 'true';
    return `${inPortfolios} AND ${instantBounds(f.value('date'), bounds, params)}`;
  };
}

/**
 * Expresses the page's amounts in the currency asked for, each at the rate of its own date.
 * Filters and ordering have applied to the amounts as stored.
 */
async function converted(reader: EntityReader, page: Page<Doc>, target: string | undefined): Promise<Page<Doc>> {
  if (!target || page.content.length === 0) return page;
  const portfolioIds = [...new Set(page.content.map((t) => String(t.portfolio_id)))];
  const portfolioCurrency = new Map((await reader.byIds('portfolio', portfolioIds)).map((p) => [p.id, p.doc.currency_code]));
  const currencyOf = (t: Doc) => (t.currency_code as string | undefined) ?? portfolioCurrency.get(String(t.portfolio_id));
  const lastDay = page.content.reduce((max, t) => (dayOf(String(t.date)) > max ? dayOf(String(t.date)) : max), '');
  const converter = await converterFor(reader, target, page.content.map(currencyOf), lastDay);
  const content = page.content.map((t) => {
    const day = dayOf(String(t.date));
    const convert = (value: unknown) => converter.convert(decimalOf(value as number)!, currencyOf(t), day);
    return {
      ...t,
      ...(t.amount !== undefined ? { amount: cents(convert(t.amount)) } : {}),
      ...(t.balance !== undefined ? { balance: cents(convert(t.balance)) } : {}),
      // Prices are per share and may carry more places than a cent.
      ...(t.price !== undefined ? { price: rounded(convert(t.price), 6) } : {}),
      currency_code: target,
    };
  });
  return { ...page, content };
}

/** A page of the transactions of an owner's portfolios (or of the whole tenant, without an owner). */
async function ownerTransactions(reader: EntityReader, owner: Owner | undefined, q: ViewListQuery, bounds: Instants) {
  const portfolios = owner && (await portfoliosOf(reader, owner));
  const page = await reader.list('portfolio_transaction', q, portfolioScope(reader, portfolios, bounds));
  return converted(reader, page, q.currency_conversion);
}

const CONVERSION_NOTE =
  'With currency_conversion, amount, balance and price are expressed in that currency at the stored FX rate of each ' +
  "transaction's date; filters and ordering apply to the stored amounts.";

/** GET /{entity}/{id}/transaction, the card's GET and POST, and POST /portfolio_transaction_by_post. */
export function transactionRoutes(app: TypedRoutes, options: ViewRoutesOptions): void {
  const record = { ...options.stores.get('portfolio_transaction')!.schemas.record, $id: undefined };
  const page = pageSchema(record, 'PortfolioTransaction');
  const common = {
    ...listParams(options.maxPageSize, 'update_date'),
    start_date: param.start_date,
    end_date: param.end_date,
    currency_conversion: param.currency_conversion,
  };
  const owners: { entity: 'account' | 'client' | 'household' | 'business' | 'goal' | 'card'; tag: string; whose: string }[] = [
    { entity: 'account', tag: 'Account', whose: PORTFOLIOS_OF.account },
    { entity: 'client', tag: 'Client', whose: PORTFOLIOS_OF.client },
    { entity: 'household', tag: 'Household', whose: PORTFOLIOS_OF.household },
    { entity: 'business', tag: 'Business', whose: PORTFOLIOS_OF.business },
    { entity: 'goal', tag: 'Goal', whose: "the portfolios serving the goal in the client's accounts" },
    { entity: 'card', tag: 'Card', whose: PORTFOLIOS_OF.card },
  ];
  for (const { entity, tag, whose } of owners) {
    const idParam = `${entity}_id`;
    const schema = <Q extends TObject>(querystring: Q) => ({
      tags: [tag],
      summary: `Transactions of a ${entity}`,
      description: `The portfolio transactions of ${whose}, between start_date and end_date (whole days) when given. Paged and filtered like any list. ${CONVERSION_NOTE}`,
      operationId: `get_${entity}_transaction`,
      params: Type.Object({ [idParam]: Type.String({ format: 'uuid' }) }),
      querystring,
      response: { 200: page, ...errorResponses },
    });
    if (entity === 'goal') {
      app.get(`/${entity}/:${idParam}/transaction`, {
        schema: schema(query({ ...common, client_id: param.client_id, portfolio_goal: param.portfolio_goal })),
        handler: async (request) => {
          const q = request.query;
          const owner: Owner = { kind: 'goal', id: request.params[idParam], clientId: q.client_id, portfolioGoal: q.portfolio_goal };
          return ownerTransactions(EntityReader.asCaller(options, request.auth), owner, q, dayInstants(q));
        },
      });
    } else {
      app.get(`/${entity}/:${idParam}/transaction`, {
        schema: schema(query(common)),
        handler: async (request) => {
          const q = request.query;
          return ownerTransactions(EntityReader.asCaller(options, request.auth), { kind: entity, id: request.params[idParam] }, q, dayInstants(q));
        },
      });
    }
  }

  // Hydrogen also reads a card's transactions by POST, bounded by instants rather than days.
  app.post('/card/:card_id/transaction', {
    schema: {
      tags: ['Card'],
      summary: 'Transactions of a card (read by POST)',
      description: `The same list as GET, with start_date and end_date as date-times, both included. ${CONVERSION_NOTE}`,
      operationId: 'post_card_transaction',
      params: Type.Object({ card_id: Type.String({ format: 'uuid' }) }),
      querystring: query({ ...common, start_date: param.start_date_time, end_date: param.end_date_time }),
      response: { 200: page, ...errorResponses },
    },
    handler: async (request) => {
      const q = request.query;
      const from = q.start_date && new Date(q.start_date).toISOString();
      const to = q.end_date && new Date(q.end_date).toISOString();
      if (from && to && from > to) throw errors.invalidField({ field: 'start_date', problem: `must not be after end_date (${q.end_date})` });
      return ownerTransactions(EntityReader.asCaller(options, request.auth), { kind: 'card', id: request.params.card_id }, q, { from, to, toInclusive: true });
    },
  });

  app.post('/portfolio_transaction_by_post', {
    schema: {
      tags: ['Portfolio'],
      summary: 'List portfolio transactions (read by POST)',
      description: `Every portfolio transaction the caller may see, paged and filtered like GET /portfolio_transaction. ${CONVERSION_NOTE}`,
      operationId: 'post_portfolio_transaction_list',
      querystring: query({ ...listParams(options.maxPageSize, 'update_date'), currency_conversion: param.currency_conversion }),
      response: { 200: page, ...errorResponses },
    },
    handler: async (request) => ownerTransactions(EntityReader.asCaller(options, request.auth), undefined, request.query, { toInclusive: true }),
  });

  const modelTransactions = { ...options.stores.get('model_transaction')!.schemas.record, $id: undefined };
  app.get('/allocation/:allocation_id/transaction', {
    schema: {
      tags: ['Allocation'],
      summary: 'Model transactions of an allocation',
      description: "The transactions of the models in the allocation's latest composition, between start_date and end_date when given.",
      operationId: 'get_allocation_transaction',
      params: Type.Object({ allocation_id: Type.String({ format: 'uuid' }) }),
      querystring: query({ ...pagingParams(options.maxPageSize, 'update_date'), start_date: param.start_date, end_date: param.end_date }),
      response: { 200: pageSchema(modelTransactions, 'ModelTransaction'), ...errorResponses },
    },
    handler: async (request) => {
      const q = request.query;
      const range = rangeOf(q);
      const reader = EntityReader.asCaller(options, request.auth);
      const models = await modelsOfAllocation(reader, request.params.allocation_id);
      const inRange = range.start || range.end ? { date: { gte: range.start, lte: range.end } } : {};
      return reader.list('model_transaction', q, (params, alias) =>
        compileWhere({ model_id: { in: models.map((m) => m.modelId) }, ...inRange }, reader.fields('model_transaction', alias), params),
      );
    },
  });
}
