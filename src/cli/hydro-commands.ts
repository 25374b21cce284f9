import fs from 'node:fs';
import { createPublicClient, isHex, type Hex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { chainDefinition, HydroChain, NOT_DEPLOYED, rpcTransport } from '../hydro/chain.ts';
import { compiledContracts } from '../hydro/contracts.ts';
import { signRegistration } from '../hydro/registration.ts';
import type { Io, ParsedValues } from './command.ts';
import { stringOption } from './command.ts';
import { CliError, usageError } from './errors.ts';

/**
 * `deuterium hydro ...`: the user's authenticator for client-side Raindrop, and the operator's
 * deployment of the contracts to a node. None of them opens the database: the authenticator
 * talks to a Deuterium server over HTTP, as a user's device would.
 */
export interface HydroCommand {
  options: Record<string, { type: 'string' | 'boolean' }>;
  parse(positionals: string[], values: ParsedValues, env: NodeJS.ProcessEnv): (io: Io, json: boolean) => Promise<void>;
}

function readKey(file: string): Hex {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8').trim();
  } catch (error) {
    throw new CliError(`Cannot read the key file ${file}: ${(error as Error).message}`);
  }
  if (!isHex(text) || text.length !== 66) throw new CliError(`${file} does not hold a private key (0x and 64 hex digits)`);
  return text as Hex;
}

function required(values: ParsedValues, name: string): string {
  const value = stringOption(values, name);
  if (value === undefined) throw usageError(`Missing --${name}`);
  return value;
}

/** The Deuterium server and the bearer token the authenticator uses: options, or DEUTERIUM_URL and DEUTERIUM_TOKEN. */
function server(values: ParsedValues, env: NodeJS.ProcessEnv): { url: string; token: string } {
  const url = stringOption(values, 'url') ?? env.DEUTERIUM_URL;
  const token = stringOption(values, 'token') ?? env.DEUTERIUM_TOKEN;
  if (!url) throw usageError('Missing --url (or DEUTERIUM_URL): the Deuterium server');
  if (!token) throw usageError('Missing --token (or DEUTERIUM_TOKEN): an access token of the partner');
  return { url: url.replace(/\/+$/, ''), token };
}

async function call(target: { url: string; token: string }, method: string, path: string, body?: unknown): Promise<any> {
  let response: Response;
  try {
    response = await fetch(`${target.url}/hydro/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${target.token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
  } catch (error) {
    throw new CliError(`Cannot reach ${target.url}: ${(error as Error).message}`);
  }
  const answer = (await response.json().catch(() => ({}))) as { message?: string };
  if (!response.ok) throw new CliError(`${method} ${path} failed with ${response.status}: ${answer.message ?? 'no message'}`);
  return answer;
}

const serverOptions = { url: { type: 'string' }, token: { type: 'string' } } as const;

export const hydroKeyCreate: HydroCommand = {
  options: { out: { type: 'string' } },
  parse(_positionals, values) {
    const out = required(values, 'out');
    return async (io, json) => {
      const key = generatePrivateKey();
      try {
        // wx: an existing key is never overwritten.
        fs.writeFileSync(out, `${key}\n`, { mode: 0o600, flag: 'wx' });
      } catch (error) {
        throw new CliError(`Cannot write ${out}: ${(error as Error).message}`);
      }
      const address = privateKeyToAccount(key).address;
      io.out(json ? JSON.stringify({ address, key_file: out }) : `Created a key for address ${address} in ${out}; keep the file secret.`);
    };
  },
};

export const hydroRegister: HydroCommand = {
  options: { 'key-file': { type: 'string' }, 'hydro-id': { type: 'string' }, ...serverOptions },
  parse(_positionals, values, env) {
    const account = privateKeyToAccount(readKey(required(values, 'key-file')));
    const hydroId = required(values, 'hydro-id');
    const target = server(values, env);
    return async (io, json) => {
      const contracts = await call(target, 'GET', '/contracts');
      const signature = await signRegistration(account, contracts.hydro_id_registry, hydroId);
      const result = await call(target, 'POST', '/hydro_id', { hydro_id: hydroId, address: account.address, signature });
      io.out(json ? JSON.stringify(result) : `Registered HydroID ${hydroId} for ${account.address} (transaction ${result.transaction_hash})`);
    };
  },
};

export const hydroSign: HydroCommand = {
  options: { 'key-file': { type: 'string' }, message: { type: 'string' }, 'hydro-id': { type: 'string' }, ...serverOptions },
  parse(_positionals, values, env) {
    const account = privateKeyToAccount(readKey(required(values, 'key-file')));
    const message = required(values, 'message');
    if (!/^[0-9]{6}$/.test(message)) throw usageError('--message must be six digits');
    const hydroId = stringOption(values, 'hydro-id');
    const target = hydroId ? server(values, env) : undefined;
    return async (io, json) => {
      const signature = await account.signMessage({ message });
      if (hydroId && target) await call(target, 'POST', '/signature', { hydro_id: hydroId, message, signature });
      if (json) io.out(JSON.stringify({ address: account.address, message, signature, submitted: Boolean(target) }));
      else io.out(target ? `Signed ${message} and submitted it for ${hydroId}` : signature);
    };
  },
};

export const hydroDeploy: HydroCommand = {
  options: { 'rpc-url': { type: 'string' }, 'key-file': { type: 'string' } },
  parse(_positionals, values) {
    const rpcUrl = required(values, 'rpc-url');
    const key = readKey(required(values, 'key-file'));
    return async (io, json) => {
      const transport = rpcTransport(rpcUrl);
      let chainId: number;
      try {
        chainId = await createPublicClient({ transport }).getChainId();
      } catch (error) {
        throw new CliError(`Cannot reach the node at ${rpcUrl}: ${(error as Error).message}`);
      }
      const chain = new HydroChain(transport, chainDefinition(chainId, rpcUrl), key, await compiledContracts(), NOT_DEPLOYED, null);
      const addresses = await chain.deploy();
      const settings = { HYDRO_RPC_URL: rpcUrl, HYDRO_TOKEN_ADDRESS: addresses.token, HYDRO_RAINDROP_ADDRESS: addresses.raindrop, HYDRO_REGISTRY_ADDRESS: addresses.registry };
      if (json) io.out(JSON.stringify({ operator: chain.operator, ...settings }));
      else {
        io.out(`Deployed from ${chain.operator}; its key is HYDRO_PRIVATE_KEY. Settings:`);
        for (const [name, value] of Object.entries(settings)) io.out(`${name}=${value}`);
      }
    };
  },
};

export const HYDRO_COMMANDS: Record<string, HydroCommand> = {
  'key-create': hydroKeyCreate,
  register: hydroRegister,
  sign: hydroSign,
  deploy: hydroDeploy,
};
