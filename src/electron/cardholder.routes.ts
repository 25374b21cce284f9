import { EntityReader } from '../platform/read/entity-reader.ts';
import type { TypedRoutes } from '../platform/http/typed-routes.ts';
import { errors } from '../platform/http/errors.ts';
import type { StoredRecord } from '../platform/entity/store.ts';
import { errorResponses } from '../platform/openapi/shared-schemas.ts';
import { requireProgramRole } from './access.ts';
import { atProcessor, type Electron } from './context.ts';
import type { CardholderProfile } from './processor.ts';
import { CardClientRequest, ClientParams, CreateCardClientResponse, UpdateCardClientResponse } from './schemas.ts';

type Address = Record<string, unknown> & { is_primary?: boolean };

/**
 * The cardholder fields a processor asks for, from the client record and then the request's
 * vendor_request; `external_id` ties the cardholder back to the client (the sandbox matches
 * client-specific spending controls by it).
 */
function profileOf(client: StoredRecord, vendorRequest: Record<string, string> | undefined): CardholderProfile {
  const addresses = Array.isArray(client.address) ? (client.address as Address[]) : [];
  const address = addresses.find((a) => a.is_primary) ?? addresses[0];
  const fromClient: Record<string, unknown> = {};
  for (const field of ['first_name', 'last_name', 'email', 'phone_number', 'date_of_birth']) {
    if (typeof client[field] === 'string' && client[field] !== '') fromClient[field] = client[field];
  }
  if (address) {
    for (const field of ['address_line1', 'address_line2', 'city', 'state', 'postalcode', 'country']) {
      if (typeof address[field] === 'string') fromClient[field] = address[field];
    }
  }
  const profile: Record<string, unknown> = { ...fromClient, ...vendorRequest, external_id: client.id };
  for (const needed of ['first_name', 'last_name']) {
    if (typeof profile[needed] !== 'string' || profile[needed] === '') {
      throw errors.invalidField({ field: 'nucleus_client_id', problem: `client ${client.id} has no ${needed}, which a cardholder needs; set it on the client or send it in vendor_request` });
    }
  }
  return profile as CardholderProfile;
}

export function cardholderRoutes(app: TypedRoutes, electron: Electron): void {
  const { nucleus, records, processors } = electron;

  app.post('/card/client', {
    config: { errors: [errors.notFound, errors.alreadyCardholder, errors.processorUnavailable] },
    schema: {
      tags: ['Electron'],
      summary: 'Make a Nucleus client a cardholder at the processor',
      operationId: 'createClientCardUsingPost',
      body: CardClientRequest,
      response: { 200: CreateCardClientResponse, ...errorResponses },
    },
    handler: async (request) => {
      const { auth } = request;
      const body = request.body;
      requireProgramRole(auth, 'client', 'write');
      const client = await EntityReader.asCaller(nucleus, auth).get('client', body.nucleus_client_id);
      if (await records.cardholder(auth.tenantId, client.id)) {
        throw errors.alreadyCardholder({ reason: `Client ${client.id} is already a cardholder; update it with PUT /card/client/${client.id}` });
      }
      const processor = processors.forTenant(auth.tenantId);
      const profile = profileOf(client, body.vendor_request);
      const holder = await atProcessor(`Client ${client.id}`, () => processor.createCardholder(auth.tenantId, profile));
      const added = await records.addCardholder(auth.tenantId, { nucleus_client_id: client.id, processor: processor.name, vendor_cardholder_id: holder.cardholderId });
      if (!added) throw errors.alreadyCardholder({ reason: `Client ${client.id} became a cardholder through another request meanwhile` });
      return {
        nucleus_client_id: client.id,
        status: holder.status,
        message: `Client ${client.id} is now a cardholder`,
        vendor_name: processor.name,
        vendor_response: holder.vendorResponse,
      };
    },
  });

  app.put('/card/client/:nucleus_client_id', {
    config: { errors: [errors.notFound, errors.notACardholder, errors.unknownCardholder, errors.processorUnavailable] },
    schema: {
      tags: ['Electron'],
      summary: "Send a cardholder's current client record to the processor",
      description: 'Takes no body: the cardholder fields are read again from the Nucleus client.',
      operationId: 'updateClientCardUsingPut',
      params: ClientParams,
      response: { 200: UpdateCardClientResponse, ...errorResponses },
    },
    handler: async (request) => {
      const { auth } = request;
      const { nucleus_client_id: clientId } = request.params;
      requireProgramRole(auth, 'client', 'write');
      const client = await EntityReader.asCaller(nucleus, auth).get('client', clientId);
      const link = await records.cardholder(auth.tenantId, client.id);
      if (!link) throw errors.notFound({ reason: `Client ${client.id} is not a cardholder; make it one with POST /card/client` });
      const processor = processors.named(link.processor);
      const profile = profileOf(client, undefined);
      const holder = await atProcessor(`Client ${client.id}`, () => processor.updateCardholder(auth.tenantId, link.vendor_cardholder_id, profile));
      return {
        nucleus_client_id: client.id,
        message: `Cardholder ${client.id} updated`,
        vendor_name: processor.name,
        vendor_request_data: profile,
        vendor_response: holder.vendorResponse,
      };
    },
  });
}
