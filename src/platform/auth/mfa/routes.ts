import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { actorOf, apiActor, type Actor } from '../../audit/actor.ts';
import type { Database } from '../../db/database.ts';
import { errors } from '../../http/errors.ts';
import { typedRoutes } from '../../http/typed-routes.ts';
import { noContent } from '../../http/typebox-schemas.ts';
import { errorResponses } from '../../openapi/shared-schemas.ts';
import type { Raindrop } from '../../../hydro/signatures.ts';
import { getAdminUser } from '../admin-users.ts';
import { adminClientIdParams } from '../admin-schemas.ts';
import { scopeRefusal } from '../scopes.ts';
import { checkAllowed } from '../../credentials/allowlist.ts';
import { resolveToken } from '../tokens.ts';
import {
  confirmRaindrop,
  confirmTotp,
  enrolledHydroId,
  hasConfirmedFactor,
  mfaStatus,
  resetMfa,
  sixDigitMessage,
  startRaindrop,
  startTotp,
} from './factors.ts';
import { findMfaToken, MFA_TOKEN_SECONDS, setRaindropMessage, type MfaTicket } from './mfa-tokens.ts';

const TAG = 'Admin 2FA';
const BEARER = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i;

/** Who calls an enrolment route: the admin user, by its own access token or by the mfa_token of a password just checked. */
interface MfaCaller {
  tenantId: string;
  adminUserId: string;
  /** The credential of the access token, or the one that checked the password. */
  credentialId: string;
  /** Set when the caller presented an mfa_token rather than an access token. */
  ticket: MfaTicket | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    mfaCaller: MfaCaller;
  }
}

const statusSchema = Type.Object(
  {
    is_2fa: Type.Boolean({ description: 'A second factor is required at sign-in' }),
    is_2fa_verified: Type.Boolean({ description: 'A second factor has been enrolled and proven' }),
    totp: Type.Boolean({ description: 'An authenticator app (TOTP) is enrolled' }),
    // TypeBox infers no type from an object-or-null `type` list, and a union would document an anyOf.
    raindrop: Type.Unsafe<{ hydro_id: string } | null>({
      type: ['object', 'null'],
      properties: { hydro_id: { type: 'string' } },
      required: ['hydro_id'],
      description: 'The HydroID enrolled for client-side Raindrop, if any',
    }),
    recovery_codes_left: Type.Integer(),
  },
  { title: 'AdminMfaStatus' },
);

const recoveryCodesSchema = {
  type: 'array',
  items: { type: 'string' },
  description: 'Ten single-use codes, each standing for the second factor once. Shown this once; any earlier set no longer works.',
};

async function identify(db: Database, request: FastifyRequest): Promise<MfaCaller> {
  const match = BEARER.exec(request.headers.authorization ?? '');
  if (!match) throw errors.unauthorized({ reason: 'Send "Authorization: Bearer <access_token or mfa_token>"' });
  const auth = await resolveToken(db, match[1]);
  if (auth) {
    if (!auth.adminUserId) throw errors.forbidden({ reason: "Second factors belong to admin users: use an admin user's own token, or the mfa_token of its sign-in" });
    checkAllowed(auth.allowlist ?? null, request.ip);
    const refused = scopeRefusal(auth.scopes, request.method, () => request.routeOptions.url);
    if (refused) throw refused;
    return { tenantId: auth.tenantId, adminUserId: auth.adminUserId, credentialId: auth.credentialId, ticket: null };
  }
  const ticket = await findMfaToken(db, match[1]);
  if (!ticket) throw errors.unauthorized({ reason: 'The access token or mfa_token is invalid, expired or used' });
  return { tenantId: ticket.tenantId, adminUserId: ticket.adminUserId, credentialId: ticket.credentialId, ticket };
}

/** The admin user at work, through the credential of its token or of the sign-in its mfa_token belongs to. */
function callerActor(request: FastifyRequest): Actor {
  return apiActor(request.mfaCaller, request.ip);
}

