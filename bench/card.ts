import { startServer, type TestServer } from '../test/support/server.ts';
import { addDays } from '../src/proton/calendar.ts';
import { decide, type CardSpend, type SpendingControl } from '../src/proton/card/spending-rules.ts';
import { type BenchFigure, median } from './figure.ts';

/**
 * card_authorization's latency with 20 spending controls and a year of card transactions,
 * against two baselines measured in the same run: the pure decision over the same data held
 * in memory (what the database, HTTP and the hold cost on top of the rule itself), and a plain
 * GET of the card (what the HTTP stack, the token check and one read cost on their own); then
 * both as the server alone spends them, without the client's and the loopback's share.
 */

const TARGET_MS = 5;
const RUNS = 200;
const PER_DAY = 3;
const FIRST_DAY = new Date(Date.now() - 366 * 86_400_000).toISOString().slice(0, 10);
const DAYS = 365;
const MERCHANTS = ['Grocer', 'Cafe', 'Fuel', 'Books', 'Pharmacy'];
/** Card transactions written at once while the year is laid down. */
const WRITERS = 4;

async function created(server: TestServer, entity: string, body: Record<string, unknown>): Promise<string> {
  const result = await server.request('POST', `/nucleus/v1/${entity}`, { body });
  if (result.status !== 201) throw new Error(`${entity}: ${result.status} ${JSON.stringify(result.body)}`);
  return result.body.id;
}

/** Twenty controls of every kind, all wide enough that the benchmark's purchases pass. */
function controlBodies(client: string): Record<string, unknown>[] {
  const units = ['daily', 'weekly', 'monthly', 'quarterly', 'annually'];
  const limits = units.flatMap((unit, i) => [
    { control_type: 'spending_limit', control_scope: 'all', limit_value: 1_000_000 * (i + 1), frequency_unit: unit },
    { control_type: 'spending_limit', control_scope: 'merchant', control_values: [MERCHANTS[i]], limit_value: 500_000, frequency_unit: unit },
    { control_type: 'transaction_limit', control_scope: 'purchase', limit_value: 100_000, frequency_unit: unit },
  ]);
  const lists = [
    { control_type: 'deny_list', control_scope: 'mcc', control_values: ['7995'] },
    { control_type: 'deny_list', control_scope: 'merchant', control_values: ['Casino'] },
    { control_type: 'allow_list', control_scope: 'country', control_values: ['US', 'CA'] },
    { control_type: 'spending_limit', control_scope: 'all', limit_value: 10_000, frequency_unit: 'one_time' },
    { control_type: 'deny_list', control_scope: 'mid', control_values: ['BLOCKED-1'] },
  ];
  return [...limits, ...lists].map((body) => ({ client_id: client, currency_code: 'USD', ...body }));
}

