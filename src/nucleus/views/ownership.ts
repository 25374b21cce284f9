import { errors } from '../../platform/http/errors.ts';
import type { SqlParams } from '../../platform/list/filter.ts';
import type { EntityName, EntityRecord } from '../../platform/entity/entity-records.ts';
import type { FieldExpressions } from '../../platform/read/fields.ts';
import type { DocOf, EntityReader, Row } from '../../platform/read/entity-reader.ts';
import { decimalOf, HUNDRED, ONE, ZERO, type Decimal } from '../../platform/money/money.ts';

/**
 * Which portfolios make up an entity's wealth. This is the one place that knows it:
 *   account   → its portfolios
 *   client    → the accounts listing the client in clients[] → their portfolios
 *   household → its members' clients → as for a client
 *   business  → the clients whose business_id names it → as for a client
 *   goal      → for one client: the client's accounts listing the goal in goals[] → their
 *               portfolios; or, with portfolio_goal, the client's portfolios whose latest
 *               portfolio_goal names the goal, each counted at the goal's weight
 *   card      → the portfolio the card draws on
 *   portfolio → itself
 */
export type Owner =
  | { kind: 'account' | 'client' | 'household' | 'business' | 'card' | 'portfolio'; id: string }
  | { kind: 'goal'; id: string; clientId: string; portfolioGoal: boolean };

/** Whose portfolios count, as the operation descriptions state it. */
export const PORTFOLIOS_OF = {
  account: "the account's portfolios",
  client: 'the portfolios of the accounts that list the client in clients',
  household: "the portfolios of the accounts of the household's members",
  business: 'the portfolios of the accounts of the clients whose business_id names the business',
  card: 'the portfolio the card draws on',
} as const;

export interface OwnedPortfolio {
  id: string;
  accountId: string;
  doc: DocOf<'portfolio'>;
  /** The part of the portfolio that counts for the owner: 1, or a goal's weight as a fraction. */
  share: Decimal;
}

function ids(rows: { id: string }[]): string[] {
  return rows.map((r) => r.id);
}

/** Condition on accounts: any of the clients is listed in its clients. */
export function listsAnyClient(clientIds: readonly string[]): (f: FieldExpressions<'account'>, params: SqlParams) => string {
  return (f, params) => {
    const clients = f.json('clients');
    return `EXISTS (SELECT 1 FROM jsonb_array_elements(CASE WHEN jsonb_typeof(${clients}) = 'array' THEN ${clients} ELSE '[]'::jsonb END) e
      WHERE e->>'client_id' = ANY(${params.add([...clientIds])}::text[]))`;
  };
}

function byCreation<N extends EntityName>(f: FieldExpressions<N>): string {
  return `${f.column('create_date')}, ${f.column('id')}`;
}

/** The accounts on which any of the clients is listed. */
export async function accountsOfClients(reader: EntityReader, clientIds: readonly string[]): Promise<Row<'account'>[]> {
  if (clientIds.length === 0) return [];
  return reader.rows('account', { and: listsAnyClient(clientIds), order: byCreation });
}

async function portfoliosOfAccounts(reader: EntityReader, accountIds: readonly string[]): Promise<Row<'portfolio'>[]> {
  if (accountIds.length === 0) return [];
  return reader.rows('portfolio', { where: { account_id: { in: accountIds } }, order: byCreation });
}

/** The clients an owner stands for; 404 when the owner does not exist. */
async function clientsOf(reader: EntityReader, kind: 'client' | 'household' | 'business', id: string): Promise<string[]> {
  if (kind === 'household') {
    const { members } = await reader.doc('household', id);
    return [...new Set((members ?? []).map((m) => m.client_id))];
  }
  await reader.doc(kind, id);
  if (kind === 'client') return [id];
  return ids(await reader.rows('client', { where: { business_id: id } }));
}

