/** The setting an overflow or a roundup moves money under: into its account (and portfolio), for its client. */
export interface FundedSetting {
  account_id: string;
  client_id: string;
  portfolio_id?: string;
}

/**
 * A one-time deposit from a bank link into the setting's account, as a funding record body.
 * `funding_type` says which feature asked for it, so the requests can be told apart later.
 */
export function fundingRequest(setting: FundedSetting, bankLink: { id: string; doc: { currency_code?: string } }, amount: number, startDate: string, fundingType: 'overflow' | 'roundup') {
  return {
    account_id: setting.account_id,
    ...(setting.portfolio_id ? { portfolio_id: setting.portfolio_id } : {}),
    bank_link_id: bankLink.id,
    ...(typeof bankLink.doc.currency_code === 'string' ? { currency_code: bankLink.doc.currency_code } : {}),
    amount,
    is_deposit: true,
    funding_type: fundingType,
    funding_status: 'requested',
    frequency_unit: 'one_time',
    start_date: startDate,
    description: fundingType === 'overflow' ? 'Balance above the overflow threshold' : 'Roundup of card and bank spending',
  };
}

/** Today's date (UTC), for a funding request whose start date was not given. */
export function today(): string {
  return new Date().toISOString().slice(0, 10);
}