export async function cardBench(): Promise<BenchFigure[]> {
  const server = await startServer();
  try {
    const model = await created(server, 'model', { name: 'Card model' });
    const accountType = await created(server, 'account_type', { name: 'Card account' });
    const code = await created(server, 'transaction_code', { transaction_code: 'CARD_PURCHASE', transaction_type: 'purchase' });
    const client = await created(server, 'client', { username: 'bench@card.test', client_type: 'individual' });
    const account = await created(server, 'account', { name: 'Card', account_type_id: accountType, clients: [{ client_id: client, client_account_association_type: 'owner' }] });
    const portfolio = await created(server, 'portfolio', { name: 'Card', account_id: account, percentage: 100, model_id: model });
    const card = await created(server, 'card', { card_holder_name: 'Bench', card_issuance: 'virtual', card_name: 'Bench', card_type: 'debit', portfolio_id: portfolio, client_id: client });
    const controls: SpendingControl[] = [];
    for (const body of controlBodies(client)) {
      const id = await created(server, 'spending_control', body);
      controls.push({
        id,
        type: String(body.control_type),
        scope: String(body.control_scope),
        values: (body.control_values as string[] | undefined) ?? [],
        limit: body.control_type === 'spending_limit' ? Number(body.limit_value) * 100 : (body.limit_value as number | undefined),
        ...(body.frequency_unit ? { unit: String(body.frequency_unit) } : {}),
        frequency: 1,
        currency: 'USD',
      });
    }
    // A year of card transactions, written through the API so that the spending ledger keeps them.
    const history: CardSpend[] = [];
    const bodies: Record<string, unknown>[] = [];
    for (let d = 0; d < DAYS; d++) {
      const day = addDays(FIRST_DAY, d);
      for (let k = 0; k < PER_DAY; k++) {
        const merchant = MERCHANTS[(d + k) % MERCHANTS.length];
        const amount = 5 + ((d * 7 + k * 3) % 40);
        history.push({ day, cents: amount * 100, type: 'purchase', merchant, currency: 'USD', country: 'US' });
        bodies.push({ account_id: account, portfolio_id: portfolio, model_id: model, transaction_code_id: code, date: `${day}T1${k}:00:00.000Z`, amount, currency_code: 'USD', status: 'completed', merchant, location: { country: 'US' } });
      }
    }
    for (let i = 0; i < bodies.length; i += WRITERS) await Promise.all(bodies.slice(i, i + WRITERS).map((body) => created(server, 'portfolio_transaction', body)));
    const lastDay = addDays(FIRST_DAY, DAYS - 1);
    const body = { card_id: card, amount: 1, currency_code: 'USD', date: `${lastDay}T23:00:00Z`, transaction_type: 'purchase', merchant: 'Cafe', location: { country: 'US' } };
    const spend: CardSpend = { day: lastDay, cents: 100, type: 'purchase', merchant: 'Cafe', currency: 'USD', country: 'US' };

    // The server's own share: from the request reaching it to the response handed to the socket.
    const served = new Map<string, number[]>();
    server.app.server.prependListener('request', (request, response) => {
      const started = performance.now();
      response.once('finish', () => {
        const path = request.url ?? '';
        if (!served.has(path)) served.set(path, []);
        served.get(path)!.push(performance.now() - started);
      });
    });
    const http: number[] = [];
    const read: number[] = [];
    for (let i = 0; i < RUNS + 20; i++) {
      let started = performance.now();
      const answer = await server.request('POST', '/proton/v1/card_authorization', { body });
      const elapsed = performance.now() - started;
      if (answer.status !== 200 || answer.body.status !== 'approved') throw new Error(`card_authorization: ${answer.status} ${JSON.stringify(answer.body)}`);
      started = performance.now();
      const got = await server.request('GET', `/nucleus/v1/card/${card}`);
      const readElapsed = performance.now() - started;
      if (got.status !== 200) throw new Error(`GET card: ${got.status}`);
      if (i >= 20) {
        http.push(elapsed);
        read.push(readElapsed);
      }
    }
    const pure: number[] = [];
    for (let i = 0; i < RUNS + 20; i++) {
      const started = performance.now();
      const decision = decide({ cardActive: true, spend, partialAuth: false, controls, earlier: history });
      const elapsed = performance.now() - started;
      if (!decision.approved) throw new Error('the pure decision declined');
      if (i >= 20) pure.push(elapsed);
    }
    return [
      {
        name: `card_authorization over HTTP (20 controls, ${DAYS * PER_DAY} card transactions)`,
        ms: median(http),
        baselineName: 'the pure decision over the same data in memory',
        baselineMs: median(pure),
        targetMs: TARGET_MS,
      },
      {
        name: 'card_authorization over HTTP (20 controls, a year of card transactions)',
        ms: median(http),
        baselineName: 'GET /nucleus/v1/card/{id}: the HTTP stack, the token check and one read',
        baselineMs: median(read),
        targetMs: TARGET_MS,
      },
      {
        name: 'card_authorization in the server (request in to response out)',
        ms: median((served.get('/proton/v1/card_authorization') ?? []).slice(20)),
        baselineName: 'GET /nucleus/v1/card/{id} in the server',
        baselineMs: median((served.get(`/nucleus/v1/card/${card}`) ?? []).slice(20)),
        targetMs: TARGET_MS,
      },
    ];
  } finally {
    await server.close();
  }
}
