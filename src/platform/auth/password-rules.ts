import type { Database } from '../db/database.ts';
import type { EntityStore } from '../entity/store.ts';
import type { EntityWriter, WriteHook } from '../entity/writer.ts';
import { checkPassword } from './password-policy.ts';
import { tokenCacheOf, type TokenCache } from './token-cache.ts';
import { revokeUserTokens } from './tokens.ts';

/** User tokens act as Nucleus clients (access_token.nucleus_client_id); no other entity logs in. */
const LOGIN_ENTITY = 'client';

/**
 * Ends a client's live tokens when what they were issued on changes: its password, its
 * authorities (a token carries them as they were), its being active, or its existence.
 */
function revokeOnLoginChange(tokens: TokenCache): WriteHook {
  return (event, write) => {
    if (event.declaration.name !== LOGIN_ENTITY) return;
    const changed = event.changedFields ?? [];
    const secrets = event.declaration.secrets ?? [];
    const stale =
      event.action === 'delete' ||
      (event.action === 'update' &&
        (changed.some((field) => secrets.includes(field)) || changed.includes('authorities') || event.record.is_active === false));
    if (stale) write.afterwards((tx) => revokeUserTokens(tx, tokens, event.origin.auth.tenantId, { nucleusClientId: event.record.id }));
  };
}

/**
 * Declared secrets are login passwords. Each one a write sets must meet the password policy,
 * checked against the record's username as it will be, before anything is stored; this holds
 * for single and bulk writes alike, since both go through the writer.
 */
export function applyPasswordRules(writer: EntityWriter, db: Database, stores: EntityStore[]): void {
  for (const store of stores) {
    const secrets = store.declaration.secrets ?? [];
    if (secrets.length === 0) continue;
    writer.addPreparer(store.declaration.name, async (doc, { tenantId, id }) => {
      const set = secrets.filter((field) => typeof doc[field] === 'string');
      if (set.length === 0) return;
      let username = doc.username;
      if (username === undefined && id !== undefined) username = (await store.get(db, tenantId, id)).username;
      for (const field of set) checkPassword(field, doc[field] as string, typeof username === 'string' ? username : undefined);
    });
  }
  writer.addHook(revokeOnLoginChange(tokenCacheOf(db)));
}
