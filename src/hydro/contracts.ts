import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Abi, Hex } from 'viem';

const CONTRACTS_DIR = fileURLToPath(new URL('../../contracts/', import.meta.url));
const CACHE_DIR = fileURLToPath(new URL('../../.cache/hydro-contracts/', import.meta.url));
const SOURCES = ['HydroToken.sol', 'Raindrop.sol', 'HydroIdRegistry.sol'];
const SOLC_VERSION = (JSON.parse(fs.readFileSync(fileURLToPath(import.meta.resolve('solc/package.json')), 'utf8')) as { version: string }).version;

// Pinned so the bytecode runs the same on the embedded chain and on any node of that hardfork or later.
export const EVM_VERSION = 'cancun';

export interface CompiledContract {
  abi: Abi;
  bytecode: Hex;
}

export interface CompiledContracts {
  HydroToken: CompiledContract;
  Raindrop: CompiledContract;
  HydroIdRegistry: CompiledContract;
  /** Hash of the sources and compiler settings the artefacts were built from. */
  sourceHash: string;
}

interface SolcOutput {
  errors?: { severity: string; formattedMessage: string }[];
  contracts: Record<string, Record<string, { abi: Abi; evm: { bytecode: { object: string } } }>>;
}

function readSources(): Record<string, { content: string }> {
  return Object.fromEntries(SOURCES.map((file) => [file, { content: fs.readFileSync(path.join(CONTRACTS_DIR, file), 'utf8') }]));
}

async function compile(sources: Record<string, { content: string }>, sourceHash: string): Promise<CompiledContracts> {
  // Loaded only when compiling: the compiler is 8 MB of JavaScript that most starts never need.
  const { default: solc } = await import('solc');
  const input = {
    language: 'Solidity',
    sources,
    settings: {
      evmVersion: EVM_VERSION,
      optimizer: { enabled: true, runs: 200 },
      outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
    },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input))) as SolcOutput;
  const errors = (output.errors ?? []).filter((e) => e.severity === 'error');
  if (errors.length > 0) throw new Error(`Solidity compilation failed:\n${errors.map((e) => e.formattedMessage).join('\n')}`);
  const pick = (file: string, name: string): CompiledContract => {
    const contract = output.contracts[file][name];
    return { abi: contract.abi, bytecode: `0x${contract.evm.bytecode.object}` };
  };
  return {
    HydroToken: pick('HydroToken.sol', 'HydroToken'),
    Raindrop: pick('Raindrop.sol', 'Raindrop'),
    HydroIdRegistry: pick('HydroIdRegistry.sol', 'HydroIdRegistry'),
    sourceHash,
  };
}

let loaded: CompiledContracts | undefined;

/**
 * The contracts compiled from contracts/*.sol. Compiling takes seconds, so the artefacts are
 * cached in .cache/ (git-ignored) under the hash of the sources and settings, and kept in memory
 * for the rest of the process.
 */
export async function compiledContracts(): Promise<CompiledContracts> {
  if (loaded) return loaded;
  const sources = readSources();
  const sourceHash = createHash('sha256')
    .update(JSON.stringify({ sources, evm: EVM_VERSION, solc: SOLC_VERSION }))
    .digest('hex')
    .slice(0, 32);
  const cacheFile = path.join(CACHE_DIR, `${sourceHash}.json`);
  try {
    loaded = JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as CompiledContracts;
    return loaded;
  } catch {
    // Not cached yet (or unreadable): compile below.
  }
  loaded = await compile(sources, sourceHash);
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  // Written aside and renamed so a concurrent process never reads half a file.
  const partial = `${cacheFile}.${process.pid}.tmp`;
  fs.writeFileSync(partial, JSON.stringify(loaded));
  fs.renameSync(partial, cacheFile);
  return loaded;
}
