import type { TypedRoutes } from '../../platform/http/typed-routes.ts';
import { Type, type TObject } from 'typebox';
import type { AuthContext } from '../../platform/auth/tokens.ts';
import { errors } from '../../platform/http/errors.ts';
import { pageComputed } from '../../platform/list/computed.ts';
import { errorResponses, pageSchema } from '../../platform/openapi/shared-schemas.ts';
import { loadDated } from '../../platform/read/dated-rows.ts';
import { EntityReader } from '../../platform/read/entity-reader.ts';
import { converterFor } from '../../platform/money/fx.ts';
import { aggregateHoldings, allocationHoldings, priceLookup, type HoldingLine } from './holdings.ts';
import { cents, decimalOf, rounded, ZERO } from '../../platform/money/money.ts';
import { modelsOfAllocation, portfoliosOf, PORTFOLIOS_OF, type Owner } from './ownership.ts';
import { listParams, param, query, rangeOf, type RangeQuery, type ViewListQuery } from './params.ts';
import { ModelHoldingVO, PortfolioHoldingAgg, recordSchema } from './schemas.ts';
import { MODEL_HOLDINGS, PORTFOLIO_HOLDINGS, SECURITY_PRICES } from './sources.ts';
import type { ViewRoutesOptions } from './routes.ts';

/** Shares are reported to eight places, as fractional shares and crypto units need; weights to four. */
const SHARE_PLACES = 8;
const WEIGHT_PLACES = 4;

/** Without dates, holdings are those of the latest date; with dates, those of every date in range. */
function latestOnly(q: RangeQuery & { get_latest?: boolean }): boolean {
  return q.get_latest ?? (q.start_date === undefined && q.end_date === undefined);
}

export type HoldingQuery = RangeQuery & { get_latest?: boolean; currency_conversion?: string };

/** An owner's holdings by security and date, in one currency. */
export async function ownerHoldings(reader: EntityReader, owner: Owner, q: HoldingQuery) {
  const range = rangeOf(q);
  const onlyLatest = latestOnly(q);
  const portfolios = await portfoliosOf(reader, owner);
  const portfolioCurrency = new Map(portfolios.map((p) => [p.id, p.doc.currency_code]));
  const rows = await loadDated(reader, PORTFOLIO_HOLDINGS, portfolios.map((p) => p.id), range, { latestOnly: onlyLatest });
  const lines: HoldingLine[] = rows.map((row) => ({
    source: row.group,
    day: row.day,
    at: row.at,
    item: String(row.security),
    shares: decimalOf(row.shares) ?? ZERO,
    amount: decimalOf(row.amount),
    costBasis: decimalOf(row.cost_basis),
    currency: row.currency ?? portfolioCurrency.get(row.group),
  }));
  const unvalued = [...new Set(lines.filter((l) => l.amount === undefined).map((l) => l.item))];
  const lastDay = range.end ?? lines.reduce((max, l) => (l.day > max ? l.day : max), '');
  const priceRows = unvalued.length === 0 ? [] : await loadDated(reader, SECURITY_PRICES, unvalued, { start: range.start, end: lastDay }, { latestOnly: onlyLatest });
  const prices = priceRows.map((row) => ({ securityId: row.group, day: row.day, at: row.at, price: decimalOf(row.price) ?? ZERO, currency: row.currency ?? undefined }));
  const currencies = new Set([...lines.map((l) => l.currency), ...prices.map((p) => p.currency)].filter((c): c is string => !!c));
  if (!q.currency_conversion && currencies.size > 1) {
    throw errors.invalidField({ field: 'currency_conversion', problem: `is needed: the holdings are in ${[...currencies].sort().join(', ')}` });
  }
  const converter = await converterFor(reader, q.currency_conversion, currencies, lastDay);
  const currency = q.currency_conversion ?? (currencies.size === 1 ? [...currencies][0] : undefined);
  const aggregates = aggregateHoldings(lines, {
    range,
    latestOnly: onlyLatest,
    shares: new Map(portfolios.map((p) => [p.id, p.share])),
    converter,
    priceOf: priceLookup(prices),
  });
  return aggregates.map((h) => ({
    date: h.date,
    security_id: h.securityId,
    shares: rounded(h.shares, SHARE_PLACES),
    ...(h.amount !== undefined ? { amount: cents(h.amount) } : {}),
    ...(h.costBasis !== undefined ? { cost_basis: cents(h.costBasis) } : {}),
    ...(h.weight !== undefined ? { weight: rounded(h.weight, WEIGHT_PLACES) } : {}),
    ...(currency ? { currency_code: currency } : {}),
  }));
}

