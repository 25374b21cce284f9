import type { TypedRoutes } from '../platform/http/typed-routes.ts';
import type { Hex } from 'viem';
import { errors } from '../platform/http/errors.ts';
import { errorResponses } from '../platform/openapi/shared-schemas.ts';
import type { Hydro } from './context.ts';
import { HydroIdRequest, HydroIdResponse } from './schemas.ts';

export function hydroIdRoutes(app: TypedRoutes, hydro: Hydro): void {
  app.post('/hydro_id', {
    schema: {
      tags: ['Hydro'],
      summary: 'Register a HydroID on the chain for a user who signed the registration',
      description:
        "Submits the registry's registerFor from the operator's key, so the user needs no ether. The signature is the user's EIP-191 " +
        'personal signature of the 32 bytes registrationHash(hydro_id, address) (keccak256 of the registry address, the HydroID and the ' +
        'address, packed); the registry checks it. `deuterium hydro register` makes it.',
      body: HydroIdRequest,
      response: { 201: HydroIdResponse, ...errorResponses },
    },
    handler: async (request, reply) => {
      const { hydro_id: hydroId, address: given, signature } = request.body;
      const { BaseError, ContractFunctionRevertedError, getAddress, isAddress } = await import('viem');
      if (!isAddress(given)) throw errors.invalidField({ field: 'address', problem: 'is not an Ethereum address' });
      const address = getAddress(given);
      const chain = await hydro.chain();
      const registry = { address: chain.addresses.registry, abi: chain.contracts.HydroIdRegistry.abi };
      // Checked with a call first, so a refusal is a 4xx naming the problem rather than a reverted transaction.
      try {
        await chain.public.simulateContract({ ...registry, functionName: 'registerFor', args: [hydroId, address, signature], account: chain.operator });
      } catch (error) {
        const reverted = error instanceof BaseError ? error.walk((e) => e instanceof ContractFunctionRevertedError) : null;
        const reason = reverted instanceof ContractFunctionRevertedError ? (reverted.reason ?? '') : '';
        if (/taken/.test(reason)) throw errors.hydroIdTaken({ reason: `HydroID ${hydroId} is already registered`, field: 'hydro_id' });
        if (/already has/.test(reason)) throw errors.addressHasHydroId({ reason: `address ${address} already has a HydroID`, field: 'address' });
        if (/signature/.test(reason)) throw errors.invalidField({ field: 'signature', problem: "is not the address's signature of the registration" });
        throw error;
      }
      const { hash } = await chain.send(registry.address, registry.abi, 'registerFor', [hydroId, address, signature]);
      return reply.code(201).send({ hydro_id: hydroId, address, transaction_hash: hash });
    },
  });
}
