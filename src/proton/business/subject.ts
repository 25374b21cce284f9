import type { AuthContext } from '../../platform/auth/tokens.ts';
import { CalculationError } from '../calculation-error.ts';
import { requireRecords, type NucleusAccess } from '../nucleus-records.ts';

/** Whose records an analysis reads: a business, a client, or a client within a business. */
export interface Subject {
  business_id?: string;
  client_id?: string;
}

/**
 * Checks the business the request names like any other id (404 outside the caller's reach;
 * the client is checked by the generic route). With `required`, one of the two must be given.
 */
export async function requireSubject(nucleus: NucleusAccess, auth: AuthContext, subject: Subject, required: boolean): Promise<void> {
  if (required && !subject.business_id && !subject.client_id) throw new CalculationError('business_id', 'give business_id or client_id');
  if (subject.business_id) await requireRecords(nucleus, auth, 'business', [subject.business_id]);
}

/** The conditions records of the subject meet: naming its business and its client, whichever are given. */
export function ownedBy(subject: Subject): { business_id?: string; client_id?: string } {
  return { business_id: subject.business_id || undefined, client_id: subject.client_id || undefined };
}

/** The condition records in one currency meet, when the request names it. */
export function inCurrency(currency: string | undefined): { currency_code?: string } {
  return { currency_code: currency || undefined };
}
