import type { TypedRoutes } from '../../platform/http/typed-routes.ts';
import { Type, type TProperties } from 'typebox';
import { errors } from '../../platform/http/errors.ts';
import { errorResponses } from '../../platform/openapi/shared-schemas.ts';
import { assetSizeSeries, type AssetSizeRecord, type SeriesPoint } from './asset-size.ts';
import { benchmarkSeries } from './benchmark.ts';
import { loadDated, type DatedRow, type LoadOptions } from '../../platform/read/dated-rows.ts';
import { EntityReader } from '../../platform/read/entity-reader.ts';
import { converterFor } from '../../platform/money/fx.ts';
import { cents, decimalOf, HUNDRED, ZERO, type Decimal } from '../../platform/money/money.ts';
import { modelsOfAllocation, portfoliosOf, PORTFOLIOS_OF, type Owner } from './ownership.ts';
import { param, query, rangeOf, type SeriesQuery } from './params.ts';
import { AvailableDateDoubleVO, DateDoubleVO } from './schemas.ts';
import { MODEL_ASSET_SIZES, PORTFOLIO_ASSET_SIZES, SECURITY_PRICES } from './sources.ts';
import type { ViewRoutesOptions } from './routes.ts';

/**
 * The rows a series needs: with a sort type, the last of each period (and the cash flows);
 * for the latest point alone, the last of each year will do, as its last day is the same.
 */
function reduction(q: SeriesQuery, flows: string[]): LoadOptions['period'] {
  if (q.sort_type && q.sort_type !== 'D') return { sortType: q.sort_type, flows };
  return q.get_latest ? { sortType: 'Y', flows } : undefined;
}

function toAvailable(point: SeriesPoint, currency: string | undefined) {
  return {
    date: point.date,
    value: cents(point.value),
    cash_flow: cents(point.cashFlow),
    additions: cents(point.additions),
    ...(point.available ? { value_available: cents(point.available) } : {}),
    ...(point.pending ? { value_pending: cents(point.pending) } : {}),
    ...(currency ? { currency_code: currency } : {}),
  };
}

/** The value over time of an owner's portfolios, in one currency. */
async function ownerAssetSizes(reader: EntityReader, owner: Owner, q: SeriesQuery) {
  const range = rangeOf(q);
  let portfolios = await portfoliosOf(reader, owner);
  if (q.exclude_subledger) portfolios = portfolios.filter((p) => p.doc.is_subledger !== true);
  const portfolioCurrency = new Map(portfolios.map((p) => [p.id, p.doc.currency_code]));
  const rows = await loadDated(reader, PORTFOLIO_ASSET_SIZES, portfolios.map((p) => p.id), range, { period: reduction(q, ['cash_flow']) });
  const records: AssetSizeRecord[] = rows.map((row) => ({
    source: row.group,
    day: row.day,
    at: row.at,
    value: decimalOf(row.value) ?? ZERO,
    cashFlow: decimalOf(row.cash_flow) ?? ZERO,
    available: decimalOf(row.available),
    pending: decimalOf(row.pending),
    currency: row.currency ?? portfolioCurrency.get(row.group),
  }));
  const currencies = new Set(records.map((r) => r.currency).filter((c): c is string => !!c));
  if (!q.currency_conversion && currencies.size > 1) {
    throw errors.invalidField({ field: 'currency_conversion', problem: `is needed: the portfolios hold amounts in ${[...currencies].sort().join(', ')}` });
  }
  const lastDay = range.end ?? records.reduce((max, r) => (r.day > max ? r.day : max), '');
  const converter = await converterFor(reader, q.currency_conversion, currencies, lastDay);
  const series = assetSizeSeries(records, {
    range,
    sortType: q.sort_type,
    latestOnly: q.get_latest,
    shares: new Map(portfolios.map((p) => [p.id, p.share])),
    converter,
  });
  const currency = q.currency_conversion ?? (currencies.size === 1 ? [...currencies][0] : undefined);
  return series.map((point) => toAvailable(point, currency));
}

/** An allocation's value over time: its models' asset sizes, each at the model's weight in it. */
async function allocationAssetSizes(reader: EntityReader, allocationId: string, q: SeriesQuery) {
  const range = rangeOf(q);
  const models = await modelsOfAllocation(reader, allocationId);
  const shares = new Map<string, Decimal>(
    models.map((m) => [m.modelId, (q.is_current_weight === false ? m.strategicWeight : m.currentWeight).div(HUNDRED)]),
  );
  const rows = await loadDated(reader, MODEL_ASSET_SIZES, [...shares.keys()], range, { period: reduction(q, []) });
  const records = rows.map((row: DatedRow) => ({ source: row.group, day: row.day, at: row.at, value: decimalOf(row.value) ?? ZERO, cashFlow: ZERO }));
  return assetSizeSeries(records, { range, sortType: q.sort_type, latestOnly: q.get_latest, shares }).map((p) => ({ date: p.date, value: cents(p.value) }));
}

