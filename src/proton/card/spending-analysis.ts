import type { Static } from 'typebox';
import type { AuthContext } from '../../platform/auth/tokens.ts';
import { CalculationError } from '../calculation-error.ts';
import { requireRecords, type NucleusAccess } from '../nucleus-records.ts';
import { EntityReader } from '../../platform/read/entity-reader.ts';
import { Decimal } from '../money.ts';
import type { DayWindow } from './calendar-window.ts';
import { addDays } from '../calendar.ts';
import { calendarPeriods, periodsAcross } from './analysis-periods.ts';
import { byCategory, byMerchant, byPeriod, totalCents } from './spending-breakdown.ts';
import { aggregationSpending, inOneCurrency, money, portfolioSpending, type SourceFilter, type SpendRecord } from './spending-sources.ts';
import { spendingPlaces, type SpendingPlaces } from './spending-selection.ts';
import type { SpendingAnalysisRequest, SpendingAnalysisResponse } from './spending-analysis.schema.ts';

type Body = Static<typeof SpendingAnalysisRequest>;
type Answer = Static<typeof SpendingAnalysisResponse>;

/** A request may not ask for more periods than this; each is a row of the answer. */
export const MAX_PERIODS = 5000;

export function checkPeriods(periods: DayWindow[], field: string): void {
  if (periods.length > MAX_PERIODS) throw new CalculationError(field, `asks for ${periods.length} periods; at most ${MAX_PERIODS}`);
}

/** The spending recorded at the places of the given scope, in the filter's days. */
export async function scopedSpending(reader: EntityReader, places: SpendingPlaces, scope: 'all' | 'external' | 'internal' | 'cards', filter: SourceFilter): Promise<SpendRecord[]> {
  const internal = scope === 'cards' ? places.cardPortfolios : scope === 'external' ? [] : places.portfolios;
  const external = scope === 'all' || scope === 'external' ? places.aggregationAccounts : [];
  return [...(await portfolioSpending(reader, internal, filter)), ...(await aggregationSpending(reader, external, filter))];
}

export async function analyseSpending(nucleus: NucleusAccess, auth: AuthContext, body: Body): Promise<Answer> {
  const named = ['client_ids', 'household_ids', 'business_ids', 'account_ids', 'card_ids', 'aggregation_account_ids'] as const;
  if (named.every((name) => !body[name])) throw new CalculationError('client_ids', `name whose spending to analyse: one of ${named.join(', ')}`);
  await requireRecords(nucleus, auth, 'client', body.client_ids);
  await requireRecords(nucleus, auth, 'household', body.household_ids);
  await requireRecords(nucleus, auth, 'business', body.business_ids);
  await requireRecords(nucleus, auth, 'card', body.card_ids);
  const end = body.end_date ?? body.as_of_date ?? new Date().toISOString().slice(0, 10);
  if (body.start_date && body.start_date > end) throw new CalculationError('start_date', `is after the last day analysed (${end})`);
  const periods = body.start_date
    ? periodsAcross(body.start_date, end, body.frequency_unit, body.frequency)
    : calendarPeriods(end, body.frequency_unit, body.frequency, body.lookback_periods);
  checkPeriods(periods, body.start_date ? 'start_date' : 'lookback_periods');
  const reader = EntityReader.asCaller(nucleus, auth);
  const places = await spendingPlaces(reader, body);
  const filter: SourceFilter = {
    from: periods[0].start,
    until: addDays(end, 1),
    statuses: body.transaction_status_scope,
    onlyCleansed: body.only_cleansed,
    categoryIds: body.transaction_category_scope ?? null,
    merchantIds: body.merchant_scope ?? null,
  };
  const records = await inOneCurrency(reader, await scopedSpending(reader, places, body.scope, filter), body.currency_conversion, body.currency_code, end);
  const total = totalCents(records);
  return {
    currency_code: body.currency_conversion ?? body.currency_code ?? null,
    analysis_start: periods[0].start,
    analysis_end: end,
    total_spending: money(total),
    transactions: records.length,
    average_period_spending: new Decimal(total).div(periods.length).div(100).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toNumber(),
    periods: periods.length,
    by_period: body.show_by_period ? byPeriod(records, periods) : null,
    by_merchant: body.show_by_merchant ? byMerchant(records) : null,
    by_category: body.show_by_category ? byCategory(records) : null,
  };
}
