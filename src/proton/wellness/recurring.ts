import { Decimal } from '../money.ts';
import { addDays, addMonths, daysBetween } from '../calendar.ts';

/** How often a recurring payment comes, with the calendar step from one to the next. */
export const RECURRENCES = [
  // Shortest first: a weekly series also has a payment near each monthly step, never the reverse.
  { frequency: 'weekly', perYear: 52, minOccurrences: 4, step: (day: string) => addDays(day, 7) },
  { frequency: 'monthly', perYear: 12, minOccurrences: 3, step: (day: string) => addMonths(day, 1) },
  { frequency: 'quarterly', perYear: 4, minOccurrences: 3, step: (day: string) => addMonths(day, 3) },
  { frequency: 'yearly', perYear: 1, minOccurrences: 2, step: (day: string) => addMonths(day, 12) },
] as const;

export type Recurrence = (typeof RECURRENCES)[number];
export type RecurrenceFrequency = Recurrence['frequency'];

/** What recurring detection needs of a payment. */
export interface Payment {
  id: string;
  day: string;
  amount: Decimal;
  /** Merchant or description: payments of one series share it. */
  label: string;
}

export interface Tolerances {
  /** Days a payment may fall before or after the date the previous one implies. */
  days: number;
  /** Fraction by which an amount may differ from the series' typical amount. */
  amount: number;
}

export interface Series<P extends Payment> {
  recurrence: Recurrence;
  payments: P[];
  typicalAmount: Decimal;
  nextExpected: string;
}

/** The middle amount (the mean of the two middle ones for an even count). */
export function median(amounts: readonly Decimal[]): Decimal {
  const sorted = [...amounts].sort((a, b) => a.comparedTo(b));
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : sorted[middle - 1].plus(sorted[middle]).div(2);
}

/** Payments of one series are recognised by their label, compared without case or spacing differences. */
export function labelKey(label: string): string {
  return label.trim().toLowerCase().replace(/\s+/g, ' ');
}

function closeInAmount(amount: Decimal, reference: Decimal, tolerance: number): boolean {
  return amount.minus(reference).abs().lte(reference.abs().times(tolerance));
}

/**
 * Grows a series from an anchor: each next payment is the unused one of the same label whose
 * day is nearest the date the previous payment implies (within the day tolerance) and whose
 * amount is within the amount tolerance of the series' median so far.
 */
function chainFrom<P extends Payment>(anchor: P, candidates: readonly P[], used: Set<string>, recurrence: Recurrence, tolerances: Tolerances): P[] {
  const chain = [anchor];
  for (;;) {
    const last = chain[chain.length - 1];
    const expected = recurrence.step(last.day);
    const reference = median(chain.map((p) => p.amount));
    let best: P | undefined;
    let bestDistance = Infinity;
    for (const candidate of candidates) {
      if (used.has(candidate.id) || candidate.day <= last.day) continue;
      const distance = Math.abs(daysBetween(expected, candidate.day));
      if (distance > tolerances.days || !closeInAmount(candidate.amount, reference, tolerances.amount)) continue;
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    if (!best) return chain;
    chain.push(best);
  }
}

/**
 * Whether payments like the series' (same label, amount within tolerance) fall between its
 * first and last payment without belonging to it: then the payments come more often than the
 * series says (a monthly bill seen as quarterly when some months drift) and the series is not
 * the pattern.
 */
function hasInterlopers<P extends Payment>(chain: readonly P[], group: readonly P[], tolerances: Tolerances): boolean {
  const members = new Set(chain.map((p) => p.id));
  const typical = median(chain.map((p) => p.amount));
  const first = chain[0].day;
  const last = chain[chain.length - 1].day;
  return group.some((p) => !members.has(p.id) && p.day > first && p.day < last && closeInAmount(p.amount, typical, tolerances.amount));
}

/**
 * Finds the recurring series among payments. Each label's payments are searched for series
 * of each recurrence in turn, shortest first; a payment belongs to one series at most, and a
 * series counts once it has the recurrence's minimum number of payments.
 */
export function findRecurring<P extends Payment>(payments: readonly P[], tolerances: Tolerances): Series<P>[] {
  const byLabel = new Map<string, P[]>();
  for (const payment of payments) {
    const key = labelKey(payment.label);
    const group = byLabel.get(key);
    if (group) group.push(payment);
    else byLabel.set(key, [payment]);
  }
  const found: Series<P>[] = [];
  for (const group of byLabel.values()) {
    group.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : a.id < b.id ? -1 : 1));
    const used = new Set<string>();
    for (const recurrence of RECURRENCES) {
      for (const anchor of group) {
        if (used.has(anchor.id)) continue;
        used.add(anchor.id);
        const chain = chainFrom(anchor, group, used, recurrence, tolerances);
        if (chain.length < recurrence.minOccurrences || hasInterlopers(chain, group, tolerances)) {
          used.delete(anchor.id);
          continue;
        }
        for (const payment of chain) used.add(payment.id);
        found.push({
          recurrence,
          payments: chain,
          typicalAmount: median(chain.map((p) => p.amount)),
          nextExpected: recurrence.step(chain[chain.length - 1].day),
        });
      }
    }
  }
  return found.sort((a, b) => (a.payments[0].day < b.payments[0].day ? -1 : a.payments[0].day > b.payments[0].day ? 1 : 0));
}
