import type { EntityReader } from '../../platform/read/entity-reader.ts';
import { accountsOfClients } from '../../nucleus/views/ownership.ts';

/** What a spending analysis names, by the request's id lists. */
export interface SpendingSelectors {
  client_ids?: readonly string[] | null;
  household_ids?: readonly string[] | null;
  business_ids?: readonly string[] | null;
  account_ids?: readonly string[] | null;
  card_ids?: readonly string[] | null;
  aggregation_account_ids?: readonly string[] | null;
  card_status_scope?: readonly string[] | null;
  only_active_clients?: boolean;
}

/** Where the selected spending is recorded. */
export interface SpendingPlaces {
  /** Portfolios of Nucleus accounts, card portfolios among them. */
  portfolios: string[];
  /** The card portfolios alone. */
  cardPortfolios: string[];
  aggregationAccounts: string[];
}

const ids = (rows: readonly { id: string }[]) => rows.map((r) => r.id);

/**
 * The places holding the spending of the selected clients, households, businesses, accounts,
 * cards and aggregation accounts, read with the caller's rights so that nothing the caller
 * cannot see is counted.
 */
export async function spendingPlaces(reader: EntityReader, selectors: SpendingSelectors): Promise<SpendingPlaces> {
  const households = await reader.byIds('household', selectors.household_ids ?? []);
  const members = households.flatMap((h) => (Array.isArray(h.doc.members) ? h.doc.members.map((m) => m.client_id) : []));
  const businesses = selectors.business_ids ?? [];
  const ofBusinesses = businesses.length ? await reader.rows('client', { where: { business_id: { in: businesses } } }) : [];
  let clients = [...new Set([...(selectors.client_ids ?? []), ...members.filter((m): m is string => typeof m === 'string'), ...ids(ofBusinesses)])];
  if (selectors.only_active_clients && clients.length) {
    clients = ids((await reader.byIds('client', clients)).filter((c) => c.doc.is_active !== false));
  }
  const ofClients = await accountsOfClients(reader, clients);
  const accounts = [...new Set([...ids(ofClients), ...(selectors.account_ids ?? [])])];
  const accountPortfolios = accounts.length ? await reader.rows('portfolio', { where: { account_id: { in: accounts } } }) : [];
  const cards = await reader.rows('card', {
    and: (f, p) =>
      [
        `${f.column('id')} = ANY(${p.add([...(selectors.card_ids ?? [])])}::uuid[])`,
        `${f.text('client_id')} = ANY(${p.add(clients)}::text[])`,
        `${f.text('business_id')} = ANY(${p.add([...businesses])}::text[])`,
        `${f.text('portfolio_id')} = ANY(${p.add(ids(accountPortfolios))}::text[])`,
      ].join(' OR '),
  });
  const statuses = selectors.card_status_scope;
  const left = statuses ? cards.filter((c) => !statuses.includes(String(c.doc.status))) : [];
  const excluded = new Set(left.map((c) => c.doc.portfolio_id));
  const cardPortfolios = [...new Set((statuses ? cards.filter((c) => statuses.includes(String(c.doc.status))) : cards).map((c) => c.doc.portfolio_id))];
  const portfolios = [...new Set([...ids(accountPortfolios), ...cardPortfolios])].filter((p) => !excluded.has(p));
  const aggregation = await reader.rows('aggregation_account', {
    and: (f, p) =>
      [
        `${f.column('id')} = ANY(${p.add([...(selectors.aggregation_account_ids ?? [])])}::uuid[])`,
        `${f.text('client_id')} = ANY(${p.add(clients)}::text[])`,
        `${f.text('business_id')} = ANY(${p.add([...businesses])}::text[])`,
      ].join(' OR '),
  });
  return { portfolios, cardPortfolios, aggregationAccounts: ids(aggregation) };
}
