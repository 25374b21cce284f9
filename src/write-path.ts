import type { Config } from './config.ts';
import type { Database } from './platform/db/database.ts';
import { AccessControl } from './platform/acl/access-control.ts';
import { auditHook } from './platform/audit/audit-hook.ts';
import { applyPasswordRules } from './platform/auth/password-rules.ts';
import { settleBulkItemHook } from './platform/bulk/processor.ts';
import { buildStores } from './platform/entity/registry.ts';
import type { EntityStore } from './platform/entity/store.ts';
import { EntityWriter } from './platform/entity/writer.ts';
import { outboxHook, webhookLifecycleHook } from './platform/webhooks/outbox.ts';
import { prepareWebhookInput } from './platform/webhooks/webhook-input.ts';
import { accountPermissionSync } from './nucleus/account/account-permission-sync.ts';
import { nucleusEntities } from './nucleus/entities.ts';
import { spendingLedgerHook } from './proton/card/spending-hook.ts';

/** The entities, their access rules and the one writer every write goes through. */
export interface WritePath {
  stores: EntityStore[];
  storesByName: Map<string, EntityStore>;
  acl: AccessControl;
  writer: EntityWriter;
}

/**
 * Every write takes this path, whether the server's (routes, bulk jobs, Electron, Proton) or the
 * operator tool's (an import): one place says what each write is checked by and what it
 * brings along, so no caller assembles a writer that lacks a preparer or a hook.
 */
export function buildWritePath(db: Database, config: Pick<Config, 'strictRequestFields' | 'webhookAllowPrivate'>): WritePath {
  const stores = buildStores(nucleusEntities);
  const acl = new AccessControl(new Map(stores.map((s) => [s.declaration.name, s.declaration])));
  const storesByName = new Map(stores.map((s) => [s.declaration.name, s]));
  const writer = new EntityWriter(db, storesByName, acl, { strictFields: config.strictRequestFields });
  writer.addHook(accountPermissionSync(writer));
  writer.addHook(auditHook(writer.store('audit_log')));
  writer.addHook(spendingLedgerHook({ transactions: writer.store('portfolio_transaction').table, codes: writer.store('transaction_code').table }));
  applyPasswordRules(writer, db, stores);
  writer.addPreparer('webhook', prepareWebhookInput(config.webhookAllowPrivate));
  writer.addHook(outboxHook);
  writer.addHook(webhookLifecycleHook);
  writer.addHook(settleBulkItemHook);
  return { stores, storesByName, acl, writer };
}
