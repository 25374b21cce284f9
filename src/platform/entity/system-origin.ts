import type { WriteOrigin } from './writer.ts';

/** The request a system write follows from: its tenant, and the caller the audit trail names. */
export interface OnBehalfOf {
  tenantId: string;
  credentialId: string;
  requestId: string;
  method: string;
  url: string;
}

/**
 * The origin of a write the server makes on its own account as the consequence of a request
 * (Electron recording a card's new status, the firm's reference data an order needs). The
 * caller was checked for the operation itself; these writes are the server's, so they reach the
 * whole tenant without borrowing an authority the caller lacks, and the audit record says so,
 * with the reason, beside the caller's credential and request. Nothing a token carries can make
 * one: only code calls this.
 */
export function system(reason: string, onBehalfOf: OnBehalfOf, body?: unknown): WriteOrigin {
  return {
    auth: { tenantId: onBehalfOf.tenantId, credentialId: onBehalfOf.credentialId, clientId: null, authorities: [], scopes: [], system: { reason } },
    method: onBehalfOf.method,
    url: onBehalfOf.url,
    requestId: onBehalfOf.requestId,
    body,
  };
}
