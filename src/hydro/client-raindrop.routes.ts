import { randomInt, randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { TypedRoutes } from '../platform/http/typed-routes.ts';
import type { Address, Hex } from 'viem';
import { errorBody, type ApiError } from '../platform/http/api-error.ts';
import { errors } from '../platform/http/errors.ts';
import { errorResponses } from '../platform/openapi/shared-schemas.ts';
import type { Hydro } from './context.ts';
import { registeredAddress, spendSignature } from './signatures.ts';
import {
  ApplicationClientQuery,
  ApplicationClientRequest,
  ApplicationClientResponse,
  ApplicationRequest,
  ApplicationResponse,
  MessageResponse,
  notVerifiedSchema,
  SignatureRequest,
  SignatureResponse,
  VerifySignatureQuery,
  VerifySignatureResponse,
} from './schemas.ts';

async function requireApplication(hydro: Hydro, tenantId: string, applicationId: string): Promise<void> {
  const [row] = await hydro.db.query('SELECT 1 FROM hydro_application WHERE tenant_id = $1 AND id = $2', [tenantId, applicationId]);
  if (!row) throw errors.notFound({ reason: `no application has id ${applicationId}`, field: 'application_id' });
}

/** Hydro answers a failed check as a 401 with authenticated false, through the route's response schema. */
function notAuthenticated(reply: FastifyReply, request: FastifyRequest, error: ApiError) {
  return reply.code(error.status).send({ ...errorBody(error, String(request.id)), authenticated: false });
}

const SIGNATURE_REFUSALS = { no_signature: errors.noSignature, message_spent: errors.messageSpent } as const;

export function clientRaindropRoutes(app: TypedRoutes, hydro: Hydro): void {
  app.post('/application', {
    schema: {
      tags: ['Hydro'],
      summary: "Create one of the partner's applications for client-side Raindrop",
      body: ApplicationRequest,
      response: { 201: ApplicationResponse, ...errorResponses },
    },
    handler: async (request, reply) => {
      const { name } = request.body;
      const [row] = await hydro.db.query<{ id: string; name: string; create_date: Date }>(
        'INSERT INTO hydro_application (tenant_id, id, name) VALUES ($1, $2, $3) RETURNING id, name, create_date',
        [request.auth.tenantId, randomUUID(), name],
      );
      return reply.code(201).send({ ...row, create_date: row.create_date.toISOString() });
    },
  });

  app.get('/message', {
    schema: {
      tags: ['Hydro'],
      summary: 'A fresh six-digit message for a user to sign',
      description: 'Uniform over 000000-999999, from the operating system CSPRNG.',
      response: { 200: MessageResponse, ...errorResponses },
    },
    handler: async () => ({ message: randomInt(0, 1_000_000).toString().padStart(6, '0') }),
  });

  app.post('/application/client', {
    schema: {
      tags: ['Hydro'],
      summary: "Register a user's HydroID with one of the partner's applications",
      description: "The HydroID must be registered with an address on the chain's HydroID registry.",
      body: ApplicationClientRequest,
      response: { 201: ApplicationClientResponse, ...errorResponses },
    },
    handler: async (request, reply) => {
      const { tenantId } = request.auth;
      const { hydro_id: hydroId, application_id: applicationId } = request.body;
      await requireApplication(hydro, tenantId, applicationId);
      const address = await registeredAddress(hydro, hydroId);
      const { zeroAddress } = await import('viem');
      if (address === zeroAddress) throw errors.hydroIdNotRegistered({ reason: `HydroID ${hydroId} is not registered on the chain`, field: 'hydro_id' });
      const [row] = await hydro.db.query(
        `INSERT INTO hydro_application_client (tenant_id, application_id, hydro_id) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING RETURNING 1`,
        [tenantId, applicationId, hydroId],
      );
      if (!row) throw errors.alreadyRegistered({ reason: `HydroID ${hydroId} is already registered with application ${applicationId}`, field: 'hydro_id' });
      return reply.code(201).send({ hydro_id: hydroId, application_id: applicationId, address });
    },
  });

  app.delete('/application/client', {
    schema: {
      tags: ['Hydro'],
      summary: "Unregister a user's HydroID from an application",
      querystring: ApplicationClientQuery,
      response: { 204: { type: 'null', description: 'Unregistered' }, ...errorResponses },
    },
    handler: async (request, reply) => {
      const { hydro_id: hydroId, application_id: applicationId } = request.query;
      const rows = await hydro.db.query(
        'DELETE FROM hydro_application_client WHERE tenant_id = $1 AND application_id = $2 AND hydro_id = $3 RETURNING 1',
        [request.auth.tenantId, applicationId, hydroId],
      );
      if (rows.length === 0) throw errors.notFound({ reason: `HydroID ${hydroId} is not registered with application ${applicationId}` });
      return reply.code(204).send(null);
    },
  });

  app.post('/signature', {
    schema: {
      tags: ['Hydro'],
      summary: "An authenticator submits the user's signature of a message",
      description:
        'The signature is an EIP-191 personal signature (personal_sign) of the six-digit message by the key registered for the HydroID. ' +
        'It can be verified for HYDRO_SIGNATURE_WINDOW_SECONDS (default 90) after submission.',
      body: SignatureRequest,
      response: { 201: SignatureResponse, ...errorResponses },
    },
    handler: async (request, reply) => {
      const { hydro_id: hydroId, message, signature } = request.body;
      const { recoverMessageAddress } = await import('viem');
      let signer: Address;
      try {
        signer = await recoverMessageAddress({ message, signature });
      } catch {
        throw errors.invalidField({ field: 'signature', problem: 'is not a valid signature of the message' });
      }
      const [row] = await hydro.db.query<{ submitted_at: Date }>(
        `INSERT INTO hydro_signature (tenant_id, id, hydro_id, message, signature, signer) VALUES ($1, $2, $3, $4, $5, $6) RETURNING submitted_at`,
        [request.auth.tenantId, randomUUID(), hydroId, message, signature, signer],
      );
      return reply.code(201).send({ hydro_id: hydroId, message, signer, submitted_at: row.submitted_at.toISOString() });
    },
  });

  app.get('/verify_signature', {
    schema: {
      tags: ['Hydro'],
      summary: 'Check that the user signed the message',
      description:
        "Authenticated when, within the signature window, the user's authenticator submitted a signature of the message that recovers to " +
        'the address the chain registers for the HydroID, and the HydroID is registered with the application. A message verifies once only.',
      querystring: VerifySignatureQuery,
      response: { 200: VerifySignatureResponse, 401: notVerifiedSchema('authenticated', [errors.notRegistered, errors.noSignature, errors.messageSpent]), ...errorResponses },
    },
    handler: async (request, reply) => {
      const { tenantId } = request.auth;
      const { message, hydro_id: hydroId, application_id: applicationId } = request.query;
      const [[registration], address] = await Promise.all([
        hydro.db.query('SELECT 1 FROM hydro_application_client WHERE tenant_id = $1 AND application_id = $2 AND hydro_id = $3', [tenantId, applicationId, hydroId]),
        registeredAddress(hydro, hydroId),
      ]);
      if (!registration) return notAuthenticated(reply, request, errors.notRegistered({ reason: `HydroID ${hydroId} is not registered with application ${applicationId}` }));
      const check = await spendSignature(hydro, tenantId, hydroId, message, address);
      if (!check.authenticated) return notAuthenticated(reply, request, SIGNATURE_REFUSALS[check.code]({ reason: check.message }));
      return check;
    },
  });
}
