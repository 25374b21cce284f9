import type { AuthContext } from '../../platform/auth/tokens.ts';
import type { Queryable } from '../../platform/db/database.ts';
import { errors } from '../../platform/http/errors.ts';
import { EntityReader, type DocOf, type Row } from '../../platform/read/entity-reader.ts';
import type { NucleusAccess } from '../nucleus-records.ts';
import { controlOf, governsClient } from './card-spends.ts';
import { holderLock } from './holds.ts';
import type { SpendingControl } from './spending-rules.ts';

/** What a decision on one card reads about it. */
export interface CardRules {
  card: DocOf<'card'>;
  /** The portfolio the card draws on, where its holds are kept. */
  portfolio: string;
  clientId: string | null;
  /** The portfolios of all the holder's cards, whose spending its limits count. */
  portfolios: string[];
  controls: SpendingControl[];
}

interface CardRow {
  doc: DocOf<'card'>;
  portfolios: string[] | null;
  controls: Row<'spending_control'>[] | null;
}

/**
 * What an authorization reads about the card before its decision, in one statement: the card,
 * with the caller's rights (404 outside them), the portfolios of its client's cards, the
 * controls that govern them (read in the whole tenant, since a decision must not depend on who
 * asks), and the holder's lock. The spending is read by a later statement, whose snapshot
 * sees what the previous holder of the lock committed.
 */
export async function authorizationReads(tx: Queryable, nucleus: NucleusAccess, auth: AuthContext, cardId: string): Promise<CardRules> {
  const row = await readsStatement(EntityReader.asCaller(nucleus, auth).within(tx), cardId);
  const doc = row.doc;
  const portfolio = doc.portfolio_id;
  return {
    card: doc,
    portfolio,
    clientId: typeof doc.client_id === 'string' ? doc.client_id : null,
    portfolios: [...new Set([portfolio, ...(row.portfolios ?? [])])],
    controls: (row.controls ?? []).map((c) => controlOf(c.id, c.doc)),
  };
}

async function readsStatement(reader: EntityReader, id: string): Promise<CardRow> {
  const [r, c, s] = [reader.fields('card', 'r'), reader.fields('card', 'c'), reader.fields('spending_control', 's')];
  const table = (entity: 'card' | 'spending_control') => reader.store(entity).table;
  const [row] = await reader.query<CardRow>((params, readable) => {
    const cardId = params.add(id);
    const clientOfCard = `CASE WHEN jsonb_typeof(${r.json('client_id')}) = 'string' THEN ${r.text('client_id')} ELSE '' END`;
    // Whose limits the card spends against: its client, or the card itself when it names none.
    const holder = `COALESCE(NULLIF(${clientOfCard}, ''), r.id::text)`;
    const columns = [
      'r.doc',
      `(SELECT array_agg(DISTINCT ${c.text('portfolio_id')}) FROM ${table('card')} c
        WHERE c.tenant_id = r.tenant_id AND ${c.text('client_id')} = ${r.text('client_id')}) AS portfolios`,
      `(SELECT json_agg(json_build_object('id', s.id, 'doc', s.doc) ORDER BY s.create_date, s.id) FROM ${table('spending_control')} s
        WHERE s.tenant_id = r.tenant_id AND ${governsClient(s, clientOfCard, reader)}) AS controls`,
      `${holderLock('r.tenant_id', holder)} AS locked`,
    ];
    return `SELECT ${columns.join(', ')} FROM ${table('card')} r WHERE ${readable('card', 'r')} AND r.id = ${cardId}::uuid`;
  });
  if (!row) throw errors.notFound({ reason: `No card with id ${id}` });
  return row;
}
