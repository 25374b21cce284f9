import type { AuthContext } from '../../platform/auth/tokens.ts';
import type { Queryable } from '../../platform/db/database.ts';
import { changeCountSql } from '../../platform/entity/change-counters.ts';
import type { Doc } from '../../platform/entity/store.ts';
import { ApiError } from '../../platform/http/api-error.ts';
import { SqlParams } from '../../platform/list/filter.ts';
import { ViewReader } from '../../nucleus/views/reader.ts';
import type { NucleusAccess } from '../nucleus-records.ts';
import { cardRowOf, changedRowsSql, controlOf, governsClient, type SpendRow } from './card-spends.ts';
import { CARD_RULES_COUNTER, CARD_SPENDING_COUNTER, type CardMemory, type CardRules } from './card-memory.ts';
import { holderLock, holdRecordsOf, holdRecordsSql, type HeldAlike, type HoldRecordRow } from './holds.ts';
import type { ChangesRead } from './spend-cache.ts';

export interface AuthorizationReads extends CardRules {
  /** The card transactions changed since the spend cache last read them, when it had. */
  changes?: ChangesRead;
  /** The holder's holds, when known without another statement. */
  holds?: HeldAlike[];
  /** The card transactions' change count, where rules and holds are kept in memory. */
  counted?: string;
}

interface Row {
  rules_count?: string;
  spending_count?: string;
  doc?: Doc;
  holder?: string;
  portfolios?: string[] | null;
  controls?: { id: string; doc: Doc }[] | null;
  changed?: SpendRow[];
  held?: HoldRecordRow[];
}

export interface ReadsWanted {
  cardId: string;
  /** The decision's day, whose holds count. */
  day: string;
  /**
   * What the spend cache wants read of the card's spending, if anything short of everything;
   * never asked where memory is given, since the change count tells whether there is any.
   */
  changes?: { portfolios: string[]; after: string };
}

/**
 * What an authorization reads before its decision, in one statement: the card, with the
 * caller's rights (404 outside them), the portfolios of its client's cards, the controls that
 * govern them (read in the whole tenant, since a decision must not depend on who asks), the
 * card transactions changed since the spend cache last read them, and the holds or the lock.
 *
 * `memory` is given where the database runs one transaction at a time (PGlite): then nothing
 * can come between the reads, so no lock is taken, and the rules and holds come from memory
 * when the rules' change counter says they still hold (a moved counter has both read again);
 * the statement then only finds the card (the caller's rights are checked on every decision)
 * and reads the counters, the spending's one telling the spend cache whether it has anything
 * to read. Elsewhere the holder's lock is taken, and the holds must be read by a later
 * statement, whose snapshot sees what the previous holder of the lock committed.
 */
export async function authorizationReads(tx: Queryable, nucleus: NucleusAccess, auth: AuthContext, wanted: ReadsWanted, memory?: CardMemory): Promise<AuthorizationReads> {
  const tenant = auth.tenantId;
  const known = memory?.rulesOf(tenant, wanted.cardId);
  if (memory && known) {
    const knowsHolds = memory.knowsHolds(tenant, known.rules.holder, wanted.day);
    const { row } = await readsStatement(tx, nucleus, auth, wanted, { rules: false, memory: true, holds: !knowsHolds });
    if (row.rules_count === known.count) {
      if (row.held) memory.rememberHolds(tenant, known.rules.holder, wanted.day, holdRecordsOf(row.held));
      return { ...known.rules, counted: row.spending_count, holds: memory.activeHolds(tenant, known.rules.holder, wanted.day) };
    }
  }
  const { row, startedAt } = await readsStatement(tx, nucleus, auth, wanted, { rules: true, memory: memory !== undefined, holds: memory !== undefined });
  const doc = row.doc as Doc;
  const rules: CardRules = {
    card: doc,
    holder: row.holder as string,
    clientId: typeof doc.client_id === 'string' ? doc.client_id : null,
    portfolios: [...new Set([String(doc.portfolio_id), ...(row.portfolios ?? [])])],
    controls: (row.controls ?? []).map((c) => controlOf(c.id, c.doc)),
  };
  if (!memory) return { ...rules, ...changesOf(wanted, row, startedAt) };
  memory.rememberRules(tenant, wanted.cardId, row.rules_count as string, rules);
  memory.rememberHolds(tenant, rules.holder, wanted.day, holdRecordsOf(row.held ?? []));
  return { ...rules, counted: row.spending_count, holds: memory.activeHolds(tenant, rules.holder, wanted.day) };
}