/** A portfolio counted whole. */
export function ownedPortfolio(id: string, doc: DocOf<'portfolio'>): OwnedPortfolio {
  return { id, accountId: doc.account_id, doc, share: ONE };
}

function whole(rows: Row<'portfolio'>[]): OwnedPortfolio[] {
  return rows.map((r) => ownedPortfolio(r.id, r.doc));
}

async function goalPortfolios(reader: EntityReader, goalId: string, clientId: string, portfolioGoal: boolean): Promise<OwnedPortfolio[]> {
  await reader.doc('goal', goalId);
  await reader.doc('client', clientId);
  const accounts = await accountsOfClients(reader, [clientId]);
  if (!portfolioGoal) {
    const withGoal = accounts.filter((a) => (a.doc.goals ?? []).some((g) => g.goal_id === goalId));
    return whole(await portfoliosOfAccounts(reader, ids(withGoal)));
  }
  const portfolios = await portfoliosOfAccounts(reader, ids(accounts));
  if (portfolios.length === 0) return [];
  // The latest mapping of each portfolio is the one in force.
  const mappings = await reader.rows('portfolio_goal', {
    where: { portfolio_id: { in: ids(portfolios) } },
    order: (f) => `${f.value('date')}, ${f.column('create_date')}`,
  });
  const latest = new Map(mappings.map((mapping) => [mapping.doc.portfolio_id, mapping.doc]));
  const owned: OwnedPortfolio[] = [];
  for (const portfolio of portfolios) {
    const entry = latest.get(portfolio.id)?.goals.find((g) => g.goal_id === goalId);
    if (!entry) continue;
    const weight = decimalOf(entry.weight) ?? ZERO;
    owned.push({ id: portfolio.id, accountId: portfolio.doc.account_id, doc: portfolio.doc, share: weight.div(HUNDRED) });
  }
  return owned;
}

/** The portfolios that belong to an owner; 404 when the owner (or a goal's client) does not exist. */
export async function portfoliosOf(reader: EntityReader, owner: Owner): Promise<OwnedPortfolio[]> {
  switch (owner.kind) {
    case 'account':
      await reader.doc('account', owner.id);
      return whole(await portfoliosOfAccounts(reader, [owner.id]));
    case 'portfolio': {
      const [row] = await reader.byIds('portfolio', [owner.id]);
      if (!row) throw errors.notFound({ reason: `No portfolio with id ${owner.id}` });
      return whole([row]);
    }
    case 'card': {
      const card = await reader.doc('card', owner.id);
      return whole(await reader.byIds('portfolio', [card.portfolio_id]));
    }
    case 'goal':
      return goalPortfolios(reader, owner.id, owner.clientId, owner.portfolioGoal);
    default: {
      const clients = await clientsOf(reader, owner.kind, owner.id);
      return whole(await portfoliosOfAccounts(reader, ids(await accountsOfClients(reader, clients))));
    }
  }
}

/** A model of an allocation, with its weights there in percent. */
export interface AllocatedModel {
  modelId: string;
  currentWeight: Decimal;
  strategicWeight: Decimal;
  /** The allocation_composition record in force. */
  composition: EntityRecord<'allocation_composition'>;
}

/**
 * The models an allocation is composed of. An allocation's composition changes by adding
 * dated records, so for each model the latest record is the one in force. 404 when the
 * allocation does not exist.
 */
export async function modelsOfAllocation(reader: EntityReader, allocationId: string): Promise<AllocatedModel[]> {
  await reader.doc('allocation', allocationId);
  const records = await reader.records('allocation_composition', {
    where: { allocation_id: allocationId },
    order: (f) => `${f.value('date')}, ${f.column('create_date')}`,
  });
  const latest = new Map(records.map((record) => [record.model_id, record]));
  return [...latest.entries()].map(([modelId, record]) => ({
    modelId,
    currentWeight: decimalOf(record.current_weight) ?? ZERO,
    strategicWeight: decimalOf(record.strategic_weight) ?? ZERO,
    composition: record,
  }));
}
