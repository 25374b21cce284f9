import type { TypedRoutes } from '../platform/http/typed-routes.ts';
import { errorResponses } from '../platform/openapi/shared-schemas.ts';
import { requireProgramRole } from './access.ts';
import type { Electron } from './context.ts';
import { fromMinor } from './money.ts';
import { CardReserveResponse } from './schemas.ts';

export function reserveRoutes(app: TypedRoutes, electron: Electron): void {
  app.get('/card/reserve', {
    schema: {
      tags: ['Electron'],
      summary: "The card program's reserve account",
      description: 'Read from the processor: for the sandbox, from its ledger. Loads draw on the reserve and unloads return to it.',
      operationId: 'getCardReserveAccountDetailsUsingGet',
      response: { 200: CardReserveResponse, ...errorResponses },
    },
    handler: async (request) => {
      const { auth } = request;
      requireProgramRole(auth, 'card_program', 'read');
      const processor = electron.processors.forTenant(auth.tenantId);
      const reserve = await processor.reserve(auth.tenantId);
      return {
        balance: fromMinor(reserve.balanceMinor),
        balance_available: fromMinor(reserve.availableMinor),
        overdraft_limit: fromMinor(reserve.overdraftLimitMinor),
        wallet_id: reserve.walletId,
        message: 'Card program reserve',
        vendor_name: processor.name,
        vendor_response: reserve.vendorResponse,
      };
    },
  });
}
