import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts';
import { runCli } from '../../src/cli/run.ts';
import { signRegistration } from '../../src/hydro/registration.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { raindrop, sdkPartner } from './sdk-partner.ts';
import { registryAbi, userWallet, type Contracts } from './user-wallet.ts';

async function cli(argv: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: (line) => (out += `${line}\n`), err: (line) => (err += `${line}\n`) }, env);
  return { code, out: out.trim(), err };
}

describe('client-side Raindrop on the embedded chain', () => {
  let server: TestServer;
  let contracts: Contracts;
  let applicationId: string;
  let sdk: any;
  let alice: PrivateKeyAccount;

  async function registerHydroId(account: PrivateKeyAccount, hydroId: string) {
    const signature = await signRegistration(account, contracts.hydro_id_registry, hydroId);
    return server.request('POST', '/hydro/v1/hydro_id', { body: { hydro_id: hydroId, address: account.address, signature } });
  }

  async function submit(account: PrivateKeyAccount, hydroId: string, message: string) {
    const signature = await account.signMessage({ message });
    return server.request('POST', '/hydro/v1/signature', { body: { hydro_id: hydroId, message, signature } });
  }

  async function freshMessage(): Promise<string> {
    return (await server.request('GET', '/hydro/v1/message')).body.message;
  }

  before(async () => {
    server = await startServer({ hydroChainDir: null });
    contracts = (await server.request('GET', '/hydro/v1/contracts')).body;
    const application = await server.request('POST', '/hydro/v1/application', { body: { name: 'web bank' } });
    assert.equal(application.status, 201);
    applicationId = application.body.id;
    sdk = await sdkPartner(server, 'client', applicationId);
    alice = privateKeyToAccount(generatePrivateKey());
    const registered = await registerHydroId(alice, 'alice');
    assert.equal(registered.status, 201, JSON.stringify(registered.body));
    await sdk.registerUser('alice');
  });
  after(() => server?.close());

  it('verifies a message the registered key signed, once', async () => {
    const message = raindrop.client.generateMessage();
    assert.equal((await submit(alice, 'alice', message)).status, 201);
    const result = await sdk.verifySignature('alice', message);
    assert.equal(result.verified, true);
    assert.equal(result.data.authenticated, true);
    assert.match(result.data.verification_id, /^[0-9a-f-]{36}$/);
    assert.deepEqual(await sdk.verifySignature('alice', message), { verified: false });
    assert.equal((await submit(alice, 'alice', message)).status, 201);
    const replayed = await server.request('GET', `/hydro/v1/verify_signature?message=${message}&hydro_id=alice&application_id=${applicationId}`);
    assert.equal(replayed.status, 401);
    assert.equal(replayed.body.code, 'message_spent');
  });

  it("lists the partner's applications, the HydroIDs registered with them, and its whitelisted addresses", async () => {
    const applications = await server.request('GET', '/hydro/v1/application');
    assert.equal(applications.status, 200);
    assert.deepEqual(applications.body.content.map((a: { id: string; name: string }) => [a.id, a.name]), [[applicationId, 'web bank']]);
    const clients = await server.request('GET', `/hydro/v1/application/client?filter=${encodeURIComponent(`application_id==${applicationId}`)}`);
    assert.deepEqual(clients.body.content.map((c: { hydro_id: string; application_name: string }) => [c.hydro_id, c.application_name]), [['alice', 'web bank']]);
    const whitelisted = await server.request('POST', '/hydro/v1/whitelist', { body: { address: alice.address } });
    assert.equal(whitelisted.status, 200, JSON.stringify(whitelisted.body));
    const addresses = await server.request('GET', '/hydro/v1/whitelist');
    assert.deepEqual(addresses.body.content.map((a: { hydro_address_id: string; address: string }) => [a.hydro_address_id, a.address]), [[whitelisted.body.hydro_address_id, alice.address]]);
    const other = await server.otherTenant();
    assert.equal((await server.request('GET', '/hydro/v1/whitelist', { token: other.token })).body.total_elements, 0);
  });

  it('refuses a signature by another key', async () => {
    const message = await freshMessage();
    assert.match(message, /^[0-9]{6}$/);
    assert.equal((await submit(privateKeyToAccount(generatePrivateKey()), 'alice', message)).status, 201);
    const result = await server.request('GET', `/hydro/v1/verify_signature?message=${message}&hydro_id=alice&application_id=${applicationId}`);
    assert.equal(result.status, 401);
    assert.deepEqual([result.body.authenticated, result.body.code], [false, 'no_signature']);
  });

  it('refuses a signature older than the window, and a message never signed', async () => {
    const message = await freshMessage();
    assert.equal((await submit(alice, 'alice', message)).status, 201);
    await server.db.query(`UPDATE hydro_signature SET submitted_at = now() - interval '91 seconds' WHERE message = $1`, [message]);
    assert.deepEqual(await sdk.verifySignature('alice', message), { verified: false });
    assert.deepEqual(await sdk.verifySignature('alice', message === '000000' ? '000001' : '000000'), { verified: false });
  });

  it('registers HydroIDs signed by their owner, or sent by the owner itself, and nothing else', async () => {
    const bob = await userWallet(server);
    await server.request('POST', '/hydro/v1/faucet', { body: { address: bob.address } });
    const hash = await bob.wallet.writeContract({ address: contracts.hydro_id_registry, abi: registryAbi, functionName: 'register', args: ['bob.b'] });
    assert.equal((await bob.public.waitForTransactionReceipt({ hash })).status, 'success');
    const registered = await server.request('POST', '/hydro/v1/application/client', { body: { hydro_id: 'bob.b', application_id: applicationId } });
    assert.equal(registered.status, 201);
    assert.equal(registered.body.address, bob.address);

    const taken = await registerHydroId(privateKeyToAccount(generatePrivateKey()), 'alice');
    assert.deepEqual([taken.status, taken.body.code, taken.body.field], [409, 'hydro_id_taken', 'hydro_id']);
    const second = await registerHydroId(alice, 'alice.two');
    assert.deepEqual([second.status, second.body.code, second.body.field], [409, 'address_has_hydro_id', 'address']);
    const forged = await server.request('POST', '/hydro/v1/hydro_id', {
      body: { hydro_id: 'carol', address: alice.address, signature: await signRegistration(privateKeyToAccount(generatePrivateKey()), contracts.hydro_id_registry, 'carol') },
    });
    assert.equal(forged.status, 400);
    assert.equal(forged.body.field, 'signature');
    const unknown = await server.request('POST', '/hydro/v1/application/client', { body: { hydro_id: 'nobody', application_id: applicationId } });
    assert.deepEqual([unknown.status, unknown.body.code, unknown.body.field], [400, 'hydro_id_not_registered', 'hydro_id']);
    const again = await server.request('POST', '/hydro/v1/application/client', { body: { hydro_id: 'alice', application_id: applicationId } });
    assert.deepEqual([again.status, again.body.code], [409, 'already_registered']);
  });

  it('answers bad input with a 4xx naming the field', async () => {
    const badSignature = await server.request('POST', '/hydro/v1/signature', { body: { hydro_id: 'alice', message: '123456', signature: '0x1234' } });
    assert.deepEqual([badSignature.status, badSignature.body.field], [400, 'signature']);
    const badMessage = await server.request('POST', '/hydro/v1/signature', { body: { hydro_id: 'alice', message: '12345', signature: `0x${'1'.repeat(130)}` } });
    assert.deepEqual([badMessage.status, badMessage.body.field], [400, 'message']);
    const unrecoverable = await server.request('POST', '/hydro/v1/signature', { body: { hydro_id: 'alice', message: '123456', signature: `0x${'0'.repeat(130)}` } });
    assert.deepEqual([unrecoverable.status, unrecoverable.body.field], [400, 'signature']);
    const noApplication = await server.request('GET', '/hydro/v1/verify_signature?message=123456&hydro_id=alice&application_id=not-a-uuid');
    assert.deepEqual([noApplication.status, noApplication.body.field], [400, 'application_id']);
  });

  it('works with the command-line authenticator', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deuterium-hydro-cli-'));
    try {
      const keyFile = path.join(dir, 'key');
      const env = { DEUTERIUM_URL: server.url, DEUTERIUM_TOKEN: await server.adminToken() };
      const created = await cli(['hydro', 'key-create', '--out', keyFile, '--json'], env);
      assert.equal(created.code, 0, created.err);
      const { address } = JSON.parse(created.out);
      assert.equal((await cli(['hydro', 'key-create', '--out', keyFile], env)).code, 1);
      const registered = await cli(['hydro', 'register', '--key-file', keyFile, '--hydro-id', 'erin'], env);
      assert.equal(registered.code, 0, registered.err);
      const client = await server.request('POST', '/hydro/v1/application/client', { body: { hydro_id: 'erin', application_id: applicationId } });
      assert.deepEqual([client.status, client.body.address], [201, address]);

      const message = await freshMessage();
      const signed = await cli(['hydro', 'sign', '--key-file', keyFile, '--message', message, '--hydro-id', 'erin'], env);
      assert.equal(signed.code, 0, signed.err);
      assert.equal((await sdk.verifySignature('erin', message)).verified, true);
      const printed = await cli(['hydro', 'sign', '--key-file', keyFile, '--message', message], {});
      assert.match(printed.out, /^0x[0-9a-f]{130}$/);
      assert.equal((await cli(['hydro', 'sign', '--key-file', keyFile, '--message', '12'], {})).code, 2);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('unregisters a HydroID, after which nothing verifies', async () => {
    const application = (await server.request('POST', '/hydro/v1/application', { body: { name: 'second' } })).body;
    const second = await sdkPartner(server, 'client', application.id);
    await second.registerUser('alice');
    const message = await freshMessage();
    await submit(alice, 'alice', message);
    await second.unregisterUser('alice');
    assert.deepEqual(await second.verifySignature('alice', message), { verified: false });
    const gone = await server.request('DELETE', `/hydro/v1/application/client?hydro_id=alice&application_id=${application.id}`);
    assert.equal(gone.status, 404);
    const other = await server.otherTenant();
    const foreign = await server.request('GET', `/hydro/v1/verify_signature?message=${message}&hydro_id=alice&application_id=${applicationId}`, { token: other.token });
    assert.equal(foreign.status, 401);
    assert.deepEqual([foreign.body.code, foreign.body.type, foreign.body.authenticated], ['not_registered', 'authentication_error', false]);
  });
});