const HOLDING_RECORD = recordSchema(PortfolioHoldingAgg);

/** GET /{entity}/{id}/holding. */
export function holdingRoutes(app: TypedRoutes, options: ViewRoutesOptions): void {
  const common = {
    ...listParams(options.maxPageSize, 'date'),
    start_date: param.start_date,
    end_date: param.end_date,
    get_latest: param.get_latest,
    currency_conversion: param.currency_conversion,
  };
  const owners: { entity: 'account' | 'client' | 'household' | 'business' | 'goal'; tag: string; whose: string }[] = [
    { entity: 'account', tag: 'Account', whose: PORTFOLIOS_OF.account },
    { entity: 'client', tag: 'Client', whose: PORTFOLIOS_OF.client },
    { entity: 'household', tag: 'Household', whose: PORTFOLIOS_OF.household },
    { entity: 'business', tag: 'Business', whose: PORTFOLIOS_OF.business },
    { entity: 'goal', tag: 'Goal', whose: "the portfolios serving the goal in the client's accounts" },
  ];
  for (const { entity, tag, whose } of owners) {
    const idParam = `${entity}_id`;
    const schema = <Q extends TObject>(querystring: Q) => ({
      tags: [tag],
      summary: `Holdings of a ${entity} by security`,
      description:
        `Holdings of ${whose}, added up by security: shares, amount (recorded, or shares times the latest price), ` +
        "cost basis and weight in the date's total. Each portfolio counts with its last holdings as of the date. Without " +
        'start_date or end_date (or with get_latest) only the latest date is returned, otherwise every date in range. ' +
        'Paged, ordered and filtered like any list, over these fields.',
      operationId: `get_${entity}_holding`,
      params: Type.Object({ [idParam]: Type.String({ format: 'uuid' }) }),
      querystring,
      response: { 200: pageSchema(PortfolioHoldingAgg, 'PortfolioHoldingAgg'), ...errorResponses },
    });
    const holdings = async (auth: AuthContext, owner: Owner, q: ViewListQuery) => {
      const reader = EntityReader.asCaller(options, auth);
      return pageComputed(reader.db, await ownerHoldings(reader, owner, q), HOLDING_RECORD, q);
    };
    if (entity === 'goal') {
      app.get(`/${entity}/:${idParam}/holding`, {
        schema: schema(query({ ...common, client_id: param.client_id, portfolio_goal: param.portfolio_goal })),
        handler: async (request) => {
          const q = request.query;
          return holdings(request.auth, { kind: 'goal', id: request.params[idParam], clientId: q.client_id, portfolioGoal: q.portfolio_goal }, q);
        },
      });
    } else {
      app.get(`/${entity}/:${idParam}/holding`, {
        schema: schema(query(common)),
        handler: async (request) => holdings(request.auth, { kind: entity, id: request.params[idParam] }, request.query),
      });
    }
  }

  app.get('/allocation/:allocation_id/holding', {
    schema: {
      tags: ['Allocation'],
      summary: 'Securities of an allocation by weight',
      description:
        "What the allocation holds through the models of its latest composition: each security's weight in a model times " +
        "the model's weight in the allocation, added up. Without dates, the latest model holdings; with dates, every date in range.",
      operationId: 'get_allocation_holding',
      params: Type.Object({ allocation_id: Type.String({ format: 'uuid' }) }),
      querystring: query({ start_date: param.start_date, end_date: param.end_date }),
      response: { 200: Type.Array(ModelHoldingVO), ...errorResponses },
    },
    handler: async (request) => {
      const q = request.query;
      const range = rangeOf(q);
      const reader = EntityReader.asCaller(options, request.auth);
      const models = await modelsOfAllocation(reader, request.params.allocation_id);
      const weights = new Map(models.map((m) => [m.modelId, { current: m.currentWeight, strategic: m.strategicWeight }]));
      const rows = await loadDated(reader, MODEL_HOLDINGS, [...weights.keys()], range, { latestOnly: latestOnly(q) });
      const lines = rows.map((row) => ({
        source: row.group,
        day: row.day,
        at: row.at,
        item: String(row.security),
        currentWeight: decimalOf(row.current_weight) ?? ZERO,
        strategicWeight: decimalOf(row.strategic_weight) ?? ZERO,
      }));
      return allocationHoldings(lines, weights, { range, latestOnly: latestOnly(q) }).map((h) => ({
        date: h.date,
        security_id: h.securityId,
        current_weight: rounded(h.currentWeight, WEIGHT_PLACES),
        strategic_weight: rounded(h.strategicWeight, WEIGHT_PLACES),
      }));
    },
  });
}