async function benchmarkAssetSizes(reader: EntityReader, benchmarkId: string, q: SeriesQuery) {
  const range = rangeOf(q);
  const benchmark = await reader.doc('benchmark', benchmarkId);
  const composition = (benchmark.composition ?? []).map((c) => ({
    securityId: c.security_id,
    weight: decimalOf(c.weight) ?? ZERO,
  }));
  // Not reduced per period: the day the 100 is invested must be the first day with every price.
  const rows = await loadDated(reader, SECURITY_PRICES, [...new Set(composition.map((c) => c.securityId))], range);
  const prices = rows.map((row) => ({ securityId: row.group, day: row.day, at: row.at, price: decimalOf(row.price) ?? ZERO }));
  return benchmarkSeries(composition, prices, { range, sortType: q.sort_type }).map((p) => ({ date: p.date, value: cents(p.value) }));
}

const SERIES_PARAMS = {
  start_date: param.start_date,
  end_date: param.end_date,
  get_latest: param.get_latest,
  sort_type: param.sort_type,
  currency_conversion: param.currency_conversion,
};

interface SeriesRoute {
  entity: string;
  tag: string;
  params: TProperties;
  description: string;
  response: object;
  compute(reader: EntityReader, id: string, q: SeriesQuery): Promise<object[]>;
}

/** GET /{entity}/{id}/asset_size for every entity that has one. */
export function assetSizeRoutes(app: TypedRoutes, options: ViewRoutesOptions): void {
  const portfolioBased = (kind: 'account' | 'client' | 'household' | 'business' | 'card', tag: string, withSubledger: boolean): SeriesRoute => ({
    entity: kind,
    tag,
    params: withSubledger ? { ...SERIES_PARAMS, exclude_subledger: param.exclude_subledger } : SERIES_PARAMS,
    description: `Value by date of ${PORTFOLIOS_OF[kind]}, summed per date with each portfolio at its last known value.`,
    response: AvailableDateDoubleVO,
    compute: (reader, id, q) => ownerAssetSizes(reader, { kind, id }, q),
  });
  const routes: SeriesRoute[] = [
    portfolioBased('account', 'Account', true),
    portfolioBased('client', 'Client', true),
    portfolioBased('household', 'Household', true),
    portfolioBased('business', 'Business', true),
    portfolioBased('card', 'Card', false),
    {
      entity: 'goal',
      tag: 'Goal',
      params: { ...SERIES_PARAMS, client_id: param.client_id, portfolio_goal: param.portfolio_goal },
      description: "Value by date of the portfolios serving the goal in the client's accounts.",
      response: AvailableDateDoubleVO,
      compute: (reader, id, q) =>
        ownerAssetSizes(reader, { kind: 'goal', id, clientId: q.client_id!, portfolioGoal: q.portfolio_goal === true }, q),
    },
    {
      entity: 'allocation',
      tag: 'Allocation',
      params: { start_date: param.start_date, end_date: param.end_date, get_latest: param.get_latest, sort_type: param.sort_type, is_current_weight: param.is_current_weight },
      description: "Value by date of the allocation's models: each model's asset size at its weight in the allocation's latest composition.",
      response: DateDoubleVO,
      compute: (reader, id, q) => allocationAssetSizes(reader, id, q),
    },
    {
      entity: 'benchmark',
      tag: 'Benchmark',
      params: { start_date: param.start_date, end_date: param.end_date, sort_type: param.sort_type },
      description:
        'Value by date of 100 invested in the benchmark on the first date every component has a price, split by the composition weights and held; from security_price.',
      response: DateDoubleVO,
      compute: (reader, id, q) => benchmarkAssetSizes(reader, id, q),
    },
  ];
  for (const route of routes) {
    const idParam = `${route.entity}_id`;
    app.get(`/${route.entity}/:${idParam}/asset_size`, {
      schema: {
        tags: [route.tag],
        summary: `Asset sizes of a ${route.entity} by date`,
        description: route.description,
        operationId: `get_${route.entity}_asset_size`,
        params: Type.Object({ [idParam]: Type.String({ format: 'uuid' }) }),
        querystring: query(route.params),
        response: { 200: Type.Array(route.response), ...errorResponses },
      },
      handler: async (request) => {
        const id = request.params[idParam];
        // One handler serves routes whose query schemas differ, each a part of SeriesQuery, so no one schema types it.
        return route.compute(EntityReader.asCaller(options, request.auth), id, request.query as SeriesQuery);
      },
    });
  }
}
