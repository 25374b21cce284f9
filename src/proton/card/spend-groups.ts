import type { DayWindow } from './calendar-window.ts';
import type { CardSpend, SpendingControl } from './spending-rules.ts';

type Fact = Exclude<keyof CardSpend, 'day' | 'cents' | 'count'>;

/** Every fact the rules may match a transaction on; a new CardSpend field must be added here. */
const FACTS: Record<Fact, true> = { currency: true, type: true, merchant: true, merchantId: true, mid: true, mcc: true, categoryId: true, category: true, country: true };
const FACT_NAMES = Object.keys(FACTS) as Fact[];
// The currency is keyed apart, since one naming none takes the currency its reader assumes.
const KEYED_FACTS = FACT_NAMES.filter((name) => name !== 'currency');

// Kept with the cached transactions themselves, so each is keyed once rather than on every decision.
const factKeys = new WeakMap<CardSpend, string>();

/** The facts of a transaction but its currency, as one string. */
function factsKey(spend: CardSpend): string {
  let key = factKeys.get(spend);
  if (key === undefined) {
    key = KEYED_FACTS.map((name) => spend[name] ?? '\u0001').join('\u0000');
    factKeys.set(spend, key);
  }
  return key;
}

/**
 * Earlier spending summed, for the limits of a decision on one day, into one entry per stretch
 * of days that each limit window holds whole or leaves out and per set of facts the rules
 * match on, so that a year of a busy card is added up as a few dozen entries whose sums and
 * counts are those of the transactions themselves. A transaction some control would convert
 * into its own currency stays as it is, since a conversion is made on its own day and rounded
 * to the cent on its own.
 */
export class SpendGroups {
  /** Ascending first days of the stretches. */
  private readonly starts: string[];
  /** The one currency of every control, or null when they differ. */
  private readonly currency: string | null;
  private readonly groups = new Map<string, CardSpend>();
  private readonly single: CardSpend[] = [];

  /** `windows` are the controls' limit windows on the decision's day; `fallback` the currency of a transaction that names none. */
  constructor(
    controls: readonly SpendingControl[],
    windows: readonly (DayWindow | null)[],
    private readonly fallback: string,
  ) {
    const bounds = new Set<string>();
    for (const window of windows) if (window) bounds.add(window.start).add(window.end);
    this.starts = [...bounds].sort();
    this.currency = controls.length > 0 && controls.every((c) => c.currency === controls[0].currency) ? controls[0].currency : null;
  }

  /** The same for two SpendGroups that sum alike. */
  get signature(): string {
    return `${this.starts.join(',')} ${this.currency} ${this.fallback}`;
  }

  /** Adds `times` transactions alike to `spend`. */
  add(spend: CardSpend, times = 1): void {
    const currency = spend.currency ?? this.fallback;
    const start = this.stretchOf(spend.day);
    if (currency !== this.currency || start === undefined) {
      for (let n = 0; n < times; n++) this.single.push(spend);
      return;
    }
    const key = `${start}\u0000${currency}\u0000${factsKey(spend)}`;
    const group = this.groups.get(key);
    if (group) {
      group.cents += spend.cents * times;
      group.count = (group.count ?? 1) + times;
    } else {
      const entry: CardSpend = { day: start, cents: spend.cents * times, count: times, currency, type: spend.type };
      for (const name of KEYED_FACTS) if (name !== 'type' && spend[name] !== undefined) entry[name] = spend[name];
      this.groups.set(key, entry);
    }
  }

  entries(): CardSpend[] {
    return [...this.groups.values(), ...this.single];
  }

  /** The first day of the stretch holding `day`; undefined outside every window. */
  private stretchOf(day: string): string | undefined {
    let found: string | undefined;
    for (const start of this.starts) {
      if (start > day) break;
      found = start;
    }
    return found === this.starts[this.starts.length - 1] ? undefined : found;
  }
}
