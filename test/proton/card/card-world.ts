import assert from 'node:assert/strict';
import { ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, type TestServer } from '../../support/server.ts';

/** Records for the card family's tests, made through the Nucleus API as a program would. */

export async function create(server: TestServer, entity: string, body: Record<string, unknown>): Promise<string> {
  const result = await server.request('POST', `/nucleus/v1/${entity}`, { body });
  assert.equal(result.status, 201, `${entity}: ${JSON.stringify(result.body)}`);
  return result.body.id as string;
}

export interface Codes {
  purchase: string;
  atm: string;
  load: string;
}

export interface Cardholder {
  client: string;
  account: string;
  portfolio: string;
  card: string;
  username: string;
  password: string;
}

export class CardWorld {
  private model?: string;
  private accountType?: string;
  codes?: Codes;
  private serial = 0;

  constructor(readonly server: TestServer) {}

  async setUp(): Promise<this> {
    this.model = await create(this.server, 'model', { name: 'Card model' });
    this.accountType = await create(this.server, 'account_type', { name: 'Card account' });
    this.codes = {
      purchase: await create(this.server, 'transaction_code', { transaction_code: 'CARD_PURCHASE', transaction_type: 'purchase', is_deposit: false }),
      atm: await create(this.server, 'transaction_code', { transaction_code: 'CARD_ATM', transaction_type: 'atm_withdrawal', is_deposit: false }),
      load: await create(this.server, 'transaction_code', { transaction_code: 'CARD_LOAD', is_deposit: true }),
    };
    return this;
  }

  /** A client (a login with ROLE_CLIENT) with an account, a portfolio and a card on it. */
  async cardholder(extra: { group?: string[]; business_id?: string; currency?: string; cardStatus?: string } = {}): Promise<Cardholder> {
    const n = ++this.serial;
    const username = `holder${n}-${Math.random().toString(36).slice(2, 8)}@card.test`;
    const password = `holder-${n}-Pass-word`;
    const client = await create(this.server, 'client', {
      username,
      password,
      client_type: 'individual',
      first_name: 'Holder',
      last_name: `Number${n}`,
      authorities: ['ROLE_CLIENT'],
      ...(extra.group ? { group: extra.group } : {}),
      ...(extra.business_id ? { business_id: extra.business_id } : {}),
    });
    const account = await create(this.server, 'account', {
      name: `Card account ${n}`,
      account_type_id: this.accountType,
      clients: [{ client_id: client, client_account_association_type: 'owner' }],
    });
    const portfolio = await create(this.server, 'portfolio', { name: `Card portfolio ${n}`, account_id: account, percentage: 100, model_id: this.model });
    const card = await this.card(client, portfolio, extra);
    return { client, account, portfolio, card, username, password };
  }

  /** Another portfolio on the holder's account, for another card. */
  portfolio(holder: Cardholder): Promise<string> {
    return create(this.server, 'portfolio', { name: `Card portfolio ${++this.serial}`, account_id: holder.account, percentage: 100, model_id: this.model });
  }

  card(client: string, portfolio: string, extra: { business_id?: string; currency?: string; cardStatus?: string } = {}): Promise<string> {
    return create(this.server, 'card', {
      card_holder_name: 'Holder',
      card_issuance: 'virtual',
      card_name: 'Everyday',
      card_type: 'debit',
      portfolio_id: portfolio,
      client_id: client,
      currency_code: extra.currency ?? 'USD',
      ...(extra.business_id ? { business_id: extra.business_id } : {}),
      ...(extra.cardStatus ? { status: extra.cardStatus } : {}),
    });
  }

  /** A card transaction (a portfolio transaction on the card's portfolio). */
  async spend(
    holder: { account: string; portfolio: string },
    date: string,
    amount: number,
    extra: { code?: keyof Codes; merchant?: string; mcc?: string; category?: string; category_id?: string; status?: string; currency?: string; secondary_id?: string; is_cleansed?: boolean } = {},
  ): Promise<string> {
    const { code = 'purchase', ...fields } = extra;
    return create(this.server, 'portfolio_transaction', {
      account_id: holder.account,
      portfolio_id: holder.portfolio,
      model_id: this.model,
      transaction_code_id: this.codes![code],
      date: date.length === 10 ? `${date}T12:00:00.000Z` : date,
      amount,
      status: 'completed',
      currency_code: 'USD',
      ...Object.fromEntries(Object.entries(fields).map(([k, v]) => [k === 'mcc' ? 'merchant_category_code' : k === 'category_id' ? 'transaction_category_id' : k === 'currency' ? 'currency_code' : k, v])),
    });
  }

  async login(holder: Cardholder): Promise<string> {
    const login = await this.server.token(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, { grant_type: 'password', username: holder.username, password: holder.password });
    assert.equal(login.status, 200, JSON.stringify(login.body));
    return login.body.access_token as string;
  }
}
