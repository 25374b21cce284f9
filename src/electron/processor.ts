import { errors } from '../platform/http/errors.ts';

/**
 * What Electron needs of an issuer processor. Electron reads Nucleus, calls one of these and
 * records the outcome back in Nucleus; everything on the processor's side of the line (card
 * numbers, balances, the money itself) stays behind this interface. docs/electron.md says how
 * to add a real processor.
 *
 * Calls that move money take a `reference` and must be idempotent on it: Electron repeats a
 * call, with the same reference, whenever it cannot tell whether the first one took effect.
 */

export type CardState = 'issued' | 'active' | 'suspended' | 'closed';
export type CardTransition = 'activate' | 'suspend' | 'close';

/** Whatever the processor answered, passed through to the API's `vendor_response`. */
export type VendorResponse = Record<string, unknown>;

/** Cardholder details as sent to the processor (`vendor_request_data` of the update). */
export type CardholderProfile = Record<string, unknown> & { first_name: string; last_name: string };

export interface Cardholder {
  cardholderId: string;
  status: string;
  vendorResponse: VendorResponse;
}

export interface IssuedCard {
  cardId: string;
  lastFour: string;
  /** YYYY-MM-DD, the last day the card is valid. */
  expiryDate: string;
  state: CardState;
  vendorResponse: VendorResponse;
}

export interface CardStateChange {
  state: CardState;
  vendorResponse: VendorResponse;
}

export interface Replacement {
  card: IssuedCard;
  /** The balance carried from the old card onto the new one. */
  movedMinor: bigint;
  vendorResponse: VendorResponse;
}

export interface Posting {
  /** The processor's id of the money movement. */
  vendorReference: string;
  /** The card's balance once the movement is in. */
  balanceMinor: bigint;
  postedAt: string;
  vendorResponse: VendorResponse;
}

export interface FundsRequest {
  reference: string;
  cardId: string;
  amountMinor: bigint;
  reason?: string;
}

export interface AchRequest extends FundsRequest {
  bankAccount: { routing: string; accountLastFour: string; holder: string };
}

export type AchStatus =
  | { status: 'pending'; checkAgainAt: Date; vendorResponse: VendorResponse }
  | { status: 'settled'; posting: Posting }
  | { status: 'returned'; reason: string; vendorResponse: VendorResponse };

export interface ReserveBalance {
  walletId: string;
  balanceMinor: bigint;
  availableMinor: bigint;
  overdraftLimitMinor: bigint;
  vendorResponse: VendorResponse;
}

/** The spending control as sent to the processor (`vendor_request_data`). */
export interface SpendingControlData {
  client_id?: string;
  control_scope: string;
  control_type: string;
  control_values?: string[];
  currency_code: string;
  description?: string;
  /** How many frequency_units a limit's window spans (1 when absent). */
  frequency?: number;
  frequency_unit?: string;
  is_active: boolean;
  limit_value?: number;
}

export interface SpendingControlResult {
  controlId: string;
  vendorResponse: VendorResponse;
}

export interface PurchaseRequest {
  reference: string;
  cardId: string;
  amountMinor: bigint;
  transactionType: 'purchase' | 'atm_withdrawal' | 'other';
  merchant?: string;
  merchantId?: string;
  merchantCategoryCode?: string;
  mid?: string;
  transactionCategory?: string;
  transactionCategoryId?: string;
}

export type PurchaseDecision = { approved: true; posting: Posting } | { approved: false; reason: string; vendorResponse: VendorResponse };

export interface CardProcessor {
  readonly name: string;
  createCardholder(tenantId: string, profile: CardholderProfile): Promise<Cardholder>;
  updateCardholder(tenantId: string, cardholderId: string, profile: CardholderProfile): Promise<Cardholder>;
  issueCard(tenantId: string, cardholderId: string, vendorRequest?: Record<string, unknown>): Promise<IssuedCard>;
  changeCardState(tenantId: string, cardId: string, transition: CardTransition, reason?: string): Promise<CardStateChange>;
  /** Closes the card and issues its successor to the same cardholder; asked again, answers the same successor. */
  replaceCard(tenantId: string, cardId: string, reason?: string): Promise<Replacement>;
  load(tenantId: string, request: FundsRequest): Promise<Posting>;
  unload(tenantId: string, request: FundsRequest): Promise<Posting>;
  /** Starts pulling money from a bank account onto the card; the card is credited only once it settles. */
  startAch(tenantId: string, request: AchRequest): Promise<{ checkAgainAt: Date; vendorResponse: VendorResponse }>;
  achStatus(tenantId: string, reference: string): Promise<AchStatus>;
  reserve(tenantId: string): Promise<ReserveBalance>;
  /** `externalId` is the Nucleus spending control's id, for the processor to name it by (in a decline). */
  createSpendingControl(tenantId: string, externalId: string, control: SpendingControlData): Promise<SpendingControlResult>;
  updateSpendingControl(tenantId: string, controlId: string, control: SpendingControlData): Promise<SpendingControlResult>;
  /** Only a sandbox has this: a real processor learns of purchases from the card network. */
  simulatePurchase?(tenantId: string, purchase: PurchaseRequest): Promise<PurchaseDecision>;
}

/** The codes a processor refuses with; the catalogue (errors.ts) holds each one's status. */
const REFUSALS = {
  invalid_card_state: errors.invalidCardState,
  insufficient_funds: errors.insufficientFunds,
  reserve_insufficient: errors.reserveInsufficient,
  card_has_balance: errors.cardHasBalance,
  unknown_card: errors.unknownCard,
  unknown_cardholder: errors.unknownCardholder,
  unknown_transfer: errors.unknownTransfer,
  unknown_spending_control: errors.unknownSpendingControl,
  unsupported_spending_control: errors.unsupportedSpendingControl,
} as const;

/**
 * The processor refused the request: 409 because of the state things are in (a closed card,
 * too little money; the message names the current state), 400 because of what the Nucleus
 * record it was given says (a spending control type it does not know).
 */
export class ProcessorRefusal extends Error {
  constructor(
    readonly code: keyof typeof REFUSALS,
    message: string,
  ) {
    super(message);
    this.name = 'ProcessorRefusal';
  }

  get entry(): (typeof REFUSALS)[keyof typeof REFUSALS] {
    return REFUSALS[this.code];
  }
}
