import type { AuthContext } from '../../platform/auth/tokens.ts';
import type { Queryable } from '../../platform/db/database.ts';
import type { Doc } from '../../platform/entity/store.ts';
import { ApiError } from '../../platform/http/api-error.ts';
import { SqlParams } from '../../platform/list/filter.ts';
import { ViewReader } from '../../nucleus/views/reader.ts';
import type { NucleusAccess } from '../nucleus-records.ts';
import { cardRowOf, changedRowsSql, controlOf, governsClient, type SpendRow } from './card-spends.ts';
import { activeHoldsSql, heldAlike, holderLock, type HeldAlike, type HeldRow } from './holds.ts';
import type { ChangesRead } from './spend-cache.ts';
import type { SpendingControl } from './spending-rules.ts';

export interface AuthorizationReads {
  card: Doc;
  /** Whose limits the card spends against: its client, or the card itself when it names none. */
  holder: string;
  clientId: string | null;
  /** The portfolios of all the holder's cards, whose spending its limits count. */
  portfolios: string[];
  controls: SpendingControl[];
  /** The card transactions changed since the spend cache last read them, when it had. */
  changes?: ChangesRead;
  /** The holder's holds, when they could be read in the same statement. */
  holds?: HeldAlike[];
}

interface Row {
  doc: Doc;
  holder: string;
  portfolios: string[] | null;
  controls: { id: string; doc: Doc }[] | null;
  changed?: SpendRow[];
  held?: HeldRow[];
}

export interface ReadsWanted {
  cardId: string;
  /** The decision's day, whose holds count. */
  day: string;
  /** What the spend cache wants read of the card's spending, if anything short of everything. */
  changes?: { portfolios: string[]; after: string };
  /**
   * Whether the database runs one transaction at a time (PGlite): then nothing can come
   * between the reads, so the holds are read at once and no lock is taken. Otherwise the
   * holder's lock is taken, and the holds must be read by a later statement, whose snapshot
   * sees what the previous holder of the lock committed.
   */
  serialized: boolean;
}

/**
 * What an authorization reads before its decision, in one statement: the card, with the
 * caller's rights (404 outside them), the portfolios of its client's cards, the controls that
 * govern them (read in the whole tenant, since a decision must not depend on who asks), the
 * card transactions changed since the spend cache last read them, and the holds or the lock.
 */
export async function authorizationReads(tx: Queryable, nucleus: NucleusAccess, auth: AuthContext, wanted: ReadsWanted): Promise<AuthorizationReads> {
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
  ];
  if (wanted.changes) {
    const tables = { transactions: table('portfolio_transaction'), codes: table('transaction_code') };
    columns.push(`${changedRowsSql(tables, 'r.tenant_id', `${params.add(wanted.changes.portfolios)}::text[]`, `${params.add(wanted.changes.after)}::timestamptz`)} AS changed`);
  }
  columns.push(wanted.serialized ? `${activeHoldsSql('r.tenant_id', holder, `${params.add(wanted.day)}::date`)} AS held` : `${holderLock('r.tenant_id', holder)} AS locked`);
  const scope = nucleus.acl.readScope(auth, 'card');
  const visible = scope ? ` AND (${scope(params, 'r')})` : '';
  const startedAt = Date.now();
  const [row] = await tx.query<Row>(`SELECT ${columns.join(', ')} FROM ${table('card')} r WHERE r.tenant_id = $1 AND r.id = ${cardId}::uuid${visible}`, params.values);
  if (!row) throw ApiError.notFound(`No card with id ${wanted.cardId}`);
  return {
    card: row.doc,
    holder: row.holder,
    clientId: typeof row.doc.client_id === 'string' ? row.doc.client_id : null,
    portfolios: [...new Set([String(row.doc.portfolio_id), ...(row.portfolios ?? [])])],
    controls: (row.controls ?? []).map((c) => controlOf(c.id, c.doc)),
    ...(wanted.changes && row.changed ? { changes: { ...wanted.changes, startedAt, rows: row.changed.map(cardRowOf) } } : {}),
    ...(row.held ? { holds: heldAlike(row.held) } : {}),
  };
}