/**
 * A password alone may enrol the first factor of a user who must have one (Auth0 allows the
 * same with an mfa_token); once one is in force, adding or replacing a factor takes a token
 * earned with it, or a password thief could enrol its own.
 */
async function mayEnrol(db: Database, caller: MfaCaller): Promise<void> {
  if (caller.ticket && (await hasConfirmedFactor(db, caller.adminUserId))) {
    throw errors.forbidden({ reason: 'This user already has a second factor: sign in with it, then enrol another with the access token' });
  }
}

export interface MfaRoutesOptions {
  db: Database;
  raindrop: Raindrop;
}

/** /admin/v1/mfa: an admin user's own second factors. */
export const mfaRoutes: FastifyPluginAsync<MfaRoutesOptions> = async (app, { db, raindrop }) => {
  const routes = typedRoutes(app);
  app.decorateRequest('mfaCaller', null as never);
  app.addHook('onRequest', async (request) => {
    request.mfaCaller = await identify(db, request);
  });

  routes.get('/', {
    schema: {
      tags: [TAG],
      summary: "The caller's second factors",
      description: 'With an access token of an admin user, or the mfa_token its password earned.',
      response: { 200: statusSchema, ...errorResponses },
    },
    handler: async (request) => mfaStatus(db, request.mfaCaller.tenantId, request.mfaCaller.adminUserId),
  });

  routes.post('/totp', {
    schema: {
      tags: [TAG],
      summary: 'Start enrolling an authenticator app (TOTP, RFC 6238)',
      description:
        'Answers a new secret and its otpauth:// URI (show it as a QR code); nothing changes at sign-in until POST /totp/confirm proves it. ' +
        'With the mfa_token only while the user has no second factor.',
      response: {
        201: {
          type: 'object',
          properties: {
            secret: { type: 'string', description: 'Base32' },
            otpauth_uri: { type: 'string' },
            algorithm: { type: 'string' },
            digits: { type: 'integer' },
            period: { type: 'integer' },
          },
          required: ['secret', 'otpauth_uri', 'algorithm', 'digits', 'period'],
        },
        ...errorResponses,
      },
    },
    handler: async (request, reply) => {
      await mayEnrol(db, request.mfaCaller);
      return reply.code(201).send(await startTotp(db, request.mfaCaller.tenantId, request.mfaCaller.adminUserId));
    },
  });

  routes.post('/totp/confirm', {
    config: { errors: [errors.noPendingEnrolment, errors.invalidCode] },
    schema: {
      tags: [TAG],
      summary: 'Confirm the authenticator app with a code it shows',
      description: 'Puts TOTP in force, sets is_2fa and is_2fa_verified, and answers a new set of recovery codes. Wrong codes count as failed logins.',
      body: Type.Object({ otp: Type.String({ minLength: 1, maxLength: 16 }) }, { additionalProperties: false }),
      response: { 200: { type: 'object', properties: { recovery_codes: recoveryCodesSchema }, required: ['recovery_codes'] }, ...errorResponses },
    },
    handler: async (request) => {
      await mayEnrol(db, request.mfaCaller);
      const { otp } = request.body;
      return { recovery_codes: await confirmTotp(db, request.mfaCaller.tenantId, request.mfaCaller.adminUserId, otp, callerActor(request)) };
    },
  });

  routes.post('/raindrop', {
    config: { errors: [errors.hydroIdNotRegistered, errors.chainUnavailable] },
    schema: {
      tags: [TAG],
      summary: 'Start enrolling a HydroID (client-side Raindrop)',
      description:
        "The HydroID must be registered on the chain. Answers a six-digit message for the user's authenticator to sign and submit " +
        '(POST /hydro/v1/signature, or `deuterium hydro sign`), then POST /raindrop/confirm.',
      body: Type.Object({ hydro_id: Type.String({ minLength: 3, maxLength: 32 }) }, { additionalProperties: false }),
      response: {
        201: {
          type: 'object',
          properties: { hydro_id: { type: 'string' }, address: { type: 'string' }, message: { type: 'string' } },
          required: ['hydro_id', 'address', 'message'],
        },
        ...errorResponses,
      },
    },
    handler: async (request, reply) => {
      await mayEnrol(db, request.mfaCaller);
      const { hydro_id: hydroId } = request.body;
      return reply.code(201).send(await startRaindrop(db, raindrop, request.mfaCaller.tenantId, request.mfaCaller.adminUserId, hydroId));
    },
  });

  routes.post('/raindrop/confirm', {
    config: { errors: [errors.noPendingEnrolment, errors.raindropNotVerified, errors.chainUnavailable] },
    schema: {
      tags: [TAG],
      summary: 'Confirm the HydroID once its authenticator signed the message',
      description: 'Verified on the chain as GET /hydro/v1/verify_signature does. Puts Raindrop in force and answers a new set of recovery codes.',
      response: {
        200: { type: 'object', properties: { hydro_id: { type: 'string' }, recovery_codes: recoveryCodesSchema }, required: ['hydro_id', 'recovery_codes'] },
        ...errorResponses,
      },
    },
    handler: async (request) => {
      await mayEnrol(db, request.mfaCaller);
      const { hydroId, recoveryCodes } = await confirmRaindrop(db, raindrop, request.mfaCaller.tenantId, request.mfaCaller.adminUserId, callerActor(request));
      return { hydro_id: hydroId, recovery_codes: recoveryCodes };
    },
  });

  routes.post('/raindrop/challenge', {
    config: { errors: [errors.mfaNotEnrolled] },
    schema: {
      tags: [TAG],
      summary: 'The message to sign for a Raindrop sign-in',
      description:
        'With the mfa_token as bearer. The enrolled HydroID signs the message (POST /hydro/v1/signature); then the token endpoint takes ' +
        'grant_type=urn:deuterium:params:oauth:grant-type:mfa-raindrop with the mfa_token. Asking again replaces the message.',
      response: {
        200: {
          type: 'object',
          properties: { challenge_type: { type: 'string', enum: ['raindrop'] }, hydro_id: { type: 'string' }, message: { type: 'string' }, expires_in: { type: 'integer' } },
          required: ['challenge_type', 'hydro_id', 'message', 'expires_in'],
        },
        ...errorResponses,
      },
    },
    handler: async (request) => {
      const { ticket, adminUserId } = request.mfaCaller;
      if (!ticket) throw errors.forbidden({ reason: 'A Raindrop challenge completes a sign-in: send the mfa_token of the password grant as bearer' });
      const hydroId = await enrolledHydroId(db, adminUserId);
      if (!hydroId) throw errors.mfaNotEnrolled({ reason: 'This user has no HydroID enrolled for Raindrop' });
      const message = sixDigitMessage();
      await setRaindropMessage(db, ticket, message);
      return { challenge_type: 'raindrop' as const, hydro_id: hydroId, message, expires_in: MFA_TOKEN_SECONDS };
    },
  });
};

/** DELETE /admin/v1/client/{client_id}/mfa, inside /admin/v1's bearer scope: a super-admin resets a user's second factors. */
export const mfaResetRoutes: FastifyPluginAsync<{ db: Database }> = async (app, { db }) => {
  typedRoutes(app).delete('/client/:client_id/mfa', {
    config: { errors: [errors.notFound] },
    schema: {
      tags: [TAG],
      summary: "Reset an admin user's second factors",
      description:
        'ROLE_SUPER_ADMIN only. Removes the TOTP secret, HydroID and recovery codes, sets is_2fa_verified to false and revokes the ' +
        "user's tokens; is_2fa is kept, so a user required to use a second factor enrols a new one at its next sign-in.",
      params: adminClientIdParams,
      response: { 204: noContent('Reset'), ...errorResponses },
    },
    handler: async (request, reply) => {
      if (!request.auth.authorities.includes('ROLE_SUPER_ADMIN')) throw errors.forbidden({ reason: "Only a ROLE_SUPER_ADMIN may reset a user's second factors" });
      const id = String(request.params.client_id);
      await getAdminUser(db, request.auth.tenantId, id);
      await resetMfa(db, request.auth.tenantId, id, actorOf(request));
      return reply.code(204).send();
    },
  });
};
