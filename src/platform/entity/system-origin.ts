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

/** The job a system write follows from when no request does: its tenant, kind and id. */
export interface OnBehalfOfJob {
  tenantId: string;
  kind: string;
  id: string;
}

/**
 * The origin of a write the server makes on its own account while running a job (a webhook
 * switched off because its receiver answered 410). No caller stands behind it: the audit
 * record names the job in place of a request, and `system` as the credential.
 */
export function systemJob(reason: string, job: OnBehalfOfJob, body?: unknown): WriteOrigin {
  return system(reason, { tenantId: job.tenantId, credentialId: 'system', requestId: job.id, method: 'JOB', url: `job:${job.kind}/${job.id}` }, body);
}
