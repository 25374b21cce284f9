import type { Doc } from '../../platform/entity/store.ts';
import { addDays } from '../calendar.ts';
import { HOLD_DAYS, type HeldAlike, type HoldRecord } from './holds.ts';
import { setRecent } from './recent-entries.ts';
import type { CardSpend, SpendingControl } from './spending-rules.ts';

/** What a decision on one card reads that changes only when a card, a control or a client does. */
export interface CardRules {
  card: Doc;
  /** Whose limits the card spends against: its client, or the card itself when it names none. */
  holder: string;
  clientId: string | null;
  /** The portfolios of all the holder's cards, whose spending its limits count. */
  portfolios: string[];
  controls: SpendingControl[];
}

interface HolderHolds {
  /** Every hold still in force on this day or later is here. */
  from: string;
  /** Holds alike in all but their id, by their day, amount, currency and facts. */
  alike: Map<string, HeldAlike>;
}

/**
 * The change counters (see change-counters.ts) that tell whether what is in memory still holds:
 * the rules' one moves with every write to cards, spending controls and clients (declared on
 * those entities) and every change to holds but the inserts authorizations make; the spending's
 * one with every write to portfolio transactions.
 */
export const CARD_RULES_COUNTER = 'card_rules';
export const CARD_SPENDING_COUNTER = 'card_spending';

// A card's rules with twenty controls take some kilobytes; this bounds the memory to tens of MB.
const MAX_CARDS = 5_000;
const MAX_HOLDERS = 5_000;

const memories = new WeakMap<object, CardMemory>();

/** The memory of one database (one per server, so that test servers never share it). */
export function cardMemoryOf(db: object): CardMemory {
  let memory = memories.get(db);
  if (!memory) memories.set(db, (memory = new CardMemory()));
  return memory;
}

// Facts read back from jsonb come in another key order than the request's.
const alikeKey = ({ day, cents, currency, ...facts }: CardSpend) =>
  JSON.stringify([day, cents, currency, Object.entries(facts).sort(([a], [b]) => (a < b ? -1 : 1))]);

/**
 * What card authorizations read, kept between decisions where the database runs one
 * transaction at a time (the embedded one), so that a decision reads almost nothing:
 * - a card's rules stay valid while the rules' change counter, read in the deciding
 *   transaction, stands where it stood when they were read (any write to cards, controls or
 *   clients, by any path, moves it);
 * - a holder's holds are read once; afterwards each new hold is added here by the transaction
 *   that inserts it. Only authorizations insert holds, and any other change to them moves a
 *   counter read with the others, which has them read again, as does a failed transaction.
 */
export class CardMemory {
  private readonly rules = new Map<string, { count: string; rules: CardRules }>();
  private readonly holds = new Map<string, HolderHolds>();

  /** The rules of a card as read when the rules' counter stood at `count`, if known. */
  rulesOf(tenantId: string, cardId: string): { count: string; rules: CardRules } | undefined {
    return this.rules.get(`${tenantId}:${cardId.toLowerCase()}`);
  }

  rememberRules(tenantId: string, cardId: string, count: string, rules: CardRules): void {
    setRecent(this.rules, `${tenantId}:${cardId.toLowerCase()}`, { count, rules }, MAX_CARDS);
  }

  /** Whether the holder's holds in force on `day` are known. */
  knowsHolds(tenantId: string, holder: string, day: string): boolean {
    const known = this.holds.get(`${tenantId}:${holder}`);
    return known !== undefined && known.from <= day;
  }

  /** Takes the holder's holds still in force on `from` or later, as read from the table. */
  rememberHolds(tenantId: string, holder: string, from: string, records: HoldRecord[]): void {
    const known: HolderHolds = { from, alike: new Map() };
    for (const record of records) add(known, record);
    setRecent(this.holds, `${tenantId}:${holder}`, known, MAX_HOLDERS);
  }

  /** A hold just inserted; a no-op when the holder's holds are not known. */
  holdAdded(tenantId: string, holder: string, record: HoldRecord): void {
    const known = this.holds.get(`${tenantId}:${holder}`);
    if (known) add(known, record);
  }

  forgetHolds(tenantId: string, holder: string): void {
    this.holds.delete(`${tenantId}:${holder}`);
  }

  /** The holder's holds in force on `day` and made for a day up to it, as activeHolds reads them. */
  activeHolds(tenantId: string, holder: string, day: string): HeldAlike[] {
    const known = this.holds.get(`${tenantId}:${holder}`);
    if (!known || known.from > day) throw new Error(`the holds of ${holder} on ${day} are not known`);
    // Holds that expired a hold's lifetime before this day are dropped; a decision dated
    // further back than that reads the holds again.
    const keepFrom = addDays(day, -HOLD_DAYS);
    if (keepFrom > known.from) known.from = keepFrom;
    const active: HeldAlike[] = [];
    for (const [key, alike] of known.alike) {
      const expiresOn = addDays(alike.spend.day, HOLD_DAYS);
      if (expiresOn <= known.from) known.alike.delete(key);
      else if (expiresOn > day && alike.spend.day <= day) active.push(alike);
    }
    return active;
  }
}

function add(known: HolderHolds, record: HoldRecord): void {
  const key = alikeKey(record.spend);
  const alike = known.alike.get(key);
  if (alike) alike.ids.push(record.id);
  else known.alike.set(key, { spend: record.spend, ids: [record.id] });
}
