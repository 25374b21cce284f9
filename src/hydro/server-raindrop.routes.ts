import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { TypedRoutes } from '../platform/http/typed-routes.ts';
import type { Address } from 'viem';
import { errorBody, type ApiError } from '../platform/http/api-error.ts';
import { errors } from '../platform/http/errors.ts';
import { errorResponses } from '../platform/openapi/shared-schemas.ts';
import type { Hydro } from './context.ts';
import { partnerIdOf } from './partner.ts';
import {
  AuthenticateQuery,
  AuthenticateResponse,
  ChallengeRequest,
  ChallengeResponse,
  notVerifiedSchema,
  WhitelistRequest,
  WhitelistResponse,
} from './schemas.ts';

const DAY_SECONDS = 86_400;
// Amounts stay well below 2^53 base units (under 0.001 HYDRO) so they travel as exact JSON
// numbers; 2^48 is as wide as randomInt draws.
const MIN_AMOUNT = 1_000_000_000_000;
const AMOUNT_SPREAD = 2 ** 48 - 1;

interface AddressRow {
  id: string;
  address: Address;
}

interface Entry {
  value: bigint;
  challenge: bigint;
  timestamp: bigint;
  blockNumber: bigint;
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string }).code === '23505';
}

async function findAddress(hydro: Hydro, tenantId: string, id: string): Promise<AddressRow | undefined> {
  const [row] = await hydro.db.query<AddressRow>('SELECT id, address FROM hydro_address WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
  return row;
}

/** Hydro answers a failed check as a 401 with verified false, through the route's response schema. */
function notVerified(reply: FastifyReply, request: FastifyRequest, error: ApiError) {
  return reply.code(error.status).send({ ...errorBody(error, String(request.id)), verified: false });
}

export function serverRaindropRoutes(app: TypedRoutes, hydro: Hydro): void {
  app.post('/whitelist', {
    schema: {
      tags: ['Hydro'],
      summary: "Whitelist a user's Ethereum address for server-side Raindrop",
      description: 'Records the address for this partner on the Raindrop contract (the answer comes once the transaction is mined) and in the database.',
      body: WhitelistRequest,
      response: { 200: WhitelistResponse, ...errorResponses },
    },
    handler: async (request) => {
      const { tenantId } = request.auth;
      const given = request.body.address;
      const { getAddress, isAddress } = await import('viem');
      if (!isAddress(given)) throw errors.invalidField({ field: 'address', problem: 'is not an Ethereum address (0x and 40 hex digits, mixed case only as a valid checksum)' });
      const address = getAddress(given);
      const [existing] = await hydro.db.query('SELECT 1 FROM hydro_address WHERE tenant_id = $1 AND address = $2', [tenantId, address]);
      if (existing) throw errors.alreadyWhitelisted({ reason: `address ${address} is already whitelisted`, field: 'address' });
      const chain = await hydro.chain();
      const { hash } = await chain.send(chain.addresses.raindrop, chain.contracts.Raindrop.abi, 'whitelistAddress', [BigInt(partnerIdOf(tenantId)), address]);
      const id = randomUUID();
      try {
        await hydro.db.query('INSERT INTO hydro_address (tenant_id, id, address, whitelist_transaction_hash) VALUES ($1, $2, $3, $4)', [tenantId, id, address, hash]);
      } catch (error) {
        if (isUniqueViolation(error)) throw errors.alreadyWhitelisted({ reason: `address ${address} is already whitelisted`, field: 'address' });
        throw error;
      }
      return { hydro_address_id: id, transaction_hash: hash };
    },
  });

  app.post('/challenge', {
    schema: {
      tags: ['Hydro'],
      summary: 'Issue a server-side Raindrop challenge',
      description:
        'Stores a fresh random challenge and amount for the user and this partner on the Raindrop contract. The user answers by calling the ' +
        "HYDRO token's authenticate(amount, challenge, partner_id) from the whitelisted address.",
      body: ChallengeRequest,
      response: { 200: ChallengeResponse, ...errorResponses },
    },
    handler: async (request) => {
      const { tenantId } = request.auth;
      const id = request.body.hydro_address_id;
      const row = await findAddress(hydro, tenantId, id);
      if (!row) throw errors.notFound({ reason: `no whitelisted address has hydro_address_id ${id}`, field: 'hydro_address_id' });
      const amount = MIN_AMOUNT + randomInt(AMOUNT_SPREAD);
      const challenge = BigInt(`0x${randomBytes(16).toString('hex')}`);
      const partnerId = partnerIdOf(tenantId);
      const chain = await hydro.chain();
      const { hash } = await chain.send(chain.addresses.raindrop, chain.contracts.Raindrop.abi, 'issueChallenge', [BigInt(partnerId), row.address, BigInt(amount), challenge]);
      return { amount, challenge: challenge.toString(), partner_id: partnerId, transaction_hash: hash };
    },
  });

  app.get('/authenticate', {
    schema: {
      tags: ['Hydro'],
      summary: 'Check that the user performed the current challenge',
      description:
        'Verified when the chain shows that the address paid the current challenge with the right amount and partner id, in a block after ' +
        "the challenge's and within the last 24 hours. Otherwise 401 with verified false; the code says why.",
      querystring: AuthenticateQuery,
      response: { 200: AuthenticateResponse, 401: notVerifiedSchema('verified', [errors.notWhitelisted, errors.noChallenge, errors.notAuthenticated, errors.wrongChallenge, errors.wrongAmount, errors.expired]), ...errorResponses },
    },
    handler: async (request, reply) => {
      const { tenantId } = request.auth;
      const id = request.query.hydro_address_id;
      const row = await findAddress(hydro, tenantId, id);
      if (!row) return notVerified(reply, request, errors.notWhitelisted({ reason: `no whitelisted address has hydro_address_id ${id}` }));
      const chain = await hydro.chain();
      const partnerId = BigInt(partnerIdOf(tenantId));
      const read = (functionName: string) =>
        chain.public.readContract({ address: chain.addresses.raindrop, abi: chain.contracts.Raindrop.abi, functionName, args: [partnerId, row.address] });
      const [whitelisted, challengeTuple, authenticationTuple, latest] = await Promise.all([
        read('whitelisted') as Promise<boolean>,
        read('challenges') as Promise<readonly [bigint, bigint, bigint, bigint]>,
        read('authentications') as Promise<readonly [bigint, bigint, bigint, bigint]>,
        chain.public.getBlock(),
      ]);
      const entry = ([value, challenge, timestamp, blockNumber]: readonly [bigint, bigint, bigint, bigint]): Entry => ({ value, challenge, timestamp, blockNumber });
      const issued = entry(challengeTuple);
      const answered = entry(authenticationTuple);
      // The chain's clock can run ahead of the server's (a node's time can be moved on); the later one counts.
      const now = Math.max(Math.floor(Date.now() / 1000), Number(latest.timestamp));
      if (!whitelisted) return notVerified(reply, request, errors.notWhitelisted({ reason: 'the address is not whitelisted for this partner on the chain' }));
      if (issued.blockNumber === 0n) return notVerified(reply, request, errors.noChallenge({ reason: 'no challenge was issued to this address' }));
      if (answered.blockNumber <= issued.blockNumber) return notVerified(reply, request, errors.notAuthenticated({ reason: 'the address has not answered the current challenge' }));
      if (answered.challenge !== issued.challenge) return notVerified(reply, request, errors.wrongChallenge({ reason: 'the address answered another challenge' }));
      if (answered.value !== issued.value) return notVerified(reply, request, errors.wrongAmount({ reason: 'the address paid another amount than the challenge asked' }));
      if (now - Number(answered.timestamp) > DAY_SECONDS) return notVerified(reply, request, errors.expired({ reason: 'the answer is more than 24 hours old' }));
      const at = new Date(Number(answered.timestamp) * 1000);
      const [inserted] = await hydro.db.query<{ id: string }>(
        `INSERT INTO hydro_authentication (tenant_id, id, hydro_address_id, challenge, authenticated_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (tenant_id, hydro_address_id, challenge) DO NOTHING RETURNING id`,
        [tenantId, randomUUID(), id, issued.challenge.toString(), at],
      );
      const authenticationId =
        inserted?.id ??
        (
          await hydro.db.query<{ id: string }>('SELECT id FROM hydro_authentication WHERE tenant_id = $1 AND hydro_address_id = $2 AND challenge = $3', [
            tenantId,
            id,
            issued.challenge.toString(),
          ])
        )[0].id;
      return { verified: true as const, authentication_id: authenticationId, timestamp: at.toISOString() };
    },
  });
}
