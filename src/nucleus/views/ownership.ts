import { errors } from '../../platform/http/errors.ts';
import type { SqlParams } from '../../platform/list/filter.ts';
import type { Doc, StoredRecord } from '../../platform/entity/store.ts';
import type { ViewReader, Row } from './reader.ts';
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
  doc: Doc;
  /** The part of the portfolio that counts for the owner: 1, or a goal's weight as a fraction. */
  share: Decimal;
}

function ids(rows: Row[]): string[] {
  return rows.map((r) => r.id);
}

/** `r.doc->'<list>'` holds an element whose `<field>` is one of the values. */
function listHasAny(list: string, field: string, values: readonly string[], params: SqlParams): string {
  return `EXISTS (SELECT 1 FROM jsonb_array_elements(CASE WHEN jsonb_typeof(r.doc->'${list}') = 'array' THEN r.doc->'${list}' ELSE '[]'::jsonb END) e
    WHERE e->>'${field}' = ANY(${params.add([...values])}::text[]))`;
}

/** Condition on accounts (alias r): any of the clients is listed in its clients. */
export function listsAnyClient(clientIds: readonly string[]): (params: SqlParams) => string {
  return (params) => listHasAny('clients', 'client_id', clientIds, params);
}

/** The accounts on which any of the clients is listed. */
export async function accountsOfClients(reader: ViewReader, clientIds: readonly string[]): Promise<Row[]> {
  if (clientIds.length === 0) return [];
  return reader.select('account', listsAnyClient(clientIds), { tail: 'ORDER BY r.create_date, r.id' });
}

async function portfoliosOfAccounts(reader: ViewReader, accountIds: readonly string[]): Promise<Row[]> {
  if (accountIds.length === 0) return [];
  return reader.select('portfolio', (p) => `r.doc->>'account_id' = ANY(${p.add([...accountIds])}::text[])`, {
    tail: 'ORDER BY r.create_date, r.id',
  });
}

/** The clients an owner stands for; 404 when the owner does not exist. */
async function clientsOf(reader: ViewReader, kind: 'client' | 'household' | 'business', id: string): Promise<string[]> {
  const doc = await reader.doc(kind, id);
  if (kind === 'client') return [id];
  if (kind === 'household') {
    const members = Array.isArray(doc.members) ? (doc.members as { client_id?: string }[]) : [];
    return [...new Set(members.map((m) => m.client_id).filter((c): c is string => typeof c === 'string'))];
  }
  return ids(await reader.select('client', (p) => `r.doc->>'business_id' = ${p.add(id)}`));
}

/** A portfolio counted whole. */
export function ownedPortfolio(id: string, doc: Doc): OwnedPortfolio {
  return { id, accountId: String(doc.account_id), doc, share: ONE };
}

function whole(rows: Row[]): OwnedPortfolio[] {
  return rows.map((r) => ownedPortfolio(r.id, r.doc));
}

async function goalPortfolios(reader: ViewReader, goalId: string, clientId: string, portfolioGoal: boolean): Promise<OwnedPortfolio[]> {
  await reader.doc('goal', goalId);
  await reader.doc('client', clientId);
  const accounts = await accountsOfClients(reader, [clientId]);
  if (!portfolioGoal) {
    const withGoal = accounts.filter((a) => Array.isArray(a.doc.goals) && (a.doc.goals as { goal_id?: string }[]).some((g) => g.goal_id === goalId));
    return whole(await portfoliosOfAccounts(reader, ids(withGoal)));
  }
  const portfolios = await portfoliosOfAccounts(reader, ids(accounts));
  if (portfolios.length === 0) return [];
  // The latest mapping of each portfolio is the one in force.
  const mappings = await reader.select('portfolio_goal', (p) => `r.doc->>'portfolio_id' = ANY(${p.add(ids(portfolios))}::text[])`, {
    tail: `ORDER BY (r.doc->>'date')::date, r.create_date`,
  });
  const latest = new Map<string, Doc>();
  for (const mapping of mappings) latest.set(String(mapping.doc.portfolio_id), mapping.doc);
  const owned: OwnedPortfolio[] = [];
  for (const portfolio of portfolios) {
    const goals = (latest.get(portfolio.id)?.goals ?? []) as { goal_id: string; weight: number }[];
    const entry = goals.find((g) => g.goal_id === goalId);
    if (!entry) continue;
    const weight = decimalOf(entry.weight) ?? ZERO;
    owned.push({ id: portfolio.id, accountId: String(portfolio.doc.account_id), doc: portfolio.doc, share: weight.div(HUNDRED) });
  }
  return owned;
}

/** The portfolios that belong to an owner; 404 when the owner (or a goal's client) does not exist. */
export async function portfoliosOf(reader: ViewReader, owner: Owner): Promise<OwnedPortfolio[]> {
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
      return whole(await reader.byIds('portfolio', [String(card.portfolio_id)]));
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
  composition: StoredRecord;
}

/**
 * The models an allocation is composed of. An allocation's composition changes by adding
 * dated records, so for each model the latest record is the one in force. 404 when the
 * allocation does not exist.
 */
export async function modelsOfAllocation(reader: ViewReader, allocationId: string): Promise<AllocatedModel[]> {
  await reader.doc('allocation', allocationId);
  const records = await reader.records('allocation_composition', (p) => `r.doc->>'allocation_id' = ${p.add(allocationId)}`, `ORDER BY (r.doc->>'date')::date, r.create_date`);
  const latest = new Map<string, StoredRecord>();
  for (const record of records) latest.set(String(record.model_id), record);
  return [...latest.entries()].map(([modelId, record]) => ({
    modelId,
    currentWeight: decimalOf(record.current_weight as number) ?? ZERO,
    strategicWeight: decimalOf(record.strategic_weight as number) ?? ZERO,
    composition: record,
  }));
}
