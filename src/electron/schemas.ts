import { Type, type TProperties } from 'typebox';

/**
 * Request and response bodies of Electron, as electron.yaml defines them. Hydrogen marks no
 * request field required, but each operation means nothing without its Nucleus id, so that one
 * is required here (a 400 naming it beats a 404 for "undefined").
 */

const uuid = (description: string) => Type.String({ format: 'uuid', description });
/** The processor's own answer, whatever its shape. */
const FreeForm = (description: string) => Type.Unsafe<Record<string, unknown>>(Type.Object({}, { additionalProperties: true, description }));

const vendor = {
  message: Type.String({ description: 'What was done, for people' }),
  vendor_name: Type.String({ description: 'The processor that did it, e.g. "sandbox"' }),
  vendor_response: FreeForm("The processor's answer; never a full card number"),
};

function request<P extends TProperties>(title: string, properties: P) {
  return Type.Object(properties, { additionalProperties: false, title });
}

const reason = Type.String({ description: 'Why, kept with the change' });
const vendorRequest = FreeForm('Extra fields passed to the processor as they are; the sandbox needs none');

export const CardClientRequest = request(
  'CardClientRequestCO',
  {
    nucleus_client_id: uuid('The Nucleus client to make a cardholder'),
    vendor_request: Type.Optional(
      Type.Record(Type.String(), Type.String(), { description: 'Cardholder fields sent to the processor over those of the client record' }),
    ),
  },
);

export const CardBaseRequest = request(
  'CardBaseRequestCO',
  { nucleus_card_id: uuid('The Nucleus card'), reason: Type.Optional(reason), vendor_request: Type.Optional(vendorRequest) },
);

export const CardFundsRequest = request(
  'CardLoadRequestCO',
  { nucleus_funding_id: uuid('The Nucleus funding that says which card, and how much'), reason: Type.Optional(reason) },
);

export const AchCardRequest = request(
  'AchCardRequestCO',
  { nucleus_funding_id: uuid('The Nucleus funding naming the bank link, the card and the amount') },
);

export const CardSpendingControlRequest = request(
  'CardSpendingControlRequestCO',
  { nucleus_spending_control_id: uuid('The Nucleus spending control to enforce at the processor') },
);

export const ClientParams = Type.Object({ nucleus_client_id: uuid('The Nucleus client') });
export const SpendingControlParams = Type.Object({ nucleus_spending_control_id: uuid('The Nucleus spending control') });

export const CreateCardClientResponse = Type.Object(
  { ...vendor, nucleus_client_id: uuid('The Nucleus client'), status: Type.String({ description: "The cardholder's status at the processor" }) },
  { title: 'CreateCardClientResponseVO' },
);

export const UpdateCardClientResponse = Type.Object(
  { ...vendor, nucleus_client_id: uuid('The Nucleus client'), vendor_request_data: FreeForm('The cardholder fields sent to the processor') },
  { title: 'UpdateCardClientResponseVO' },
);

export const BaseResponse = Type.Object(vendor, { title: 'BaseResponseVO' });

export const CardFundsResponse = Type.Object(
  {
    ...vendor,
    amount: Type.Number({ description: 'The amount moved' }),
    card_status: Type.String({ description: "The card's state: issued, active, suspended or closed" }),
    nucleus_card_id: uuid('The card'),
    nucleus_funding_id: uuid('The funding'),
  },
  { title: 'CardLoadUnloadResponseVO' },
);

export const AchCardResponse = Type.Object(
  {
    ...vendor,
    nucleus_funding_id: uuid('The funding'),
    status: Type.String({ description: 'pending until the transfer settles, then completed (or returned, when it could not reach the card)' }),
  },
  { title: 'AchCardResponseVO' },
);

export const CardReplaceResponse = Type.Object(
  {
    ...vendor,
    card_status: Type.String({ description: "The new card's state" }),
    nucleus_card_id: uuid('The card asked to be replaced'),
    replaced_nucleus_card_id: uuid('The card asked to be replaced, now closed'),
    new_nucleus_card_id: uuid('The new card, a copy of the old one in Nucleus'),
  },
  { title: 'CardReplaceResponseVO' },
);

export const CardReserveResponse = Type.Object(
  {
    ...vendor,
    balance: Type.Number({ description: "The program reserve's balance; negative while in overdraft" }),
    balance_available: Type.Number({ description: 'What can still be loaded onto cards: the balance plus the overdraft limit' }),
    overdraft_limit: Type.Number({ description: 'How far below zero the reserve may go' }),
    wallet_id: Type.String({ description: "The processor's id of the reserve account" }),
  },
  { title: 'CardReserveAccountResponseVO' },
);

export const SpendingControlData = Type.Object(
  {
    client_id: Type.Optional(uuid('The client it applies to; every cardholder when absent')),
    control_scope: Type.String(),
    control_type: Type.String(),
    control_values: Type.Optional(Type.Array(Type.String())),
    currency_code: Type.String(),
    description: Type.Optional(Type.String()),
    frequency: Type.Optional(Type.Integer()),
    frequency_unit: Type.Optional(Type.String()),
    is_active: Type.Boolean(),
    limit_value: Type.Optional(Type.Number()),
  },
  { title: 'SpendingControlVendorRequestDataVO' },
);

export const CardSpendingControlResponse = Type.Object(
  { ...vendor, nucleus_spending_control_id: uuid('The spending control'), vendor_request_data: SpendingControlData },
  { title: 'CardSpendingControlResponseVO' },
);
