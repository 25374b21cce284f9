import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { Address, Hex } from 'viem';
import { runCli } from '../../src/cli/run.ts';
import { chainDefinition, HydroChain, rpcTransport, type ContractAddresses } from '../../src/hydro/chain.ts';
import { compiledContracts } from '../../src/hydro/contracts.ts';
import { freePort } from '../support/process.ts';

/** Hardhat's well-known development keys, funded with ether on `hardhat node`'s chain. */
export const NODE_KEYS: Hex[] = [
  '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80',
  '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d',
  '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a',
];

export interface RpcNode {
  url: string;
  /** The contracts, deployed from NODE_KEYS[0]. */
  contracts: ContractAddresses;
  /** The operator's chain handle, for what a test does as the partner outside the API. */
  operator: HydroChain;
  stop(): Promise<void>;
}

/** Deploys the contracts the way an operator would, with `deuterium hydro deploy`. */
async function deployWithCli(url: string): Promise<ContractAddresses> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deuterium-hydro-deploy-'));
  try {
    const keyFile = path.join(dir, 'key');
    fs.writeFileSync(keyFile, NODE_KEYS[0]);
    let out = '';
    let err = '';
    const code = await runCli(['hydro', 'deploy', '--rpc-url', url, '--key-file', keyFile, '--json'], { out: (line) => (out += line), err: (line) => (err += line) }, {});
    if (code !== 0) throw new Error(`hydro deploy failed: ${err}`);
    const settings = JSON.parse(out) as Record<string, Address>;
    return { token: settings.HYDRO_TOKEN_ADDRESS, raindrop: settings.HYDRO_RAINDROP_ADDRESS, registry: settings.HYDRO_REGISTRY_ADDRESS };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** `hardhat node` in its own process on loopback, with Hydro's contracts deployed. */
export async function startRpcNode(): Promise<RpcNode> {
  const port = await freePort();
  const hardhat = fileURLToPath(import.meta.resolve('hardhat/internal/cli/bootstrap.js'));
  const config = fileURLToPath(new URL('./hardhat.config.cjs', import.meta.url));
  const child: ChildProcess = spawn(process.execPath, [hardhat, '--config', config, 'node', '--hostname', '127.0.0.1', '--port', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, HARDHAT_DISABLE_TELEMETRY_PROMPT: 'true' },
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`hardhat node did not start:\n${output}`)), 120_000);
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      if (output.includes('Started HTTP')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr!.on('data', (chunk) => (output += chunk));
    child.on('exit', () => reject(new Error(`hardhat node exited:\n${output}`)));
  });
  child.stdout!.resume();
  const url = `http://127.0.0.1:${port}`;
  const contracts = await deployWithCli(url);
  const operator = new HydroChain(rpcTransport(url), chainDefinition(31337, url), NODE_KEYS[0], await compiledContracts(), contracts, null);
  return {
    url,
    contracts,
    operator,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}
