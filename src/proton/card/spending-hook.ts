import type { WriteEvent, WriteHook } from '../../platform/entity/writer.ts';
import type { WriteStatement } from '../../platform/entity/write-statement.ts';
import type { StoredRecord } from '../../platform/entity/store.ts';
import { settleHold, unsettleHold } from './holds.ts';
import { moveSpending, postedSql, spendTypeSql, storedSpendTypeSql, transactionFields, type Move } from './spending-ledger.ts';

/** The tables the ledger is kept from. */
export interface SpendingSources {
  transactions: string;
  codes: string;
}

/** The fields of a portfolio transaction the ledger reads (postedSql), and the one that settles a hold. */
const TRANSACTION_FIELDS = new Set([
  'portfolio_id',
  'date',
  'amount',
  'currency_code',
  'status',
  'merchant',
  'merchant_id',
  'mid',
  'merchant_category_code',
  'transaction_category_id',
  'category',
  'location',
  'transaction_code_id',
  'secondary_id',
]);

/** The fields of a transaction code that say whether its transactions are spending (spendTypeSql). */
const CODE_FIELDS = new Set(['transaction_type', 'transaction_code', 'is_deposit', 'is_transfer']);

/** Hold ids as authorization_id gives them; a transaction names a hold by one of these alone. */
const HOLD_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function holdNamedBy(record: StoredRecord | undefined): string | null {
  const named = record?.secondary_id;
  return typeof named === 'string' && HOLD_ID.test(named) ? named : null;
}

function touches(event: WriteEvent, fields: Set<string>): boolean {
  return event.action !== 'update' || (event.changedFields ?? []).some((field) => fields.has(field));
}

/**
 * Keeps the spending ledger in the statement of every write that changes it: a card
 * transaction posts its amount (or takes back what its previous version posted) and settles
 * the hold it names; a transaction code that stops or starts making its transactions spending
 * moves all of them.
 */
export function spendingLedgerHook(sources: SpendingSources): WriteHook {
  return (event, write) => {
    const entity = event.declaration.name;
    if (entity === 'portfolio_transaction' && touches(event, TRANSACTION_FIELDS)) moveTransaction(event, write, sources);
    if (entity === 'transaction_code' && event.action === 'update' && touches(event, CODE_FIELDS)) retypeTransactions(event, write, sources);
  };
}

function moveTransaction(event: WriteEvent, write: WriteStatement, sources: SpendingSources): void {
  const p = write.params;
  if (event.action !== 'create') {
    // What the previous version posted is taken back under its code as retypeTransactions left it.
    const code = (event.previous ?? event.record).transaction_code_id;
    write.beforehand(async (tx) => {
      await tx.query(`SELECT 1 FROM ${sources.codes} WHERE tenant_id = $1 AND id = $2::uuid FOR KEY SHARE`, [event.origin.auth.tenantId, code]);
    });
  }
  const tenant = `${p.add(event.origin.auth.tenantId)}::uuid`;
  const after = event.action === 'delete' ? undefined : event.record;
  const before = event.action === 'create' ? undefined : (event.previous ?? event.record);
  const type = storedSpendTypeSql(sources.codes);
  const posted = (record: StoredRecord, sign: 1 | -1): Move => ({
    rows: postedSql(`(SELECT ${tenant} AS tenant_id, ${p.add(JSON.stringify(record))}::jsonb AS doc) t`, 'true', type),
    balance: 'posted',
    sign,
  });
  const moves: Move[] = [];
  if (after) moves.push(posted(after, 1));
  if (before) moves.push(posted(before, -1));
  const [named, unnamed] = [holdNamedBy(after), holdNamedBy(before)];
  if (named !== unnamed) {
    // Two transactions naming one hold are written one after the other, each reading (in a
    // statement begun once the other has committed) whether the other names or settles it.
    const holds = [named, unnamed].filter((id): id is string => id !== null).sort();
    write.beforehand(async (tx) => {
      await tx.query('SELECT 1 FROM proton_card_hold WHERE tenant_id = $1 AND id = ANY($2::uuid[]) ORDER BY id FOR UPDATE', [event.origin.auth.tenantId, holds]);
    });
    const transaction = `${p.add(event.record.id)}::uuid`;
    if (unnamed) moves.push(unsettleHold(write, sources.transactions, { tenant, holdId: unnamed, transaction }));
    if (named) moves.push(settleHold(write, { tenant, holdId: named, transaction }));
  }
  moveSpending(write, moves);
}

/**
 * The code's transactions whose spending type the change alters move from the old type to the
 * new. The code is locked against the KEY SHARE a transaction naming it takes while written
 * (its reference check, or moveTransaction's), so no transaction is posted or taken back under
 * a type this move does not see.
 */
function retypeTransactions(event: WriteEvent, write: WriteStatement, sources: SpendingSources): void {
  const p = write.params;
  const tenantId = event.origin.auth.tenantId;
  write.beforehand(async (tx) => {
    await tx.query(`SELECT 1 FROM ${sources.codes} WHERE tenant_id = $1 AND id = $2 FOR UPDATE`, [tenantId, event.record.id]);
  });
  const [before, after] = [spendTypeSql(`${p.add(JSON.stringify(event.previous))}::jsonb`), spendTypeSql(`${p.add(JSON.stringify(event.record))}::jsonb`)];
  const where = `t.tenant_id = ${p.add(tenantId)}::uuid AND ${transactionFields('t').text('transaction_code_id')} = ${p.add(event.record.id)}::text AND ${before} IS DISTINCT FROM ${after}`;
  const from = `${sources.transactions} t`;
  moveSpending(write, [
    { rows: postedSql(from, where, after), balance: 'posted', sign: 1 },
    { rows: postedSql(from, where, before), balance: 'posted', sign: -1 },
  ]);
}
