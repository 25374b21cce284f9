import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config.ts';
import { startServer } from '../support/server.ts';

const node = {
  HYDRO_RPC_URL: 'http://127.0.0.1:8545',
  HYDRO_PRIVATE_KEY: `0x${'1'.repeat(64)}`,
  HYDRO_TOKEN_ADDRESS: `0x${'a'.repeat(40)}`,
  HYDRO_RAINDROP_ADDRESS: `0x${'b'.repeat(40)}`,
  HYDRO_REGISTRY_ADDRESS: `0x${'c'.repeat(40)}`,
};

describe('Hydro settings', () => {
  it('default to the embedded chain in DATA_DIR', () => {
    const config = loadConfig({ DATA_DIR: '/tmp/d' });
    assert.equal(config.hydroRpcUrl, null);
    assert.equal(config.hydroChainDir, path.resolve('/tmp/d/hydro-chain'));
    assert.equal(config.hydroSignatureWindowSeconds, 90);
    assert.equal(loadConfig({ HYDRO_CHAIN_DIR: '/tmp/c' }).hydroChainDir, '/tmp/c');
  });

  it('take a node with its key and contracts', () => {
    const config = loadConfig(node);
    assert.equal(config.hydroRpcUrl, node.HYDRO_RPC_URL);
    assert.deepEqual(config.hydroContracts, { token: node.HYDRO_TOKEN_ADDRESS, raindrop: node.HYDRO_RAINDROP_ADDRESS, registry: node.HYDRO_REGISTRY_ADDRESS });
  });

  it('refuse an incomplete or malformed node setting, naming it', () => {
    assert.throws(() => loadConfig({ ...node, HYDRO_RPC_URL: 'ftp://x' }), /HYDRO_RPC_URL/);
    assert.throws(() => loadConfig({ ...node, HYDRO_PRIVATE_KEY: '0x12' }), /HYDRO_PRIVATE_KEY/);
    assert.throws(() => loadConfig({ ...node, HYDRO_REGISTRY_ADDRESS: undefined }), /HYDRO_REGISTRY_ADDRESS/);
    assert.throws(() => loadConfig({ HYDRO_SIGNATURE_WINDOW_SECONDS: '0' }), /HYDRO_SIGNATURE_WINDOW_SECONDS/);
  });

  it("leave a test server's embedded chain out of ./data, which npm start keeps", async () => {
    const chainDir = path.resolve('data', 'hydro-chain');
    const files = () => (fs.existsSync(chainDir) ? fs.readdirSync(chainDir).map((f) => [f, fs.statSync(path.join(chainDir, f)).mtimeMs]) : null);
    const before = files();
    const server = await startServer();
    try {
      const contracts = await server.request('GET', '/hydro/v1/contracts');
      assert.equal(contracts.status, 200, JSON.stringify(contracts.body));
      assert.equal(contracts.body.embedded, true);
    } finally {
      await server.close();
    }
    assert.deepEqual(files(), before);
  });
});
