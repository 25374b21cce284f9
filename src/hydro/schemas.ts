import { Type, type TProperties } from 'typebox';
import type { Hex } from 'viem';
import type { CatalogueEntry } from '../platform/http/errors.ts';
import { errorSchema } from '../platform/openapi/shared-schemas.ts';

/** Request and response bodies of Hydro, as Hydrogen's Raindrop documentation and SDK use them. */

const uuid = (description: string) => Type.String({ format: 'uuid', description });
/** Hex text the chain takes as is, which its pattern makes sure of. */
const hex = (pattern: string, description: string) => Type.Unsafe<Hex>(Type.String({ pattern, description }));
const txHash = (description: string) => hex('^0x[0-9a-fA-F]{64}$', description);
const timestamp = Type.String({ format: 'date-time', description: 'When, by the chain or the server clock' });
/** Letters, digits and a few separators: what fits a username and reads the same everywhere. */
export const hydroId = Type.String({ pattern: '^[A-Za-z0-9._-]{3,32}$', description: "A user's HydroID, as registered on the chain's HydroID registry" });
const message = Type.String({ pattern: '^[0-9]{6}$', description: 'A six-digit code, as GET /message makes' });

function request<P extends TProperties>(title: string, properties: P) {
  return Type.Object(properties, { additionalProperties: false, title });
}

export const TransactionQuery = Type.Object({ transaction_hash: txHash('The transaction to look up') });
export const TransactionResponse = Type.Object({
  transaction_hash: Type.String(),
  completed: Type.Boolean({ description: 'Whether the transaction is mined and succeeded' }),
});

export const WhitelistRequest = request('WhitelistRequest', {
  address: Type.String({ description: "The user's Ethereum address, 0x and 40 hex digits (mixed case must be a valid checksum)" }),
});
export const WhitelistResponse = Type.Object({
  hydro_address_id: Type.String({ format: 'uuid' }),
  transaction_hash: Type.String(),
});

export const ChallengeRequest = request('ChallengeRequest', { hydro_address_id: uuid('From POST /whitelist') });
export const ChallengeResponse = Type.Object({
  amount: Type.Integer({ description: 'HYDRO to pay, in base units (10^-18 HYDRO)' }),
  challenge: Type.String({ description: 'The challenge, an unsigned integer in decimal' }),
  partner_id: Type.Integer({ description: "The tenant's partner id on the chain" }),
  transaction_hash: Type.String(),
});

export const AuthenticateQuery = Type.Object({ hydro_address_id: uuid('From POST /whitelist') });
export const AuthenticateResponse = Type.Object({
  verified: Type.Literal(true),
  authentication_id: Type.String({ format: 'uuid' }),
  timestamp,
});

export const ApplicationRequest = request('ApplicationRequest', { name: Type.String({ minLength: 1, maxLength: 200 }) });
export const ApplicationResponse = Type.Object({ id: Type.String({ format: 'uuid' }), name: Type.String(), create_date: timestamp });

export const MessageResponse = Type.Object({ message: Type.String({ description: 'Six digits from a CSPRNG' }) });

export const ApplicationClientRequest = request('ApplicationClientRequest', {
  hydro_id: hydroId,
  application_id: uuid('From POST /application'),
});
export const ApplicationClientResponse = Type.Object({
  hydro_id: Type.String(),
  application_id: Type.String({ format: 'uuid' }),
  address: Type.String({ description: 'The address the registry holds for the HydroID' }),
});
export const ApplicationClientQuery = Type.Object({ hydro_id: hydroId, application_id: uuid('From POST /application') });

export const SignatureRequest = request('SignatureRequest', {
  hydro_id: hydroId,
  message,
  signature: hex('^0x[0-9a-fA-F]{130}$', 'EIP-191 personal signature of the message: 0x and 65 bytes in hex'),
});
export const SignatureResponse = Type.Object({ hydro_id: Type.String(), message: Type.String(), signer: Type.String(), submitted_at: timestamp });

export const VerifySignatureQuery = Type.Object({ message, hydro_id: hydroId, application_id: uuid('From POST /application') });
export const VerifySignatureResponse = Type.Object({
  authenticated: Type.Literal(true),
  verification_id: Type.String({ format: 'uuid' }),
  timestamp,
});

export const ContractsResponse = Type.Object({
  chain_id: Type.Integer(),
  embedded: Type.Boolean({ description: 'Whether the chain runs inside Deuterium and is reached through POST /rpc' }),
  operator: Type.String({ description: 'The address that sends whitelists and challenges and receives the HYDRO users pay' }),
  hydro_token: Type.String(),
  raindrop: Type.String(),
  hydro_id_registry: Type.String(),
});

export const HydroIdRequest = request('HydroIdRequest', {
  hydro_id: hydroId,
  address: Type.String({ description: "The user's Ethereum address" }),
  signature: hex('^0x[0-9a-fA-F]{130}$', "The address's EIP-191 personal signature of registrationHash(hydro_id, address)"),
});
export const HydroIdResponse = Type.Object({ hydro_id: Type.String(), address: Type.String(), transaction_hash: Type.String() });

export const FaucetRequest = request('FaucetRequest', { address: Type.String({ description: 'The Ethereum address to fund' }) });
export const FaucetResponse = Type.Object({
  address: Type.String(),
  ether: Type.String({ description: 'Wei sent, for gas' }),
  hydro: Type.String({ description: 'HYDRO sent, in base units' }),
  transaction_hashes: Type.Array(Type.String()),
});

/** A refusal to verify: the usual error body, with the flag Hydrogen's clients read. */
export function notVerifiedSchema(flag: 'verified' | 'authenticated', refusals: readonly CatalogueEntry[]) {
  const codes = refusals.map((entry) => entry.code);
  return {
    ...errorSchema,
    description: `Not verified: ${codes.join(', ')}`,
    properties: { ...errorSchema.properties, code: { ...errorSchema.properties.code, enum: codes }, [flag]: { type: 'boolean', const: false } },
    required: [...errorSchema.required, flag],
  };
}