function changesOf(wanted: ReadsWanted, row: Row, startedAt: number): { changes?: ChangesRead } {
  return wanted.changes && row.changed ? { changes: { ...wanted.changes, startedAt, rows: row.changed.map(cardRowOf) } } : {};
}

interface Columns {
  /** The card, its holder, the holder's portfolios and the controls. */
  rules: boolean;
  /** Whether rules and holds are kept in memory (the counters are read, no lock is taken). */
  memory: boolean;
  /** The holder's holds, when kept in memory but not known yet. */
  holds: boolean;
}

async function readsStatement(tx: Queryable, nucleus: NucleusAccess, auth: AuthContext, wanted: ReadsWanted, want: Columns): Promise<{ row: Row; startedAt: number }> {
  const stores = new ViewReader(tx, auth, nucleus.stores);
  const table = (entity: string) => stores.store(entity).table;
  const params = new SqlParams([auth.tenantId]);
  const cardId = params.add(wanted.cardId);
  const clientOfCard = `CASE WHEN jsonb_typeof(r.doc->'client_id') = 'string' THEN r.doc->>'client_id' ELSE '' END`;
  const holder = `COALESCE(NULLIF(${clientOfCard}, ''), r.id::text)`;
  const columns: string[] = [];
  if (want.memory) columns.push(`${changeCountSql(CARD_RULES_COUNTER)} AS rules_count`, `${changeCountSql(CARD_SPENDING_COUNTER)} AS spending_count`);
  if (want.rules) {
    columns.push(
      `r.doc, ${holder} AS holder`,
      `(SELECT array_agg(DISTINCT c.doc->>'portfolio_id') FROM ${table('card')} c
        WHERE c.tenant_id = r.tenant_id AND c.doc->>'client_id' = r.doc->>'client_id') AS portfolios`,
      `(SELECT json_agg(json_build_object('id', s.id, 'doc', s.doc) ORDER BY s.create_date, s.id) FROM ${table('spending_control')} s
        WHERE s.tenant_id = r.tenant_id AND ${governsClient('s', clientOfCard, table('client'))}) AS controls`,
    );
  }
  if (wanted.changes) {
    const tables = { transactions: table('portfolio_transaction'), codes: table('transaction_code') };
    columns.push(`${changedRowsSql(tables, 'r.tenant_id', `${params.add(wanted.changes.portfolios)}::text[]`, `${params.add(wanted.changes.after)}::timestamptz`)} AS changed`);
  }
  if (want.holds) columns.push(`${holdRecordsSql('r.tenant_id', holder, `${params.add(wanted.day)}::date`)} AS held`);
  if (!want.memory) columns.push(`${holderLock('r.tenant_id', holder)} AS locked`);
  const scope = nucleus.acl.readScope(auth, 'card');
  const visible = scope ? ` AND (${scope(params, 'r')})` : '';
  const startedAt = Date.now();
  const [row] = await tx.query<Row>(`SELECT ${columns.join(', ')} FROM ${table('card')} r WHERE r.tenant_id = $1 AND r.id = ${cardId}::uuid${visible}`, params.values);
  if (!row) throw ApiError.notFound(`No card with id ${wanted.cardId}`);
  return { row, startedAt };
}
