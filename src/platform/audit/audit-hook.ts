import type { Doc, EntityStore } from '../entity/store.ts';
import type { WriteAction, WriteEvent, WriteHook } from '../entity/writer.ts';
import { redact, redactUrl } from './redact.ts';
import { touchedIds } from './touched.ts';

/** A write that reaches the hooks has succeeded; this is what the API answers for it. */
const RESPONSE_STATUS: Record<WriteAction, number> = { create: 201, update: 200, delete: 204 };

/**
 * The audit_log record of one write. The AuditLog definition has no fields for the caller or
 * the method, so those travel inside `request`, a JSON text, next to the redacted body; a write
 * the server made on its own account (system-origin.ts) adds `actor: "system"` and its reason.
 */
export function auditEntry(event: WriteEvent): Doc {
  const { origin, declaration } = event;
  const request = {
    method: origin.method,
    credential_id: origin.auth.credentialId,
    user_client_id: origin.auth.clientId,
    authorities: origin.auth.authorities,
    request_id: origin.requestId,
    ...(origin.auth.system ? { actor: 'system', reason: origin.auth.system.reason } : {}),
    body: redact(origin.body, declaration.secrets),
    ...(origin.import ? { import: origin.import } : {}),
  };
  return {
    request_url: redactUrl(origin.url),
    request: JSON.stringify(request),
    response: String(RESPONSE_STATUS[event.action]),
    ...touchedIds(declaration, event.previous ? [event.record, event.previous] : [event.record]),
  };
}

/**
 * Adds an audit_log record to every write's statement: a write that fails leaves no audit
 * record, and no committed write lacks one.
 */
export function auditHook(auditLog: EntityStore): WriteHook {
  return async (event, write) => {
    // An audit_log record written through the API is itself the trail; auditing it would repeat it.
    if (event.declaration.name === auditLog.declaration.name) return;
    auditLog.addInsert(write, event.origin.auth.tenantId, await auditLog.document(auditEntry(event)));
  };
}
