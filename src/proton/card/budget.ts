import type { Static } from 'typebox';
import type { AuthContext } from '../../platform/auth/tokens.ts';
import { converterFor } from '../../platform/money/fx.ts';
import { CalculationError } from '../calculation-error.ts';
import { requireRecords, type NucleusAccess } from '../nucleus-records.ts';
import { EntityReader, type DocOf } from '../../platform/read/entity-reader.ts';
import { Decimal } from '../money.ts';
import { addDays } from '../calendar.ts';
import type { DayWindow } from './calendar-window.ts';
import { calendarPeriods, rollingPeriods } from './analysis-periods.ts';
import { FREQUENCY_UNITS } from './card-fields.ts';
import { totalCents } from './spending-breakdown.ts';
import { inOneCurrency, money, type SpendRecord } from './spending-sources.ts';
import { spendingPlaces, type SpendingPlaces } from './spending-selection.ts';
import { checkPeriods, scopedSpending } from './spending-analysis.ts';
import type { BudgetCalculatorRequest, BudgetCalculatorResponse } from './budget.schema.ts';

type Body = Static<typeof BudgetCalculatorRequest>;
type Answer = Static<typeof BudgetCalculatorResponse>;
type Details = NonNullable<Body['budget_details']>;

const same = (a: string | undefined, b: string) => a !== undefined && a.toLowerCase() === b.toLowerCase();

/** A stored budget in the shape of budget_details; a frequency_unit outside the spec's list cannot be analysed. */
function detailsOf(doc: DocOf<'budget'>): Details {
  const unit = doc.frequency_unit;
  if (!(FREQUENCY_UNITS as readonly string[]).includes(unit)) throw new CalculationError('budget_id', `the budget's frequency_unit "${unit}" is not one of ${FREQUENCY_UNITS.join(', ')}`);
  return {
    frequency_unit: unit as Details['frequency_unit'],
    frequency: typeof doc.frequency === 'number' && doc.frequency >= 1 ? doc.frequency : 1,
    ...(Array.isArray(doc.budget) ? { budget: doc.budget } : {}),
    ...(typeof doc.total_value === 'number' ? { total_value: doc.total_value } : {}),
    ...(typeof doc.currency_code === 'string' ? { currency_code: doc.currency_code } : {}),
    ...(typeof doc.client_id === 'string' ? { client_id: doc.client_id } : {}),
    ...(typeof doc.account_id === 'string' ? { account_id: doc.account_id } : {}),
    ...(Array.isArray(doc.aggregation_accounts) ? { aggregation_accounts: doc.aggregation_accounts } : {}),
    start_date: typeof doc.start_date === 'string' ? doc.start_date : null,
    end_date: typeof doc.end_date === 'string' ? doc.end_date : null,
  };
}

export async function calculateBudget(nucleus: NucleusAccess, auth: AuthContext, body: Body): Promise<Answer> {
  const reader = EntityReader.asCaller(nucleus, auth);
  let details: Details;
  let cardId: string | undefined;
  if (body.budget_id) {
    const doc = await reader.doc('budget', body.budget_id);
    details = detailsOf(doc);
    cardId = typeof doc.card_id === 'string' ? doc.card_id : undefined;
  } else if (body.budget_details) details = body.budget_details;
  else throw new CalculationError('budget_id', 'name a budget: budget_id or budget_details');
  await requireRecords(nucleus, auth, 'client', details.client_id ? [details.client_id] : null);
  await requireRecords(nucleus, auth, 'account', details.account_id ? [details.account_id] : null);
  const aggregation = (details.aggregation_accounts ?? []).map((a) => a.aggregation_account_id);
  await requireRecords(nucleus, auth, 'aggregation_account', aggregation);

  const asOf = body.as_of_date ?? new Date().toISOString().slice(0, 10);
  const periods = body.relative_lookback
    ? rollingPeriods(asOf, details.frequency_unit, details.frequency, body.lookback_periods)
    : calendarPeriods(asOf, details.frequency_unit, details.frequency, body.lookback_periods - 1);
  checkPeriods(periods, 'lookback_periods');

  const named = details.account_id || cardId || aggregation.length > 0;
  const places: SpendingPlaces = await spendingPlaces(reader, {
    ...(named ? {} : { client_ids: details.client_id ? [details.client_id] : [] }),
    ...(details.account_id ? { account_ids: [details.account_id] } : {}),
    ...(cardId ? { card_ids: [cardId] } : {}),
    aggregation_account_ids: aggregation,
  });
  const from = [periods[0].start, details.start_date].filter((d): d is string => !!d).reduce((a, b) => (a > b ? a : b));
  const until = [addDays(asOf, 1), details.end_date ? addDays(details.end_date, 1) : undefined].filter((d): d is string => !!d).reduce((a, b) => (a < b ? a : b));
  const filter = { from, until, statuses: body.transaction_status_scope, onlyCleansed: body.only_cleansed };
  const currency = body.currency_conversion ?? details.currency_code;
  const records = await inOneCurrency(reader, await scopedSpending(reader, places, body.scope, filter), currency, undefined, asOf);
  // Budget amounts are in the budget's currency; reported in currency_conversion at as_of_date.
  const budgetConverter = await converterFor(reader, currency, [details.currency_code], asOf);
  const budgetCents = (value: number) => budgetConverter.convert(new Decimal(value).times(100), details.currency_code, asOf).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber();

  const components = (details.budget ?? []).map((c) => ({ category: c.category, subcategory: c.subcategory ?? null, cents: budgetCents(c.value) }));
  const totalBudget = details.total_value !== undefined ? budgetCents(details.total_value) : components.reduce((sum, c) => sum + c.cents, 0);
  const matches = (component: (typeof components)[number], r: SpendRecord) =>
    same(r.category, component.category) && (component.subcategory === null || same(r.subcategory, component.subcategory));

  const periodBudget = (period: DayWindow) => {
    const inside = records.filter((r) => r.day >= period.start && r.day < period.end);
    const categories = components.map((component) => {
      const spent = totalCents(inside.filter((r) => matches(component, r)));
      return { category: component.category, subcategory: component.subcategory, budget: money(component.cents), spending: money(spent), remaining: money(component.cents - spent), is_over_budget: spent > component.cents };
    });
    const budgeted = inside.filter((r) => components.some((c) => matches(c, r)));
    const spent = totalCents(budgeted);
    return {
      period_start: period.start,
      period_end: addDays(period.end, -1),
      budget: money(totalBudget),
      spending: money(spent),
      other_spending: money(totalCents(inside) - spent),
      remaining: money(totalBudget - spent),
      is_over_budget: spent > totalBudget,
      categories,
    };
  };
  const track = periods.map(periodBudget);
  return {
    currency_code: currency ?? null,
    as_of_date: asOf,
    frequency_unit: details.frequency_unit,
    frequency: details.frequency,
    current: track[track.length - 1],
    budget_track: body.show_budget_track ? track : null,
    average_spend: body.show_average_spend
      ? components.map((component) => {
          const spent = totalCents(records.filter((r) => r.day >= periods[0].start && matches(component, r)));
          return { category: component.category, subcategory: component.subcategory, average_spending: new Decimal(spent).div(periods.length).div(100).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toNumber() };
        })
      : null,
  };
}
