import { performance } from 'node:perf_hooks';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { signRegistration } from '../src/hydro/registration.ts';
import { startServer, type TestServer } from '../test/support/server.ts';
import { answerChallenge, userWallet, type UserWallet } from '../test/hydro/user-wallet.ts';
import { type BenchFigure, median } from './figure.ts';

const ROUNDS = Number(process.env.BENCH_HYDRO_ROUNDS ?? 20);

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

function expect(result: { status: number; body: unknown }, status: number, what: string): void {
  if (result.status !== status) throw new Error(`${what}: ${result.status} ${JSON.stringify(result.body)}`);
}

/** Whitelist, challenge, the user's answer on the chain, and the check: the whole server-side Raindrop flow. */
async function serverSideFlow(server: TestServer, user: UserWallet): Promise<void> {
  const whitelisted = await server.request('POST', '/hydro/v1/whitelist', { body: { address: user.address } });
  expect(whitelisted, 200, 'whitelist');
  const challenge = await server.request('POST', '/hydro/v1/challenge', { body: { hydro_address_id: whitelisted.body.hydro_address_id } });
  expect(challenge, 200, 'challenge');
  const status = await answerChallenge(user, challenge.body.amount, challenge.body.challenge, challenge.body.partner_id);
  if (status !== 'success') throw new Error('the answer reverted');
  expect(await server.request('GET', `/hydro/v1/authenticate?hydro_address_id=${whitelisted.body.hydro_address_id}`), 200, 'authenticate');
}

/**
 * Median times of Hydro on the embedded chain, each beside a GET /health round trip measured
 * in the same run: the whole server-side flow, and one verify_signature.
 */
export async function hydroBench(): Promise<BenchFigure[]> {
  const server = await startServer({ hydroChainDir: null });
  try {
    const users: UserWallet[] = [];
    for (let i = 0; i <= ROUNDS; i++) {
      const user = await userWallet(server);
      expect(await server.request('POST', '/hydro/v1/faucet', { body: { address: user.address } }), 200, 'faucet');
      users.push(user);
    }
    // The first flow opens the chain and warms every path; it is not counted.
    await serverSideFlow(server, users[0]);
    const flows: number[] = [];
    for (const user of users.slice(1)) flows.push(await timed(() => serverSideFlow(server, user)));

    const contracts = (await server.request('GET', '/hydro/v1/contracts')).body;
    const application = (await server.request('POST', '/hydro/v1/application', { body: { name: 'bench' } })).body;
    const account = privateKeyToAccount(generatePrivateKey());
    const signature = await signRegistration(account, contracts.hydro_id_registry, 'bench-user');
    expect(await server.request('POST', '/hydro/v1/hydro_id', { body: { hydro_id: 'bench-user', address: account.address, signature } }), 201, 'hydro_id');
    expect(await server.request('POST', '/hydro/v1/application/client', { body: { hydro_id: 'bench-user', application_id: application.id } }), 201, 'application/client');
    const verifications: number[] = [];
    for (let i = 0; i <= ROUNDS; i++) {
      const message = String(100000 + i);
      const signed = await account.signMessage({ message });
      expect(await server.request('POST', '/hydro/v1/signature', { body: { hydro_id: 'bench-user', message, signature: signed } }), 201, 'signature');
      const path = `/hydro/v1/verify_signature?message=${message}&hydro_id=bench-user&application_id=${application.id}`;
      const ms = await timed(async () => expect(await server.request('GET', path), 200, 'verify_signature'));
      if (i > 0) verifications.push(ms);
    }

    const health: number[] = [];
    for (let i = 0; i <= ROUNDS * 2; i++) health.push(await timed(() => server.request('GET', '/health')));
    const baselineMs = median(health.slice(1));
    return [
      { name: 'hydro server-side flow (whitelist, challenge, answer on chain, authenticate)', ms: median(flows), baselineName: 'GET /health', baselineMs, targetMs: 200 },
      { name: 'hydro GET /verify_signature', ms: median(verifications), baselineName: 'GET /health', baselineMs, targetMs: 10 },
    ];
  } finally {
    await server.close();
  }
}
