import { EntityReader } from '../platform/read/entity-reader.ts';
import type { TypedRoutes } from '../platform/http/typed-routes.ts';
import { errors } from '../platform/http/errors.ts';
import type { AuthContext } from '../platform/auth/tokens.ts';
import type { StoredRecord } from '../platform/entity/store.ts';
import { errorResponses } from '../platform/openapi/shared-schemas.ts';
import { requireProgramRole } from './access.ts';
import { atProcessor, type Electron } from './context.ts';
import type { SpendingControlData } from './processor.ts';
import { CardSpendingControlRequest, CardSpendingControlResponse, SpendingControlParams } from './schemas.ts';

/** The spending control as the processor gets it: the Nucleus record's enforceable fields. */
function controlData(control: StoredRecord): SpendingControlData {
  const optional = <T>(field: string, value: T | undefined) => (value === undefined ? {} : { [field]: value });
  return {
    ...optional('client_id', control.client_id as string | undefined),
    control_scope: String(control.control_scope),
    control_type: String(control.control_type),
    ...optional('control_values', control.control_values as string[] | undefined),
    currency_code: String(control.currency_code),
    ...optional('description', control.description as string | undefined),
    ...optional('frequency', control.frequency as number | undefined),
    ...optional('frequency_unit', control.frequency_unit as string | undefined),
    is_active: control.is_active !== false,
    ...optional('limit_value', control.limit_value as number | undefined),
  };
}

const DESCRIPTION =
  'The sandbox enforces it on simulated purchases with the rules of Proton card_authorization: control_type spending_limit (amount per window), ' +
  'transaction_limit (purchases per window), allow_list or deny_list; control_scope all, purchase, atm_withdrawal, other, merchant (id or name), mid, ' +
  'mcc or merchant_category_code, transaction_category or merchant_category (id or name), matched against control_values; frequency_unit one_time ' +
  '(each purchase on its own), daily, weekly, monthly, quarterly or annually, times frequency. Anything else, and the location scopes, is a 400.';

export function spendingControlRoutes(app: TypedRoutes, electron: Electron): void {
  const { nucleus, records, processors } = electron;

  async function readControl(auth: AuthContext, id: string): Promise<StoredRecord> {
    requireProgramRole(auth, 'spending_control', 'write');
    return EntityReader.asCaller(nucleus, auth).get('spending_control', id);
  }

  app.post('/card/spending_control', {
    config: { errors: [errors.notFound, errors.alreadyEnforced, errors.unsupportedSpendingControl, errors.processorUnavailable] },
    schema: {
      tags: ['Electron'],
      summary: 'Enforce a Nucleus spending control at the processor',
      description: DESCRIPTION,
      operationId: 'createCardSpendingControlUsingPost',
      body: CardSpendingControlRequest,
      response: { 200: CardSpendingControlResponse, ...errorResponses },
    },
    handler: async (request) => {
      const { auth } = request;
      const control = await readControl(auth, request.body.nucleus_spending_control_id);
      if (await records.spendingControl(auth.tenantId, control.id)) {
        throw errors.alreadyEnforced({ reason: `Spending control ${control.id} is already at the processor; send changes with PUT /card/spending_control/${control.id}` });
      }
      const processor = processors.forTenant(auth.tenantId);
      const data = controlData(control);
      const result = await atProcessor(`Spending control ${control.id}`, () => processor.createSpendingControl(auth.tenantId, control.id, data));
      if (!(await records.addSpendingControl(auth.tenantId, { nucleus_spending_control_id: control.id, processor: processor.name, vendor_control_id: result.controlId }))) {
        throw errors.alreadyEnforced({ reason: `Spending control ${control.id} reached the processor through another request meanwhile` });
      }
      return {
        nucleus_spending_control_id: control.id,
        message: `Spending control ${control.id} is enforced`,
        vendor_name: processor.name,
        vendor_request_data: data,
        vendor_response: result.vendorResponse,
      };
    },
  });

  app.put('/card/spending_control/:nucleus_spending_control_id', {
    config: { errors: [errors.notFound, errors.unsupportedSpendingControl, errors.unknownSpendingControl, errors.processorUnavailable] },
    schema: {
      tags: ['Electron'],
      summary: "Send a spending control's current Nucleus record to the processor",
      description: `Takes no body: the control is read again from Nucleus. ${DESCRIPTION}`,
      operationId: 'updateCardSpendingControlUsingPut',
      params: SpendingControlParams,
      response: { 200: CardSpendingControlResponse, ...errorResponses },
    },
    handler: async (request) => {
      const { auth } = request;
      const control = await readControl(auth, request.params.nucleus_spending_control_id);
      const link = await records.spendingControl(auth.tenantId, control.id);
      if (!link) throw errors.notFound({ reason: `Spending control ${control.id} is not at the processor; send it with POST /card/spending_control` });
      const processor = processors.named(link.processor);
      const data = controlData(control);
      const result = await atProcessor(`Spending control ${control.id}`, () => processor.updateSpendingControl(auth.tenantId, link.vendor_control_id, data));
      return {
        nucleus_spending_control_id: control.id,
        message: `Spending control ${control.id} updated`,
        vendor_name: processor.name,
        vendor_request_data: data,
        vendor_response: result.vendorResponse,
      };
    },
  });
}
