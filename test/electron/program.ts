import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { HttpResult, RequestOptions, TestServer } from '../support/server.ts';

/** Test helpers that build a card program through the API, as an app would. */
export class Program {
  private accountType?: string;
  private count = 0;

  constructor(readonly server: TestServer) {}

  async post(entity: string, body: object, options: RequestOptions = {}): Promise<string> {
    const result = await this.server.request('POST', `/nucleus/v1/${entity}`, { ...options, body });
    assert.equal(result.status, 201, `${entity}: ${JSON.stringify(result.body)}`);
    return result.body.id;
  }

  get<T = any>(path: string, options: RequestOptions = {}): Promise<HttpResult<T>> {
    return this.server.request<T>('GET', path, options);
  }

  electron<T = any>(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<HttpResult<T>> {
    return this.server.request<T>(method, `/electron/v1${path}`, { ...options, body });
  }

  /** A client with an account, a portfolio (with a model unless told otherwise) and an unissued card on it. */
  async cardOwner(options: { withModel?: boolean; names?: boolean } = {}): Promise<{ client: string; account: string; portfolio: string; card: string }> {
    const n = ++this.count;
    this.accountType ??= await this.post('account_type', { name: 'Card account' });
    const names = options.names === false ? {} : { first_name: `Card${n}`, last_name: 'Holder' };
    const client = await this.post('client', { username: `holder${n}-${Date.now()}@example.com`, client_type: 'individual', ...names });
    const account = await this.post('account', {
      name: `Card account ${n}`,
      account_type_id: this.accountType,
      clients: [{ client_id: client, client_account_association_type: 'owner' }],
    });
    const model = options.withModel === false ? {} : { model_id: await this.post('model', { name: `Model ${n}` }) };
    const portfolio = await this.post('portfolio', { name: `Card portfolio ${n}`, account_id: account, percentage: 100, currency_code: 'USD', ...model });
    const card = await this.post('card', { card_holder_name: `Card${n} Holder`, card_issuance: 'virtual', card_name: 'Everyday', card_type: 'debit', portfolio_id: portfolio, client_id: client });
    return { client, account, portfolio, card };
  }

  /** A cardholder's card, issued and activated. */
  async activeCard(options: { withModel?: boolean } = {}) {
    const owner = await this.cardOwner(options);
    await this.ok('POST', '/card/client', { nucleus_client_id: owner.client });
    await this.ok('POST', '/card/issue', { nucleus_card_id: owner.card });
    await this.ok('POST', '/card/reactivate', { nucleus_card_id: owner.card });
    return owner;
  }

  async ok<T = any>(method: string, path: string, body?: unknown): Promise<T> {
    const result = await this.electron<T>(method, path, body);
    assert.equal(result.status, 200, `${method} ${path}: ${JSON.stringify(result.body)}`);
    return result.body;
  }

  fundingBody(card: string, amount: number, isDeposit: boolean, extra: object = {}): Record<string, unknown> {
    return {
      card_id: card,
      amount,
      currency_code: 'USD',
      is_deposit: isDeposit,
      funding_type: 'card',
      funding_status: 'requested',
      frequency_unit: 'one_time',
      start_date: '2025-01-01',
      ...extra,
    };
  }

  funding(card: string, amount: number, isDeposit: boolean, extra: object = {}): Promise<string> {
    return this.post('funding', this.fundingBody(card, amount, isDeposit, extra));
  }

  async load(card: string, amount: number): Promise<any> {
    return this.ok('POST', '/card/load', { nucleus_funding_id: await this.funding(card, amount, true) });
  }

  async until<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await check();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error('timed out waiting');
      await sleep(20);
    }
  }
}
