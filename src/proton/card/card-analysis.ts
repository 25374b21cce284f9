import type { Static } from 'typebox';
import type { AuthContext } from '../../platform/auth/tokens.ts';
import { EntityReader, type Row } from '../../platform/read/entity-reader.ts';
import { CalculationError } from '../calculation-error.ts';
import { requireRecords, type NucleusAccess } from '../nucleus-records.ts';
import { Decimal } from '../money.ts';
import { addDays } from '../calendar.ts';
import type { WindowUnit } from './calendar-window.ts';
import { periodsAcross } from './analysis-periods.ts';
import { byPeriod, totalCents } from './spending-breakdown.ts';
import { inOneCurrency, money, portfolioSpending, type SpendRecord } from './spending-sources.ts';
import { checkPeriods } from './spending-analysis.ts';
import type { CardAnalysisRequest, CardAnalysisResponse } from './card-analysis.schema.ts';

type Body = Static<typeof CardAnalysisRequest>;
type Answer = Static<typeof CardAnalysisResponse>;

const UNITS: Record<Body['history_frequency_interval'], WindowUnit> = { day: 'daily', week: 'weekly', month: 'monthly', quarter: 'quarterly', year: 'annually' };

interface Tally {
  cents: number;
  transactions: number;
}

/** Spending per key, every key present (zero when it spent nothing), largest first, cut to `limit`. */
function top<K extends string>(keys: Iterable<string>, spending: Map<string, Tally>, limit: number, field: K) {
  return [...new Set(keys)]
    .map((key) => ({ key, tally: spending.get(key) ?? { cents: 0, transactions: 0 } }))
    .sort((a, b) => b.tally.cents - a.tally.cents)
    .slice(0, limit)
    .map(({ key, tally }) => ({ [field]: key, spending: money(tally.cents), transactions: tally.transactions }) as Record<K, string> & { spending: number; transactions: number });
}

function tallyBy(records: readonly SpendRecord[], keyOf: (r: SpendRecord) => string | undefined): Map<string, Tally> {
  const tallies = new Map<string, Tally>();
  for (const record of records) {
    const key = keyOf(record);
    if (key === undefined) continue;
    const tally = tallies.get(key) ?? { cents: 0, transactions: 0 };
    tally.cents += record.cents;
    tally.transactions += 1;
    tallies.set(key, tally);
  }
  return tallies;
}

export async function analyseCards(nucleus: NucleusAccess, auth: AuthContext, body: Body): Promise<Answer> {
  if (!body.client_id && !body.business_id && !body.card_program_id) throw new CalculationError('client_id', 'name whose cards to analyse: client_id, business_id or card_program_id');
  await requireRecords(nucleus, auth, 'business', body.business_id ? [body.business_id] : null);
  await requireRecords(nucleus, auth, 'card_program', body.card_program_id ? [body.card_program_id] : null);
  const end = body.end_date ?? new Date().toISOString().slice(0, 10);
  if (body.start_date && body.start_date > end) throw new CalculationError('start_date', `is after the last day analysed (${end})`);
  const reader = EntityReader.asCaller(nucleus, auth);
  const business = body.business_id;
  const ofBusiness = business ? await reader.rows('client', { where: { business_id: business } }) : [];
  const cards = await reader.rows('card', {
    where: {
      client_id: body.client_id,
      card_program_id: body.card_program_id,
      status: body.card_status_scope ? { in: body.card_status_scope } : undefined,
    },
    // A business's cards are those naming it and those of its clients.
    and: business ? (f, p) => `${f.text('business_id')} = ${p.add(business)} OR ${f.text('client_id')} = ANY(${p.add(ofBusiness.map((c) => c.id))}::text[])` : undefined,
    order: (f) => `${f.column('create_date')}, ${f.column('id')}`,
  });
  const cardOfPortfolio = new Map<string, Row<'card'>>();
  for (const card of cards) if (!cardOfPortfolio.has(card.doc.portfolio_id)) cardOfPortfolio.set(card.doc.portfolio_id, card);
  const loaded = await portfolioSpending(reader, [...cardOfPortfolio.keys()], { ...(body.start_date ? { from: body.start_date } : {}), until: addDays(end, 1), statuses: body.transaction_status_scope });
  const records = await inOneCurrency(reader, loaded, body.currency_conversion, body.currency_code, end);
  const start = body.start_date ?? records[0]?.day ?? end;
  const periods = periodsAcross(start, end, UNITS[body.history_frequency_interval], 1);
  checkPeriods(periods, 'start_date');
  const clientIds = [...new Set(cards.map((c) => c.doc.client_id).filter((c): c is string => typeof c === 'string'))];
  const clients = new Map((await reader.byIds('client', clientIds)).map((c) => [c.id, c.doc]));
  const cardOf = (r: SpendRecord) => cardOfPortfolio.get(r.owner);
  const clientOf = (card: Row<'card'> | undefined) => card?.doc.client_id;
  const businessOf = (card: Row<'card'> | undefined) => card?.doc.business_id ?? clients.get(clientOf(card) ?? '')?.business_id;
  const byCard = tallyBy(records, (r) => cardOf(r)?.id);
  const total = totalCents(records);
  const limit = body.response_limit;
  return {
    currency_code: body.currency_conversion ?? body.currency_code ?? null,
    analysis_start: start,
    analysis_end: end,
    total_spending: money(total),
    transactions: records.length,
    average_transaction: records.length === 0 ? 0 : new Decimal(total).div(records.length).div(100).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toNumber(),
    cards: cards.length,
    cards_with_spending: byCard.size,
    cardholders: clientIds.length,
    history: body.show_history ? byPeriod(records, periods) : null,
    top_cards: body.show_top_cards
      ? top(cards.map((c) => c.id), byCard, limit, 'card_id').map((row) => ({ ...row, client_id: clientOf(cards.find((c) => c.id === row.card_id)) ?? null }))
      : null,
    top_cardholders: body.show_top_cardholders ? top(clientIds, tallyBy(records, (r) => clientOf(cardOf(r))), limit, 'client_id') : null,
    top_businesses: body.show_top_businesses
      ? top(cards.map(businessOf).filter((b): b is string => b !== undefined), tallyBy(records, (r) => businessOf(cardOf(r))), limit, 'business_id')
      : null,
  };
}
