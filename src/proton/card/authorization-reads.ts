import type { AuthContext } from '../../platform/auth/tokens.ts';
import type { Queryable } from '../../platform/db/database.ts';
import type { Doc } from '../../platform/entity/store.ts';
import { ApiError } from '../../platform/http/api-error.ts';
import { SqlParams } from '../../platform/list/filter.ts';
import { ViewReader } from '../../nucleus/views/reader.ts';
import type { NucleusAccess } from '../nucleus-records.ts';
import { cardRowOf, changedRowsSql, controlOf, governsClient, type SpendRow } from './card-spends.ts';
import { holderLock } from './holds.ts';
import type { SpendingControl } from './spending-rules.ts';
import type { ChangesRead } from './spend-cache.ts';

/** What a decision on one card reads about it. */
export interface CardRules {
  card: Doc;
  /** Whose limits the card spends against: its client, or the card itself when it names none. */
  holder: string;
  clientId: string | null;
  /** The portfolios of all the holder's cards, whose spending its limits count. */
  portfolios: string[];
  controls: SpendingControl[];
}

export interface AuthorizationReads extends CardRules {
  /** The card transactions changed since the spend cache last read them, when it had. */
  changes?: ChangesRead;
}

interface Row {
  doc: Doc;
  holder: string;
  portfolios: string[] | null;
  controls: { id: string; doc: Doc }[] | null;
  changed?: SpendRow[];
}

export interface ReadsWanted {
  cardId: string;
  /** The decision's day, whose holds count. */
  day: string;
  /** What the spend cache wants read of the card's spending, if anything short of everything. */
  changes?: { portfolios: string[]; after: string };
}

/**
 * What an authorization reads before its decision, in one statement: the card, with the
 * caller's rights (404 outside them), the portfolios of its client's cards, the controls that
 * govern them (read in the whole tenant, since a decision must not depend on who asks), the
 * card transactions changed since the spend cache last read them, and the holder's lock. The
 * holds are read by a later statement, whose snapshot sees what the previous holder of the
 * lock committed.
 */
export async function authorizationReads(tx: Queryable, nucleus: NucleusAccess, auth: AuthContext, wanted: ReadsWanted): Promise<AuthorizationReads> {
  const { row, startedAt } = await readsStatement(tx, nucleus, auth, wanted);
  const doc = row.doc;
  return {
    card: doc,
    holder: row.holder,
    clientId: typeof doc.client_id === 'string' ? doc.client_id : null,
    portfolios: [...new Set([String(doc.portfolio_id), ...(row.portfolios ?? [])])],
    controls: (row.controls ?? []).map((c) => controlOf(c.id, c.doc)),
    ...changesOf(wanted, row, startedAt),
  };
}

function changesOf(wanted: ReadsWanted, row: Row, startedAt: number): { changes?: ChangesRead } {
  return wanted.changes && row.changed ? { changes: { ...wanted.changes, startedAt, rows: row.changed.map(cardRowOf) } } : {};
}

async function readsStatement(tx: Queryable, nucleus: NucleusAccess, auth: AuthContext, wanted: ReadsWanted): Promise<{ row: Row; startedAt: number }> {
  const stores = new ViewReader(tx, auth, nucleus.stores);
  const table = (entity: string) => stores.store(entity).table;
  const params = new SqlParams([auth.tenantId]);
  const cardId = params.add(wanted.cardId);
  const clientOfCard = `CASE WHEN jsonb_typeof(r.doc->'client_id') = 'string' THEN r.doc->>'client_id' ELSE '' END`;
  const holder = `COALESCE(NULLIF(${clientOfCard}, ''), r.id::text)`;
  const columns = [
    `r.doc, ${holder} AS holder`,
    `(SELECT array_agg(DISTINCT c.doc->>'portfolio_id') FROM ${table('card')} c
      WHERE c.tenant_id = r.tenant_id AND c.doc->>'client_id' = r.doc->>'client_id') AS portfolios`,
    `(SELECT json_agg(json_build_object('id', s.id, 'doc', s.doc) ORDER BY s.create_date, s.id) FROM ${table('spending_control')} s
      WHERE s.tenant_id = r.tenant_id AND ${governsClient('s', clientOfCard, table('client'))}) AS controls`,
    `${holderLock('r.tenant_id', holder)} AS locked`,
  ];
  if (wanted.changes) {
    const tables = { transactions: table('portfolio_transaction'), codes: table('transaction_code') };
    columns.push(`${changedRowsSql(tables, 'r.tenant_id', `${params.add(wanted.changes.portfolios)}::text[]`, `${params.add(wanted.changes.after)}::timestamptz`)} AS changed`);
  }
  const scope = nucleus.acl.readScope(auth, 'card');
  const visible = scope ? ` AND (${scope(params, 'r')})` : '';
  const startedAt = Date.now();
  const [row] = await tx.query<Row>(`SELECT ${columns.join(', ')} FROM ${table('card')} r WHERE r.tenant_id = $1 AND r.id = ${cardId}::uuid${visible}`, params.values);
  if (!row) throw ApiError.notFound(`No card with id ${wanted.cardId}`);
  return { row, startedAt };
}
