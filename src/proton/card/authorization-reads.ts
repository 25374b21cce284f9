import type { AuthContext } from '../../platform/auth/tokens.ts';
import type { Queryable } from '../../platform/db/database.ts';
import type { Doc } from '../../platform/entity/store.ts';
import { errors } from '../../platform/http/errors.ts';
import { SqlParams } from '../../platform/list/filter.ts';
import { ViewReader } from '../../nucleus/views/reader.ts';
import type { NucleusAccess } from '../nucleus-records.ts';
import { controlOf, governsClient } from './card-spends.ts';
import { holderLock } from './holds.ts';
import type { SpendingControl } from './spending-rules.ts';

/** What a decision on one card reads about it. */
export interface CardRules {
  card: Doc;
  /** The portfolio the card draws on, where its holds are kept. */
  portfolio: string;
  clientId: string | null;
  /** The portfolios of all the holder's cards, whose spending its limits count. */
  portfolios: string[];
  controls: SpendingControl[];
}

interface Row {
  doc: Doc;
  portfolios: string[] | null;
  controls: { id: string; doc: Doc }[] | null;
}

/**
 * What an authorization reads about the card before its decision, in one statement: the card,
 * with the caller's rights (404 outside them), the portfolios of its client's cards, the
 * controls that govern them (read in the whole tenant, since a decision must not depend on who
 * asks), and the holder's lock. The spending is read by a later statement, whose snapshot
 * sees what the previous holder of the lock committed.
 */
export async function authorizationReads(tx: Queryable, nucleus: NucleusAccess, auth: AuthContext, cardId: string): Promise<CardRules> {
  const row = await readsStatement(tx, nucleus, auth, cardId);
  const doc = row.doc;
  const portfolio = String(doc.portfolio_id);
  return {
    card: doc,
    portfolio,
    clientId: typeof doc.client_id === 'string' ? doc.client_id : null,
    portfolios: [...new Set([portfolio, ...(row.portfolios ?? [])])],
    controls: (row.controls ?? []).map((c) => controlOf(c.id, c.doc)),
  };
}

async function readsStatement(tx: Queryable, nucleus: NucleusAccess, auth: AuthContext, id: string): Promise<Row> {
  const stores = new ViewReader(tx, auth, nucleus.stores);
  const table = (entity: string) => stores.store(entity).table;
  const params = new SqlParams([auth.tenantId]);
  const cardId = params.add(id);
  const clientOfCard = `CASE WHEN jsonb_typeof(r.doc->'client_id') = 'string' THEN r.doc->>'client_id' ELSE '' END`;
  // Whose limits the card spends against: its client, or the card itself when it names none.
  const holder = `COALESCE(NULLIF(${clientOfCard}, ''), r.id::text)`;
  const columns = [
    'r.doc',
    `(SELECT array_agg(DISTINCT c.doc->>'portfolio_id') FROM ${table('card')} c
      WHERE c.tenant_id = r.tenant_id AND c.doc->>'client_id' = r.doc->>'client_id') AS portfolios`,
    `(SELECT json_agg(json_build_object('id', s.id, 'doc', s.doc) ORDER BY s.create_date, s.id) FROM ${table('spending_control')} s
      WHERE s.tenant_id = r.tenant_id AND ${governsClient('s', clientOfCard, table('client'))}) AS controls`,
    `${holderLock('r.tenant_id', holder)} AS locked`,
  ];
  const scope = nucleus.acl.readScope(auth, 'card');
  const visible = scope ? ` AND (${scope(params, 'r')})` : '';
  const [row] = await tx.query<Row>(`SELECT ${columns.join(', ')} FROM ${table('card')} r WHERE r.tenant_id = $1 AND r.id = ${cardId}::uuid${visible}`, params.values);
  if (!row) throw errors.notFound({ reason: `No card with id ${id}` });
  return row;
}
