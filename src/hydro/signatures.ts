import { randomUUID } from 'node:crypto';
import type { Address } from 'viem';
import type { Queryable } from '../platform/db/database.ts';
import { errors } from '../platform/http/errors.ts';
import type { LeadLink } from '../platform/process/lead.ts';
import type { Hydro } from './context.ts';

/** A message verified once stays spent for a day, longer than any signature window. */
const SPENT_FOR = '1 day';

export async function registeredAddress(hydro: Hydro, hydroId: string): Promise<Address> {
  const chain = await hydro.chain();
  return (await chain.public.readContract({
    address: chain.addresses.registry,
    abi: chain.contracts.HydroIdRegistry.abi,
    functionName: 'addressOf',
    args: [hydroId],
  })) as Address;
}

export type SignatureCheck =
  | { authenticated: true; verification_id: string; timestamp: string }
  | { authenticated: false; code: 'no_signature' | 'message_spent'; message: string };

/**
 * Spends a signature of `message` by `address` (the HydroID's on the chain now) submitted
 * within the window, as verify_signature does; a message verifies once for a HydroID.
 */
export async function spendSignature(hydro: Hydro, tenantId: string, hydroId: string, message: string, address: Address): Promise<SignatureCheck> {
  const window = hydro.config.hydroSignatureWindowSeconds;
  const verified = await hydro.db.transaction(async (tx: Queryable) => {
    // Verifications of one HydroID queue up, so a message can never be spent twice.
    await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`hydro:${tenantId}:${hydroId}`]);
    const [row] = await tx.query<{ verification_id: string; verified_at: Date }>(
      `UPDATE hydro_signature SET verification_id = $5, verified_at = now()
       WHERE tenant_id = $1 AND id = (
         SELECT id FROM hydro_signature
         WHERE tenant_id = $1 AND hydro_id = $2 AND message = $3 AND signer = $4 AND verified_at IS NULL
           AND submitted_at > now() - make_interval(secs => $6)
         ORDER BY submitted_at DESC LIMIT 1)
       AND NOT EXISTS (
         SELECT 1 FROM hydro_signature
         WHERE tenant_id = $1 AND hydro_id = $2 AND message = $3 AND verified_at > now() - interval '${SPENT_FOR}')
       RETURNING verification_id, verified_at`,
      [tenantId, hydroId, message, address, randomUUID(), window],
    );
    return row;
  });
  if (verified) return { authenticated: true, verification_id: verified.verification_id, timestamp: verified.verified_at.toISOString() };
  const [spent] = await hydro.db.query(
    `SELECT 1 FROM hydro_signature WHERE tenant_id = $1 AND hydro_id = $2 AND message = $3 AND verified_at > now() - interval '${SPENT_FOR}'`,
    [tenantId, hydroId, message],
  );
  if (spent) return { authenticated: false, code: 'message_spent', message: 'this message was already verified' };
  return {
    authenticated: false,
    code: 'no_signature',
    message: `no signature of this message by the HydroID's registered address was submitted in the last ${window} seconds`,
  };
}

const ADDRESS_TOPIC = 'hydro:address-of';
const VERIFY_TOPIC = 'hydro:verify-signature';

/** In the lead, where the chain is: answers other processes' Raindrop questions (raindropOf). */
export function answerRaindrop(hydro: Hydro, lead: LeadLink): void {
  lead.handle(ADDRESS_TOPIC, async (body) => {
    const address = await registeredAddress(hydro, (body as { hydroId: string }).hydroId);
    const { zeroAddress } = await import('viem');
    return address === zeroAddress ? null : address;
  });
  lead.handle(VERIFY_TOPIC, async (body) => {
    const { tenantId, hydroId, message } = body as { tenantId: string; hydroId: string; message: string };
    return spendSignature(hydro, tenantId, hydroId, message, await registeredAddress(hydro, hydroId));
  });
}

/** Client-side Raindrop for code outside /hydro/v1 (admin sign-in), from any process. */
export interface Raindrop {
  /** The address the chain registers for the HydroID, or null when it has none. */
  addressOf(hydroId: string): Promise<Address | null>;
  verify(tenantId: string, hydroId: string, message: string): Promise<SignatureCheck>;
}

export function raindropOf(lead: LeadLink): Raindrop {
  // The lead's own failures cross the process boundary as plain errors; either way the chain could not answer.
  const ask = <T>(topic: string, body: unknown) =>
    lead.ask<T>(topic, body).catch(() => {
      throw errors.chainUnavailable({});
    });
  return {
    addressOf: (hydroId) => ask(ADDRESS_TOPIC, { hydroId }),
    verify: (tenantId, hydroId, message) => ask(VERIFY_TOPIC, { tenantId, hydroId, message }),
  };
}
